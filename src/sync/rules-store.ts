import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { defaultIncomingScript, defaultOutgoingScript } from '../rules';
import { basicIncomingScript, basicOutgoingScript } from '../rules/basic';
import { compileVisualMapping } from '../rules/visual-compiler';
import { getMapping, sideOf } from './visual-store';
import { recordKind } from '../domain/stored-record';
import { readStoredConnection, saveConnection } from '../connections/store';
import { NameWarning } from '../domain/name-references';
import { heldPerConnection } from '../domain/held-across-invocations';

// Each side owns its rules for a connection: the outgoing script (what it
// shares) and the incoming script (how it takes what the partner shares).
// Defaults are generated the first time they are needed.

export const ConnectionRules = z.object({
  outgoing: z.string(),
  incoming: z.string(),
  /** Bumped on every publish; the history shows which rules made a change. */
  version: z.number().int().nonnegative(),
  publishedAt: z.number().nullable(),
  /** Names the rules refer to that did not exist when the admin published anyway (absent in older records: none). */
  warnings: z.array(NameWarning).optional(),
});
export type ConnectionRules = z.infer<typeof ConnectionRules>;

export const rulesKey = (connectionId: string) => `rules:${connectionId}`;
const rulesRecord = recordKind({ name: 'rules', version: 1, schema: ConnectionRules, key: rulesKey });

/**
 * Published rules by installation and connection (a connection's id is the same on both sides), as last read:
 * a version's text never changes, so the copy held for the version the connection record names is that
 * version's text, in any invocation a warm container serves.
 */
const published = heldPerConnection<ConnectionRules>({ capacity: 256 });

export async function getRules(platform: Platform, connection: ConnectionRecord): Promise<ConnectionRules> {
  // Basic rules are fixed and Visual rules follow the mapping: a stored script never overrides them.
  if (connection.mode === 'basic') {
    return { outgoing: basicOutgoingScript(), incoming: basicIncomingScript({ projectKey: connection.localProjectKey }), version: 0, publishedAt: null };
  }
  if (connection.mode === 'visual') {
    const mapping = await getMapping(platform, connection);
    return { ...compileVisualMapping(mapping, sideOf(connection)), version: mapping.version, publishedAt: null };
  }
  const held = published.get(platform, connection.id, platform.clock.now());
  if (connection.rulesVersion !== undefined && connection.rulesVersion > 0 && held?.version === connection.rulesVersion) return held;
  // Version 0: nothing was ever published, so there is nothing to read.
  const stored = connection.rulesVersion === 0 ? undefined : await rulesRecord.get(platform.kvs, connection.id);
  if (stored) {
    published.set(platform, connection.id, stored, platform.clock.now());
    return stored;
  }
  return {
    outgoing: defaultOutgoingScript(),
    incoming: defaultIncomingScript({ projectKey: connection.localProjectKey }),
    version: 0,
    publishedAt: null,
  };
}

export async function saveRules(
  platform: Platform,
  connectionId: string,
  rules: { outgoing: string; incoming: string },
  previousVersion: number,
  warnings: NameWarning[] = [],
): Promise<ConnectionRules> {
  const saved: ConnectionRules = { ...rules, version: previousVersion + 1, publishedAt: platform.clock.now(), ...(warnings.length ? { warnings } : {}) };
  // The connection names the new version first: a reader between the two writes reads the rules record and
  // finds the previous version there, never the defaults instead of published rules.
  const connection = await readStoredConnection(platform, connectionId);
  if (connection) await saveConnection(platform, { ...connection, rulesVersion: saved.version });
  await platform.kvs.set(rulesKey(connectionId), saved);
  return saved;
}

export async function deleteRules(platform: Platform, connectionId: string): Promise<void> {
  published.forget(platform, connectionId);
  await platform.kvs.delete(rulesKey(connectionId));
}
