import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../ports';
import { isLive, type ConnectionRecord } from '../domain/connection';
import { NameKind, SiteNames } from '../domain/name-references';
import type { ConfigureMessage } from '../domain/messages';
import { recordKind } from '../domain/stored-record';
import type { JiraClient } from '../jira/client';
import { stableJson } from './apply';
import { sendMessage } from '../transport/send';
import { nameRecheckKey } from './name-recheck';
import { readSiteNames } from './site-names';

// A remote partner's names (issue types of its project, statuses, priorities,
// resolutions, custom fields), so that publish and the drift check can judge
// what the rules name on the other side too. Which other projects a site has
// is none of its partner's business: only the connection's project is named,
// and the partner's project names are not judged. Each side reads its own
// values as the app in its daily names check and sends them in a `configure`
// message when they changed since it last sent them; the receiver keeps the
// latest (one record per connection) and re-checks its rules against them at
// its next maintenance pass. Names are never older than a day plus the
// message's way, and a rename over there reaches the admin here as drift.
// A local connection needs none of this: both sides are this site.

const ALL_KINDS = new Set<NameKind>(NameKind.options);

export const PartnerNames = z.object({
  /** When the partner read them (its clock). */
  at: z.number().int(),
  /** When they arrived here. */
  receivedAt: z.number().int(),
  names: SiteNames,
});
export type PartnerNames = z.infer<typeof PartnerNames>;

export const partnerNamesKey = (connectionId: string) => `partner-names:${connectionId}`;
const partnerNamesRecord = recordKind({ name: 'partner names', version: 1, schema: PartnerNames, key: partnerNamesKey });

/** Names are read and compared this often; sent only when they changed. */
export const SHARE_NAMES_EVERY_MS = 24 * 60 * 60_000;

/** What this side last sent its partner (a digest of the names, so unchanged names are not sent again), and when it last looked. */
const SharedNames = z.object({ sentAt: z.number().int(), digest: z.string(), checkedAt: z.number().int() });
export const sharedNamesKey = (connectionId: string) => `names-shared:${connectionId}`;
const sharedNamesRecord = recordKind({ name: 'names shared with the partner', version: 1, schema: SharedNames, key: sharedNamesKey });

/** The partner's names as it last sent them; undefined for a local connection or before any arrived. */
export async function readPartnerNames(platform: Platform, connection: ConnectionRecord): Promise<PartnerNames | undefined> {
  if (connection.kind === 'local') return undefined;
  return partnerNamesRecord.find(platform, connection.id);
}

/** A picker's view of the partner's names: what Visual mode offers for the partner's side (names only). */
type NamedOnly = { id: string; name: string; iconUrl: null };
export type PartnerPickerValues = { projectKey: string; issueTypes: NamedOnly[]; statuses: NamedOnly[]; priorities: NamedOnly[]; customFields: []; partial: true };

/** The partner's names for Visual mode's pickers; null for a local connection or before any arrived. */
export async function partnerPickerValues(platform: Platform, connection: ConnectionRecord): Promise<PartnerPickerValues | null> {
  const held = await readPartnerNames(platform, connection);
  const projectKey = connection.remote.projectKey;
  if (!held || !projectKey) return null;
  const named = (names: readonly string[]) => names.map((name) => ({ id: name, name, iconUrl: null }));
  const { names } = held;
  return { projectKey, issueTypes: named(names.issueTypes[projectKey.toUpperCase()] ?? []), statuses: named(names.statuses), priorities: named(names.priorities), customFields: [], partial: true };
}

/**
 * Once a day (one storage read otherwise): read this side's names through `jira` (the app's client) and send
 * them to the partner when they differ from what was sent last. Only for a live remote connection. Returns
 * whether a message went out.
 */
export async function shareSiteNamesIfDue(platform: Platform, connection: ConnectionRecord, jira: JiraClient): Promise<boolean> {
  if (connection.kind === 'local' || !isLive(connection)) return false;
  const now = platform.clock.now();
  const last = await sharedNamesRecord.find(platform, connection.id);
  if (last && now - last.checkedAt < SHARE_NAMES_EVERY_MS) return false;
  const read = await readSiteNames(jira, ALL_KINDS, [connection.localProjectKey]);
  const names = { ...read, projects: read.projects.filter((p) => p.toUpperCase() === connection.localProjectKey.toUpperCase()) };
  const digest = createHash('sha256').update(stableJson(names)).digest('hex');
  const changed = last?.digest !== digest;
  if (changed) await sendMessage(platform, connection.id, 'configure', { kind: 'names', at: now, names } satisfies ConfigureMessage);
  await platform.kvs.set(sharedNamesKey(connection.id), { sentAt: changed ? now : last!.sentAt, digest, checkedAt: now } satisfies z.infer<typeof SharedNames>);
  return changed;
}

/**
 * The partner's `names` message: kept when newer than the names held (messages may arrive out of order), and
 * the rules are checked against them at the next maintenance pass (the recheck mark), not in this invocation.
 */
export async function receivePartnerNames(platform: Platform, connection: ConnectionRecord, message: Extract<ConfigureMessage, { kind: 'names' }>): Promise<unknown> {
  if (connection.kind === 'local') return { ignored: 'a local connection' };
  const held = await partnerNamesRecord.find(platform, connection.id);
  if (held && held.at >= message.at) return { ignored: 'not newer' };
  const now = platform.clock.now();
  await platform.kvs.transact([
    { kind: 'set', key: partnerNamesKey(connection.id), value: { at: message.at, receivedAt: now, names: message.names } satisfies PartnerNames },
    { kind: 'set', key: nameRecheckKey(connection.id), value: { at: now, why: 'partner-names' } },
  ]);
  return { ok: true };
}
