import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { defaultIncomingScript, defaultOutgoingScript } from '../rules';
import { basicIncomingScript, basicOutgoingScript } from '../rules/basic';
import { compileVisualMapping } from '../rules/visual-compiler';
import { getMapping, sideOf } from './visual-store';
import { recordKind } from '../domain/stored-record';
import { NameWarning } from '../domain/name-references';

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

export async function getRules(platform: Platform, connection: ConnectionRecord): Promise<ConnectionRules> {
  // Basic rules are fixed and Visual rules follow the mapping: a stored script never overrides them.
  if (connection.mode === 'basic') {
    return { outgoing: basicOutgoingScript(), incoming: basicIncomingScript({ projectKey: connection.localProjectKey }), version: 0, publishedAt: null };
  }
  if (connection.mode === 'visual') {
    const mapping = await getMapping(platform, connection);
    return { ...compileVisualMapping(mapping, sideOf(connection)), version: mapping.version, publishedAt: null };
  }
  const stored = await rulesRecord.get(platform.kvs, connection.id);
  if (stored) return stored;
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
  await platform.kvs.set(rulesKey(connectionId), saved);
  return saved;
}

export async function deleteRules(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(rulesKey(connectionId));
}
