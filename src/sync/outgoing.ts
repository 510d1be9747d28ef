import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KVS_LIMITS, type Platform } from '../ports';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, adjustIssuesUnderSync } from '../connections/store';
import { sendMessage } from '../transport';
import { runOutgoing } from '../rules';
import type { Replica } from '../domain/replica';
import { SyncCause, type ReplicaMessage } from '../domain/messages';
import { copyMapsOf, fieldCatalog, readLocalIssue } from './issue-reader';
import { getRules } from './rules-store';
import { lastSentKey, newTwin, twinStore, type Twin } from './twins';
import { syncErrorStore } from './sync-errors';
import { stableJson } from './apply';
import { toChunks } from './attachment-transfer';
import { twinLockName, withTwinLock } from './twin-lock';
import { recordHistory } from './history';
import { countingErrors, recordStat } from './statistics';

// Outgoing pipeline: a local issue changed (or an admin asked) → read it →
// outgoing script → replica → skip when nothing changed since the last one
// sent → new attachment bytes, then the replica, into the durable outbox.

export const OutgoingWork = z.object({
  kind: z.literal('sync.outgoing'),
  connectionId: z.string(),
  localIssueId: z.string(),
  cause: SyncCause,
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
  const locked = await withTwinLock(platform, twinLockName(work.connectionId, work.localIssueId), () => sendLocked(platform, work));
  return locked.ran ? locked.value : { outcome: 'busy' };
}

export type LocalRead = Awaited<ReturnType<typeof readLocalIssue>>;

/**
 * The outgoing pipeline, for a caller that holds the twin's lease. `alreadyRead`
 * is the issue as the caller has just read it (the incoming side, sending this
 * side's unsent edits before it applies the partner's), saving a second read.
 */
export async function sendLocked(platform: Platform, work: OutgoingWork, alreadyRead?: LocalRead): Promise<OutgoingResult> {
  const { kvs, clock } = platform;
  const twins = twinStore(kvs);
  const errors = countingErrors(platform, syncErrorStore(kvs, () => platform.random.uuid()));
  const jira = createJiraClient(platform.jira);
  // Read again under the lease (from this invocation's cache): a deletion marked meanwhile ends the work here.
  const connection = await getConnection(platform, work.connectionId);
  if (!connection) return { outcome: 'no-connection' };

  let twin = await twins.get(work.connectionId, work.localIssueId);
  // An issue comes under sync by a trigger, a bulk run or a person; after that, its events carry it.
  if (!twin && work.cause === 'event') return { outcome: 'not-synced' };
  if (twin?.blockedBy && work.cause !== 'retry') {
    const open = await errors.get(twin.blockedBy);
    if (open?.status === 'open') return { outcome: 'blocked' };
  }

  const catalog = await fieldCatalog(jira, platform, clock.now());
  // Noted before the read: an edit noted after it stays marked for the next run.
  const editedAt = twin ? await twins.editedAt(work.connectionId, work.localIssueId) : undefined;
  let read = alreadyRead;
  try {
    read ??= await readLocalIssue({ jira, storage: platform, issueIdOrKey: work.localIssueId, catalog, copies: copyMapsOf(twin) });
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') return { outcome: 'issue-gone' };
    throw e;
  }
  const { issue } = read;
  // Whatever asked for it (a person, a trigger, a bulk run, an event), an issue outside this side's
  // project is never sent. One not yet synced is simply left alone; a twin whose issue moved away pauses.
  const inScope = issue.projectKey.toUpperCase() === connection.localProjectKey.toUpperCase();
  if (!inScope && !twin) return { outcome: 'out-of-scope' };

  if (!twin) {
    twin = newTwin({ connectionId: work.connectionId, localIssueId: issue.id, localKey: issue.key, origin: 'local', now: clock.now() });
    await twins.save(twin);
    await adjustIssuesUnderSync(platform, work.connectionId, 1);
  }
  twin.localKey = issue.key;

  const rules = await getRules(platform, connection);
  const run = await runOutgoing({ script: rules.outgoing, issue });
  if (editedAt !== undefined && run.ok) await twins.clearEdited(work.connectionId, work.localIssueId, editedAt);
  /** Store an error that needs a person and pause this twin until it is retried or resolved. */
  const pause = async (kind: string, message: string, line: number | null = null, column: number | null = null): Promise<OutgoingResult> => {
    const where = { connectionId: work.connectionId, phase: 'outgoing' as const, localIssueId: issue.id, issueKey: issue.key, remoteIssueId: twin.remoteIssueId };
    const stored = await errors.record({ ...where, kind, message, scriptLine: line, scriptColumn: column }, clock.now());
    await twins.save({ ...twin, status: 'error', blockedBy: stored.id });
    await recordHistory(kvs, twin, clock.now(), { direction: 'out', cause: work.cause, outcome: 'error', message: stored.message, changes: [] });
    return { outcome: 'error', message: stored.message };
  };
  if (!inScope) {
    return pause('out-of-scope', `${issue.key} is now in project ${issue.projectKey}, outside project ${connection.localProjectKey} that "${connection.name}" syncs; it was not sent. Move it back, or unexalate it.`);
  }
  if (!run.ok) return pause(`script-${run.error.kind}`, `Outgoing script: ${run.error.message}`, run.error.line ?? null, run.error.column ?? null);

  const replica = run.replica;
  const replicaJson = stableJson(replica);
  const hash = createHash('sha256').update(replicaJson).digest('hex');
  if (hash === twin.lastSentHash) {
    if (twin.blockedBy) await twins.save({ ...twin, blockedBy: null, status: twin.remoteIssueId ? 'synchronized' : 'pending' });
    return { outcome: 'unchanged' };
  }

  // A replica travels as one message and is kept whole on both sides: one too big for that is an error
  // the admin can act on (share fewer comments, say), not work the queue retries until it gives up.
  const replicaBytes = Buffer.byteLength(replicaJson, 'utf8');
  if (replicaBytes > MAX_REPLICA_BYTES) {
    return pause(
      'replica-too-large',
      `The replica of ${issue.key} is ${Math.ceil(replicaBytes / 1024)} KiB; one may be at most ${MAX_REPLICA_BYTES / 1024} KiB. Share less of the issue in the outgoing script (for example only recent comments), then retry.`,
    );
  }

  const previous = (await twins.lastSent(work.connectionId, issue.id)) ?? null;
  const alreadySent = new Set((previous?.attachments ?? []).map((a) => a.id));
  for (const attachment of replica.attachments ?? []) {
    if (alreadySent.has(attachment.id)) continue;
    const bytes = read.downloaded.get(attachment.id) ?? (await jira.attachments.content(attachment.id));
    for (const chunk of toChunks(attachment.id, bytes)) await sendMessage(platform, work.connectionId, 'attachment', chunk);
  }

  const seq = twin.outSeq + 1;
  const fieldTimes = { ...twin.fieldTimes };
  const now = clock.now();
  // A field that now holds what the partner last sent us is the partner's change coming round, not ours:
  // it keeps its old time, so it cannot outrank a newer edit made over there.
  const lastApplied: Partial<Replica> = (await twins.lastApplied(work.connectionId, issue.id)) ?? {};
  for (const change of replicaChanges(previous, replica)) {
    const field = change.field as keyof Replica;
    if (field in lastApplied && stableJson(lastApplied[field] ?? null) === stableJson(replica[field] ?? null)) continue;
    // Strictly later than its last time, even within one clock tick: the partner tells a change by its time moving.
    fieldTimes[change.field] = Math.max(now, (twin.fieldTimes[change.field] ?? 0) + 1);
  }
  const message: ReplicaMessage = { issueId: issue.id, issueKey: issue.key, seq, cause: work.cause, known: twin.remoteIssueId !== null, changedAt: fieldTimes, replica };
  await sendMessage(platform, work.connectionId, 'replica', message);
  await kvs.set(lastSentKey(work.connectionId, issue.id), replica);
  // Pending until the partner has applied it and answered with an ack.
  const saved: Twin = { ...twin, outSeq: seq, lastSentHash: hash, fieldTimes, blockedBy: null, status: 'pending' };
  await twins.save(saved);
  await recordHistory(kvs, saved, clock.now(), { direction: 'out', cause: work.cause, outcome: 'sent', seq, changes: replicaChanges(previous, replica), logs: run.logs });
  await recordStat(platform, work.connectionId, { out: 1, created: twin.outSeq === 0 && !twin.remoteIssueId ? 1 : 0 });
  return { outcome: 'sent', seq };
}

/** Which replica fields differ from the last one sent, for the sync history. */
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
