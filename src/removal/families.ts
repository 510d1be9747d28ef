import type { KvsEntry } from '../ports';
import { issueIndexKey, twinPrefix, remoteIndexPrefix, editedPrefix, creationPrefix, lastSentPrefix, lastAppliedPrefix } from '../sync/twins';
import { countStepPrefix, statsKey, lastSyncKey } from '../connections/store';
import { invitationKey, invitationUsedKey } from '../connections/invitations';
import { invitationRefusalKey } from '../connections/invitation-refusals';
import { rotationKey } from '../connections/rotation-record';
import { rulesKey } from '../sync/rules-store';
import { mappingKey } from '../sync/visual-store';
import { peopleKey } from '../sync/people';
import { partnerStateKey } from '../sync/visual-configure';
import { recountedAtKey, recountLockName } from '../sync/twins-maintenance';
import { nameCheckKey } from '../sync/name-drift';
import { nameRecheckKey } from '../sync/name-recheck';
import { partnerNamesKey, sharedNamesKey } from '../sync/partner-names';
import { lockKey, twinLockName } from '../sync/twin-lock';
import { inboxLockName } from '../sync/incoming';
import { historyCounterPrefix, historyPrefix } from '../sync/history';
import { dayPrefix, deltaPrefix, foldLockName } from '../sync/statistics';
import { ERROR_PREFIX, twinErrorPrefix } from '../sync/sync-errors';
import { chunkPrefix } from '../sync/attachment-transfer';
import { inboxPrefix } from '../sync/incoming';
import { JOB_PREFIX, RUNNING_PREFIX, JobKind, runningKey } from '../operations/jobs';
import { TRIGGER_PREFIX } from '../triggers/store';
import { CONNECT_PREFIX } from '../sync/connect-requests';
import {
  deadLetterPrefix,
  deliveryKey,
  kickKey,
  leaseKey,
  outboxPrefix,
  pollActivityKey,
  pollChainKey,
  pollConfirmsKey,
  pollHopPrefix,
  seenExpiryPrefix,
  seenPrefix,
  seqClaimPrefix,
  seqHintKey,
} from '../transport/keys';

// Every kind of key the app stores for a connection, in one list, built
// from the key builders of the modules that own them (so a key format has
// one source). The purge walks this list for one connection; the orphan
// sweep reads the light families to find connection ids with no record.
// test/removal/families.test.ts fails when a module adds a key family that
// is not here.
//
// Not here, on purpose: the connection record (the purge deletes it last),
// the tombstone (it outlives the connection until the partner has heard),
// and what belongs to the site rather than a connection (`instance:`,
// `meta:` caches, `attsha:` attachment hashes).

/** One key per connection. */
export interface SingleFamily {
  kind: 'single';
  name: string;
  key: (connectionId: string) => string;
  /** Read by the orphan sweep: small values, and never written before the connection record exists. */
  probe: boolean;
}

/** Keys under `<head><connection id>:`. */
export interface PrefixFamily {
  kind: 'prefix';
  name: string;
  prefix: (connectionId: string) => string;
  probe: boolean;
  /** Keys elsewhere that go in the same transaction as each entry (an index keyed by issue first). */
  companions?: (connectionId: string, entry: KvsEntry) => string[];
}

/** A family all connections share, whose entries name their connection in the key or the value. */
export interface SharedFamily {
  kind: 'shared';
  name: string;
  prefix: string;
  ownerOf: (entry: KvsEntry) => string | undefined;
  companions?: (entry: KvsEntry) => string[];
}

export type KeyFamily = SingleFamily | PrefixFamily | SharedFamily;

const lastSegment = (key: string) => key.slice(key.lastIndexOf(':') + 1);
const connectionIdIn = (value: unknown) => {
  const id = (value as { connectionId?: unknown } | null)?.connectionId;
  return typeof id === 'string' ? id : undefined;
};
const prefixOfLock = (name: (connectionId: string, rest: string) => string) => (connectionId: string) => lockKey(name(connectionId, ''));

/**
 * Purge order matters only at the ends: the twins first, so issue panels
 * stop showing them at once; the secret last (the tombstone is written from it
 * before this list is walked); the record after all of these.
 */
export const FAMILIES: readonly KeyFamily[] = [
  {
    kind: 'prefix',
    name: 'twins',
    prefix: twinPrefix,
    probe: false,
    companions: (connectionId, entry) => {
      const localIssueId = entry.key.slice(twinPrefix(connectionId).length);
      return [issueIndexKey(localIssueId, connectionId)];
    },
  },
  { kind: 'prefix', name: 'twin remote index', prefix: remoteIndexPrefix, probe: true },
  { kind: 'prefix', name: 'twin edit marks', prefix: editedPrefix, probe: true },
  { kind: 'prefix', name: 'issues-under-sync steps', prefix: countStepPrefix, probe: true },
  { kind: 'prefix', name: 'issue creation claims', prefix: creationPrefix, probe: true },
  { kind: 'prefix', name: 'last replica sent', prefix: lastSentPrefix, probe: false },
  { kind: 'prefix', name: 'last replica applied', prefix: lastAppliedPrefix, probe: false },
  { kind: 'prefix', name: 'outbox', prefix: outboxPrefix, probe: false },
  { kind: 'prefix', name: 'messages set aside', prefix: deadLetterPrefix, probe: false },
  { kind: 'prefix', name: 'sequence claims', prefix: seqClaimPrefix, probe: true },
  { kind: 'prefix', name: 'inbox', prefix: inboxPrefix, probe: false },
  { kind: 'prefix', name: 'attachment transfers', prefix: chunkPrefix, probe: false },
  { kind: 'prefix', name: 'history', prefix: historyPrefix, probe: false },
  { kind: 'prefix', name: 'history counters', prefix: historyCounterPrefix, probe: true },
  { kind: 'prefix', name: 'statistics', prefix: dayPrefix, probe: true },
  { kind: 'prefix', name: 'statistics events', prefix: deltaPrefix, probe: true },
  { kind: 'prefix', name: 'error index', prefix: twinErrorPrefix, probe: true },
  { kind: 'prefix', name: 'messages seen', prefix: seenPrefix, probe: false },
  { kind: 'prefix', name: 'messages seen, by expiry', prefix: seenExpiryPrefix, probe: true },
  { kind: 'prefix', name: 'poll hops', prefix: pollHopPrefix, probe: true },
  { kind: 'prefix', name: 'twin leases', prefix: prefixOfLock(twinLockName), probe: true },
  { kind: 'prefix', name: 'inbox leases', prefix: prefixOfLock(inboxLockName), probe: true },
  { kind: 'prefix', name: 'statistics leases', prefix: prefixOfLock(foldLockName), probe: true },
  { kind: 'shared', name: 'errors', prefix: ERROR_PREFIX, ownerOf: (entry) => connectionIdIn(entry.value) },
  {
    kind: 'shared',
    name: 'jobs',
    prefix: JOB_PREFIX,
    ownerOf: (entry) => connectionIdIn(entry.value),
    companions: (entry) => {
      const job = entry.value as { kind?: unknown; triggerId?: unknown };
      const kind = JobKind.safeParse(job.kind);
      return kind.success && typeof job.triggerId === 'string' ? [runningKey(kind.data, job.triggerId)] : [];
    },
  },
  {
    kind: 'shared',
    name: 'triggers',
    prefix: TRIGGER_PREFIX,
    ownerOf: (entry) => connectionIdIn(entry.value),
    companions: (entry) => {
      const id = (entry.value as { id?: unknown }).id;
      return typeof id === 'string' ? JobKind.options.map((kind) => runningKey(kind, id)) : [];
    },
  },
  { kind: 'shared', name: 'connect requests', prefix: CONNECT_PREFIX, ownerOf: (entry) => lastSegment(entry.key) },
  { kind: 'single', name: 'issues under sync', key: statsKey, probe: true },
  { kind: 'single', name: 'last sync', key: lastSyncKey, probe: true },
  // Written just before the connection record when an invitation is made: never read as an orphan.
  { kind: 'single', name: 'invitation', key: invitationKey, probe: false },
  { kind: 'single', name: 'invitation use', key: invitationUsedKey, probe: true },
  { kind: 'single', name: 'refused acceptance', key: invitationRefusalKey, probe: true },
  { kind: 'single', name: 'secret rotation', key: rotationKey, probe: true },
  { kind: 'single', name: 'rules', key: rulesKey, probe: true },
  { kind: 'single', name: 'Visual mapping', key: mappingKey, probe: false },
  { kind: 'single', name: 'people mapping', key: peopleKey, probe: false },
  { kind: 'single', name: 'Visual mapping, partner state', key: partnerStateKey, probe: true },
  { kind: 'single', name: 'recount time', key: recountedAtKey, probe: true },
  { kind: 'single', name: 'rule names check', key: nameCheckKey, probe: true },
  { kind: 'single', name: 'rule names recheck', key: nameRecheckKey, probe: true },
  { kind: 'single', name: 'partner names', key: partnerNamesKey, probe: true },
  { kind: 'single', name: 'names shared with the partner', key: sharedNamesKey, probe: true },
  { kind: 'single', name: 'recount lease', key: (connectionId) => lockKey(recountLockName(connectionId)), probe: true },
  { kind: 'single', name: 'sequence hint', key: seqHintKey, probe: true },
  { kind: 'single', name: 'delivery state', key: deliveryKey, probe: true },
  { kind: 'single', name: 'delivery nudge', key: kickKey, probe: true },
  { kind: 'single', name: 'delivery lease', key: leaseKey, probe: true },
  { kind: 'single', name: 'poll chain', key: pollChainKey, probe: true },
  { kind: 'single', name: 'poll activity', key: pollActivityKey, probe: true },
  { kind: 'single', name: 'poll confirmations', key: pollConfirmsKey, probe: false },
];

/** Job-running pointers name a trigger, not a connection: the jobs and triggers families take them along. */
export const JOB_RUNNING_PREFIX = RUNNING_PREFIX;

const MARK = '\u0001';

/**
 * The fixed start of a family's keys, before the connection id, taken from
 * the family's own key builder (so it cannot drift from it).
 */
export function headOf(family: SingleFamily | PrefixFamily): string {
  const sample = family.kind === 'single' ? family.key(MARK) : family.prefix(MARK);
  return sample.slice(0, sample.indexOf(MARK));
}

/** The connection id in a key of a connection-first family. */
export function connectionIdOfKey(family: SingleFamily | PrefixFamily, key: string): string {
  const rest = key.slice(headOf(family).length);
  return family.kind === 'single' ? rest : rest.slice(0, rest.indexOf(':') === -1 ? rest.length : rest.indexOf(':'));
}
