import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KVS_LIMITS, type KvsTransactionOp, type Platform } from '../ports';
import { createJiraClient, type JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, issuesUnderSyncStep } from '../connections/store';
import { deliverNow, sendMessage, sendMessageWith } from '../transport';
import { runOutgoing } from '../rules';
import type { ConnectionRecord } from '../domain/connection';
import type { Replica } from '../domain/replica';
import { SyncCause, type InlineFile, type ReplicaMessage } from '../domain/messages';
import { copyMapsOf, fieldCatalog, knownHashesOf, readLocalIssue } from './issue-reader';
import { getRules } from './rules-store';
import { prefetchLookups } from './lookups';
import { preludeNeeds } from '../rules/prelude';
import { keepReplica, newTwin, twinStore, type Twin, type TwinStore } from './twins';
import { syncErrorStore, type SyncErrorStore } from './sync-errors';
import { stableJson } from './apply';
import { INLINE_FILES_MAX_BYTES, toChunks, toInlineFile } from './attachment-transfer';
import { holdsUntilItsEnd, leaseHandOp, leaseReleaseOp, twinLockName, withTwinLock } from './twin-lock';
import { historyOps, saveWithHistory } from './history';
import { countingErrors, foldSometimes, statOp } from './statistics';
import { fieldEditedAt, stampOf } from './edit-times';
import { linksCameFromPartner, namesLink, seenFromOtherEnd } from './links';

// Outgoing pipeline: a local issue changed (or an admin asked) → read it →
// outgoing script → replica → skip when nothing changed since the last one
// sent → new attachment bytes, then the replica, into the durable outbox.

export const OutgoingWork = z.object({
  kind: z.literal('sync.outgoing'),
  connectionId: z.string(),
  localIssueId: z.string(),
  cause: SyncCause,
  /** How many times this work found the twin's lease held (./busy-retry.ts). */
  busyTries: z.number().int().nonnegative().optional(),
  /**
   * Run by the invocation that saw the edit's product event (./outgoing-now.ts): that edit was not noted, so
   * the edit mark is not read; a mark another event left stays for the queued work that came with it.
   */
  inline: z.boolean().optional(),
});
export type OutgoingWork = z.infer<typeof OutgoingWork>;

export type OutgoingResult =
  | { outcome: 'sent'; seq: number }
  | { outcome: 'unchanged' | 'not-synced' | 'blocked' | 'no-connection' | 'busy' | 'issue-gone' | 'out-of-scope' }
  | { outcome: 'error'; message: string };

/** Room left in a storage value (and a message) for the envelope around the replica. */
const MAX_REPLICA_BYTES = KVS_LIMITS.maxValueBytes - 16 * 1024;

export async function syncOutgoing(platform: Platform, work: OutgoingWork): Promise<OutgoingResult> {
  const connection = await getConnection(platform, work.connectionId);
  if (!connection || connection.state === 'pending') return { outcome: 'no-connection' };
  const lease = twinLockName(work.connectionId, work.localIssueId);
  const locked = await withTwinLock(platform, lease, async () => {
    const result = await sendLocked(platform, work);
    // Delivered while the lease is still held (when the invocation ends before the lease does, as a
    // product event's does): the partner's answer carries the ack, taken under this same lease.
    if (result.outcome === 'sent' && holdsUntilItsEnd(platform, lease)) await deliverNow(platform, work.connectionId);
    return result;
  });
  return locked.ran ? locked.value : { outcome: 'busy' };
}

export type LocalRead = Awaited<ReturnType<typeof readLocalIssue>>;

/** What one outgoing step works with, once the issue is read and may be sent. */
interface Step {
  platform: Platform;
  work: OutgoingWork;
  connection: ConnectionRecord;
  jira: JiraClient;
  twins: TwinStore;
  errors: SyncErrorStore;
  read: LocalRead;
  /** When the person's edit this run reads was noted, if one was. */
  editedAt: number | undefined;
  /** Set when the twin is new and not stored yet: the writes that count it, for the run's one transaction. */
  firstWrite?: KvsTransactionOp[];
}

/**
 * The outgoing pipeline, for a caller that holds the twin's lease. `alreadyRead`
 * is the issue as the caller has just read it (the incoming side, sending this
 * side's unsent edits before it applies the partner's), saving a second read.
 */
export async function sendLocked(platform: Platform, work: OutgoingWork, alreadyRead?: LocalRead): Promise<OutgoingResult> {
  const ready = await prepare(platform, work, alreadyRead);
  if ('outcome' in ready) return ready;
  const { step, twin: found } = ready;
  const { issue } = step.read;
  // Whatever asked for it (a person, a trigger, a bulk run, an event), an issue outside this side's
  // project is never sent. One not yet synced is simply left alone; a twin whose issue moved away pauses.
  const inScope = issue.projectKey.toUpperCase() === step.connection.localProjectKey.toUpperCase();
  if (!inScope && !found) return { outcome: 'out-of-scope' };
  const twin = found ?? startTwin(step);
  twin.localKey = issue.key;
  // A new twin is written once, with whatever this run ends in (the replica sent, or the pause), and counted
  // in that same write (issues under sync, twins created), so a retry after a refusal counts it once.
  if (!found) step.firstWrite = [await issuesUnderSyncStep(platform, work.connectionId, 1)];

  const rules = await getRules(platform, step.connection);
  // nodeHelper answers in outgoing scripts too: the same look-ups, about the local issue's people.
  const lookups = preludeNeeds(rules.outgoing).nodeHelper
    ? (await prefetchLookups({ jira: step.jira, storage: platform, now: platform.clock.now(), projectKeys: [issue.projectKey], replica: issue, script: rules.outgoing, connectionId: step.connection.id, twins: step.twins, accounts: twin.accounts })).lookups
    : undefined;
  const run = await runOutgoing({ script: rules.outgoing, issue, lookups });
  if (step.editedAt !== undefined && run.ok) await step.twins.clearEdited(work.connectionId, work.localIssueId, step.editedAt);
  if (!inScope) {
    return pause(step, twin, 'out-of-scope', `${issue.key} is now in project ${issue.projectKey}, outside project ${step.connection.localProjectKey} that "${step.connection.name}" syncs; it was not sent. Move it back, or unexalate it.`);
  }
  if (!run.ok) return pause(step, twin, `script-${run.error.kind}`, `Outgoing script: ${run.error.message}`, run.error.line ?? null, run.error.column ?? null);

  const replicaJson = stableJson(run.replica);
  const hash = createHash('sha256').update(replicaJson).digest('hex');
  // Unchanged since last sent, unless the partner's changes were written here since: then a replica equal to
  // the last one sent means a person changed a field back, which must travel (changeTimes).
  if (hash === twin.lastSentHash && !(twin.appliedSinceSent ?? []).some((field) => field in run.replica)) {
    if (twin.blockedBy) await step.twins.save({ ...twin, blockedBy: null, status: twin.remoteIssueId ? 'synchronized' : 'pending' });
    return { outcome: 'unchanged' };
  }
  // A replica travels as one message and is kept whole on both sides: one too big for that is an error
  // the admin can act on (share fewer comments, say), not work the queue retries until it gives up.
  const replicaBytes = Buffer.byteLength(replicaJson, 'utf8');
  if (replicaBytes > MAX_REPLICA_BYTES) {
    return pause(
      step,
      twin,
      'replica-too-large',
      `The replica of ${issue.key} is ${Math.ceil(replicaBytes / 1024)} KiB; one may be at most ${MAX_REPLICA_BYTES / 1024} KiB. Share less of the issue in the outgoing script (for example only recent comments), then retry.`,
    );
  }
  return send(step, twin, run.replica, hash, run.logs);
}

/** The connection, the twin and the issue as it is now; an outcome instead when there is nothing to send. */
async function prepare(platform: Platform, work: OutgoingWork, alreadyRead?: LocalRead): Promise<{ step: Step; twin: Twin | undefined } | OutgoingResult> {
  const twins = twinStore(platform.kvs);
  const errors = countingErrors(platform, syncErrorStore(platform.kvs, () => platform.random.uuid()));
  // Read again under the lease (from this invocation's cache): a deletion marked meanwhile ends the work here.
  const connection = await getConnection(platform, work.connectionId);
  if (!connection) return { outcome: 'no-connection' };
  const twin = await twins.get(work.connectionId, work.localIssueId);
  // An issue comes under sync by a trigger, a bulk run or a person; after that, its events carry it.
  if (!twin && work.cause === 'event') return { outcome: 'not-synced' };
  if (twin?.blockedBy && work.cause !== 'retry') {
    const open = await errors.get(twin.blockedBy);
    if (open?.status === 'open') return { outcome: 'blocked' };
  }
  const jira = createJiraClient(platform.jira);
  const catalog = await fieldCatalog(jira, platform, platform.clock.now());
  // Noted before the read: an edit noted after it stays marked for the next run.
  const editedAt = twin && !work.inline ? await twins.editedAt(work.connectionId, work.localIssueId) : undefined;
  let read = alreadyRead;
  try {
    read ??= await readLocalIssue({ jira, storage: platform, issueIdOrKey: work.localIssueId, catalog, copies: copyMapsOf(twin), knownHashes: knownHashesOf(twin) });
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') return { outcome: 'issue-gone' };
    throw e;
  }
  return { step: { platform, work, connection, jira, twins, errors, read, editedAt }, twin };
}

/** The issue comes under sync: a new twin, not yet stored (see `Step.firstWrite`). */
function startTwin(step: Step): Twin {
  const { platform, work } = step;
  const { issue } = step.read;
  return newTwin({ connectionId: work.connectionId, localIssueId: issue.id, localKey: issue.key, origin: 'local', now: platform.clock.now() });
}

/** The statistic of this run's write: a new twin's is counted as created too. */
const statOf = (step: Step, event: { out?: number }) => statOp(step.platform, step.work.connectionId, { ...event, ...(step.firstWrite ? { created: 1 } : {}) });

/** Store an error that needs a person and pause this twin until it is retried or resolved. */
async function pause(step: Step, twin: Twin, kind: string, message: string, line: number | null = null, column: number | null = null): Promise<OutgoingResult> {
  const { platform, work } = step;
  const { issue } = step.read;
  const where = { connectionId: work.connectionId, phase: 'outgoing' as const, localIssueId: issue.id, issueKey: issue.key, remoteIssueId: twin.remoteIssueId };
  const stored = await step.errors.record({ ...where, kind, message, scriptLine: line, scriptColumn: column }, platform.clock.now());
  const counted = step.firstWrite ? [...step.firstWrite, statOf(step, {})] : [];
  await saveWithHistory(platform.kvs, { ...twin, status: 'error', blockedBy: stored.id }, platform.clock.now(), { direction: 'out', cause: work.cause, outcome: 'error', message: stored.message, changes: [] }, counted);
  return { outcome: 'error', message: stored.message };
}

/** New attachment bytes first, then the replica with each field's time, into the outbox; the twin waits for the ack. */
async function send(step: Step, twin: Twin, replica: Replica, hash: string, logs: string[]): Promise<OutgoingResult> {
  const { platform, work, twins } = step;
  const { issue } = step.read;
  const previous = (await twins.lastSent(twin)) ?? null;
  const alreadySent = new Set((previous?.attachments ?? []).map((a) => a.id));
  // Small new files ride inside the replica to a partner that takes them; the others go ahead of it in chunks.
  const files: InlineFile[] = [];
  let inlineRoom = step.connection.partnerTakesFiles ? INLINE_FILES_MAX_BYTES : 0;
  for (const attachment of replica.attachments ?? []) {
    if (alreadySent.has(attachment.id)) continue;
    const bytes = step.read.downloaded.get(attachment.id) ?? (await step.jira.attachments.content(attachment.id));
    if (bytes.length <= inlineRoom) {
      files.push(toInlineFile(attachment.id, bytes));
      inlineRoom -= bytes.length;
      continue;
    }
    for (const chunk of toChunks(attachment.id, bytes)) await sendMessage(platform, work.connectionId, 'attachment', chunk);
  }
  const seq = twin.outSeq + 1;
  const fieldTimes = await changeTimes(step, twin, previous, replica);
  // The first replica after a Connect this side's initial sync wins carries the flag, whatever work sends it.
  const initialSync = twin.initialSync === 'send' ? { initialSync: true } : {};
  const message: ReplicaMessage = { issueId: issue.id, issueKey: issue.key, seq, cause: work.cause, known: twin.remoteIssueId !== null, changedAt: fieldTimes, replica, ackInAnswer: true, ...(twin.remoteIssueId ? { yourIssueId: twin.remoteIssueId } : {}), ...initialSync, ...(files.length ? { files } : {}) };
  // Pending until the partner has applied it and answered with an ack.
  const sending: Twin = { ...twin, outSeq: seq, lastSentHash: hash, fieldTimes, appliedSinceSent: undefined, editsReadUpTo: readUpTo(twin, step.read), blockedBy: null, status: 'pending' };
  if (sending.initialSync === 'send') delete sending.initialSync;
  const kept = keepReplica(sending, 'sent', replica);
  const history = await historyOps(platform.kvs, kept.twin, platform.clock.now(), { direction: 'out', cause: work.cause, outcome: 'sent', seq, changes: historyChanges(previous, replica), logs });
  const saved: Twin = { ...kept.twin, historyCount: history.count };
  const also = [...kept.ops, ...history.ops, ...(step.firstWrite ?? []), statOf(step, { out: 1 })];
  // One transaction: the replica in the outbox, the replica kept for comparing, the twin, its history line
  // and its statistic. Refused (a storage rate limit) or cut short, none of it happened and the retry sends
  // the replica under the same seq; apart, a retry after the twin's write would find nothing changed and
  // the history line and the count would be lost.
  // An invocation that will not take the ack under this lease (it could outlive it: a queue worker's bulk
  // page) lets go of it in this same transaction. A bulk step hands it on to the ack instead: the page
  // delivers its replicas as soon as it is done, and the worker that takes the partner's answer writes the
  // twin under it with no lease of its own to write (./twin-lock.ts). Other queued sends let go: their
  // delivery may be backing off, and the partner's own edits to the twin would wait behind the lease.
  const lease = twinLockName(work.connectionId, work.localIssueId);
  const release = holdsUntilItsEnd(platform, lease)
    ? undefined
    : work.cause === 'bulk'
      ? leaseHandOp(platform.kvs, lease, seq, platform.clock.now())
      : leaseReleaseOp(platform.kvs, lease);
  await sendMessageWith(platform, work.connectionId, 'replica', message, async (outboxOps) => {
    await twins.save(saved, [...outboxOps, ...also, ...(release ? [release.op] : [])]);
    release?.committed();
  });
  await foldSometimes(platform, work.connectionId);
  return { outcome: 'sent', seq };
}

/**
 * When this side last changed each replica field: for the fields this replica changes, when the change was
 * made as Jira recorded it (./edit-times.ts), not when it is sent, which may be minutes later.
 */
async function changeTimes(step: Step, twin: Twin, previous: Replica | null, replica: Replica): Promise<Record<string, number>> {
  const fieldTimes = { ...twin.fieldTimes };
  const now = step.platform.clock.now();
  const stamp = (field: keyof Replica) =>
    stampOf(fieldEditedAt(step.read.edits, field, previous, replica) ?? now, twin.fieldTimes[field], twin.remoteFieldTimes[field]);
  // A field that now holds what the partner last sent us is the partner's change coming round, not ours:
  // it keeps its old time, so it cannot outrank a newer edit made over there. Only while the partner's
  // change is the newer one, though: when this side changed the field since, holding the partner's value
  // again is a person here changing it back, which must travel like any other edit.
  const lastApplied: Partial<Replica> = (await step.twins.lastApplied(twin)) ?? {};
  for (const change of replicaChanges(previous, replica)) {
    const field = change.field as keyof Replica;
    const partnersIsNewer = (twin.remoteFieldTimes[change.field] ?? 0) > (twin.fieldTimes[change.field] ?? 0);
    if (partnersIsNewer && field in lastApplied && (await holdsPartnersValue(step, twin, field, previous, replica, lastApplied))) continue;
    // Strictly later than any time known for it: the partner tells a change by its time moving.
    fieldTimes[change.field] = stamp(field);
  }
  // A field the partner's change wrote here that is back at the value last sent: changed back by a person here.
  for (const field of twin.appliedSinceSent ?? []) {
    const key = field as keyof Replica;
    if (previous && key in replica && stableJson(previous[key] ?? null) === stableJson(replica[key] ?? null)) fieldTimes[field] = stamp(key);
  }
  return fieldTimes;
}

/**
 * Whether `field` now holds what the partner last sent. Links name their other ends by each side's own ids,
 * so the partner's list is compared after mapping its ids through the twin index (./links.ts); every other
 * field compares as it is.
 */
async function holdsPartnersValue(step: Step, twin: Twin, field: keyof Replica, previous: Replica | null, replica: Replica, lastApplied: Partial<Replica>): Promise<boolean> {
  if (field !== 'issueLinks') return stableJson(lastApplied[field] ?? null) === stableJson(replica[field] ?? null);
  return linksCameFromPartner({
    sent: previous?.issueLinks ?? [],
    now: replica.issueLinks ?? [],
    partners: lastApplied.issueLinks ?? [],
    localIdOf: (remoteIssueId) => step.twins.localIdOf(step.work.connectionId, remoteIssueId),
    // Read only for a link the partner names that is gone here: the other end's twin and its last list.
    namedAtOtherEnd: async (otherLocalId, link) => {
      const other = await step.twins.get(step.work.connectionId, otherLocalId);
      if (!other || !twin.remoteIssueId) return true;
      return namesLink((await step.twins.lastApplied(other))?.issueLinks, seenFromOtherEnd(link, twin.remoteIssueId));
    },
  });
}

/** The newest person's change this run has read: later ones are edits not yet sent (./incoming/concurrency.ts). */
function readUpTo(twin: Twin, read: LocalRead): number | undefined {
  const seen = read.edits.lastPersonEdit;
  if (seen === undefined) return twin.editsReadUpTo;
  return Math.max(seen, twin.editsReadUpTo ?? 0);
}

/** Which replica fields differ from the last one sent: every field, as the change times need them. */
function replicaChanges(previous: Replica | null, next: Replica): { field: string; from: unknown; to: unknown }[] {
  const changes = [];
  const keys = new Set([...Object.keys(previous ?? {}), ...Object.keys(next)]) as Set<keyof Replica>;
  for (const key of keys) {
    const before = previous?.[key];
    const after = next[key];
    if (stableJson(before ?? null) !== stableJson(after ?? null)) changes.push({ field: key, from: summarize(before), to: summarize(after) });
  }
  return changes;
}

/** What names the issue rather than holds its content: never a change a person made. */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['id', 'key', 'url', 'customKeys']);

/** An empty value: on a first send, listing it ("labels: empty → 0 items") says nothing. */
const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);

/** The changes a sent replica's history lists: content only, and on a first send only what it carries. */
export function historyChanges(previous: Replica | null, next: Replica): { field: string; from: unknown; to: unknown }[] {
  return replicaChanges(previous, next).filter((c) => !IDENTITY_FIELDS.has(c.field) && (previous !== null || !isEmpty(next[c.field as keyof Replica])));
}

/**
 * Short enough for a history line: lists become counts, documents become their text, people, statuses and
 * types their name with the id beside it (the panel shows the name, the id on hover).
 */
function summarize(value: unknown): unknown {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value && typeof value === 'object') {
    const v = value as { name?: string; displayName?: string; type?: string; accountId?: string; id?: string };
    if (v.type === 'doc') return adfText(value).slice(0, 200);
    const label = v.displayName ?? v.name;
    const id = v.accountId ?? v.id;
    if (label !== undefined) return id ? { label, id } : label;
    return JSON.stringify(value).slice(0, 200);
  }
  return value ?? null;
}

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(adfText).join(' ');
}
