import { z } from 'zod';
import type { Platform } from '../ports';
import { recordKind } from '../domain/stored-record';
import type { ConnectionRecord } from '../domain/connection';
import { ReplicaMessage, type AckMessage, type MessageOf } from '../domain/messages';
import { Replica, type DesiredIssue, type IncomingIssue } from '../domain/replica';
import { createJiraClient, type JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, adjustIssuesUnderSync, recordLastSync } from '../connections/store';
import { sendMessage } from '../transport';
import { runIncoming } from '../rules';
import { copyMapsOf, fieldCatalog, issueBrowseUrl, readLocalIssue, type FieldCatalog } from './issue-reader';
import { getRules } from './rules-store';
import { lastAppliedKey, newTwin, twinStore, type Twin, type TwinStore } from './twins';
import { syncErrorStore, type SyncErrorStore } from './sync-errors';
import { applyAttachments, applyComments, fieldsToWrite, transitionTo, type AppliedChange } from './apply';
import { assemble, discardChunks } from './attachment-transfer';
import { prefetchLookups } from './lookups';
import { twinLockName, withTwinLock } from './twin-lock';
import { recordHistory } from './history';
import { countingErrors, recordStat } from './statistics';
import { sendLocked, type LocalRead } from './outgoing';
import { endTwin } from './twin-end';

// Incoming pipeline. Receiving only stores the newest replica per partner
// issue (an inbox) and queues the work, so the partner's request is answered
// at once; the work then runs the incoming script and applies the difference
// to Jira, remembering the twin before anything else so that a retry never
// creates a second issue, and answers with an ack carrying the local key.

export const IncomingWork = z.object({
  kind: z.literal('sync.incoming'),
  connectionId: z.string(),
  remoteIssueId: z.string(),
});
export type IncomingWork = z.infer<typeof IncomingWork>;

const CLAIM_TAKEOVER_MS = 2 * 60_000;
/** Per partner issue, the newest replica taken and not yet applied. */
export const inboxPrefix = (connectionId: string) => `inbox:${connectionId}:`;
export const inboxKey = (connectionId: string, remoteIssueId: string) => `${inboxPrefix(connectionId)}${remoteIssueId}`;
/** The replica message as it came, with when the partner sent it (older entries have no `sentAt`). */
export const InboxEntry = ReplicaMessage.extend({ sentAt: z.number().optional() });
export const inboxRecord = recordKind({ name: 'inbox replica', version: 1, schema: InboxEntry, key: inboxKey });
/** The lease of a partner issue's inbox, before a twin exists to take the twin's lease. */
export const inboxLockName = (connectionId: string, remoteIssueId: string) => `in:${connectionId}:${remoteIssueId}`;

/** Inbound `replica` handler: keep the newest, queue the work. */
export async function receiveReplica(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'replica'>): Promise<unknown> {
  const message = envelope.body;
  const key = inboxKey(connection.id, message.issueId);
  const waiting = await inboxRecord.find(platform, connection.id, message.issueId);
  // Rapid edits coalesce: only the newest replica per partner issue waits to be applied.
  if (!waiting || waiting.seq < message.seq) await platform.kvs.set(key, { ...message, sentAt: envelope.sentAt });
  await platform.queue.push([{ body: { kind: 'sync.incoming', connectionId: connection.id, remoteIssueId: message.issueId } }]);
  return { queued: true };
}

export type IncomingResultOutcome = 'applied' | 'created' | 'stale' | 'empty' | 'blocked' | 'busy' | 'error' | 'no-connection' | 'waiting-for-attachments';

export async function syncIncoming(platform: Platform, work: IncomingWork): Promise<IncomingResultOutcome> {
  const connection = await getConnection(platform, work.connectionId);
  if (!connection) return 'no-connection';
  const locked = await withTwinLock(platform, inboxLockName(work.connectionId, work.remoteIssueId), async () => {
    const localIssueId = await twinStore(platform.kvs).localIdOf(connection.id, work.remoteIssueId);
    if (!localIssueId) return applyInbox(platform, connection, work);
    // Once the twin exists, its outgoing work shares the lease: this side's unsent edits and the
    // partner's replica are then weighed against each other in one place, one worker at a time.
    const held = await withTwinLock(platform, twinLockName(connection.id, localIssueId), () => applyInbox(platform, connection, work));
    return held.ran ? held.value : 'busy';
  });
  if (!locked.ran || locked.value === 'busy') {
    // Another worker holds this twin: come back shortly rather than lose the work.
    await platform.queue.push([{ body: work, delayInSeconds: 2 }]);
    return 'busy';
  }
  return locked.value;
}

async function applyInbox(platform: Platform, connection: ConnectionRecord, work: IncomingWork): Promise<IncomingResultOutcome> {
  const { kvs, clock } = platform;
  const message = await inboxRecord.get(kvs, connection.id, work.remoteIssueId);
  if (!message) return 'empty';
  const replicaParsed = Replica.safeParse(message.replica);
  const twins = twinStore(kvs);
  const errors = countingErrors(platform, syncErrorStore(kvs, () => platform.random.uuid()));
  let twin = await twins.findByRemote(connection.id, work.remoteIssueId);

  // A replica for a twin that has ended here (unexalated while it travelled) must not create a new issue.
  if (!twin && message.known) {
    await clearInbox(platform, connection.id, work.remoteIssueId, message.seq);
    return 'stale';
  }
  if (twin && message.seq <= twin.inSeq) {
    await clearInbox(platform, connection.id, work.remoteIssueId, message.seq);
    return 'stale';
  }
  const blocking = await errors.openFor(connection.id, 'incoming', { localIssueId: twin?.localIssueId, remoteIssueId: twin ? null : work.remoteIssueId });
  if (blocking) return 'blocked';
  if (!replicaParsed.success) {
    await errors.record(errorOf(connection, twin, work, 'bad-replica', `The partner sent a replica this side cannot read: ${replicaParsed.error.issues[0]?.message}`), clock.now());
    return 'error';
  }
  const replica = replicaParsed.data;

  const jira = createJiraClient(platform.jira);
  const catalog = await fieldCatalog(jira, platform, clock.now());
  const read = twin ? await readCurrent(jira, platform, twin, catalog) : null;
  if (twin && read === 'gone') {
    // The local issue was deleted: the twin is over; the partner hears of it.
    await endTwin(platform, twin, 'deleted-here');
    return 'stale';
  }
  const current = read && read !== 'gone' ? read.issue : null;
  let sentFirst = false;
  if (twin && read && read !== 'gone') ({ twin, sent: sentFirst } = await sendUnsentEdits(platform, twin, read));
  const firstSync = !twin;
  const previous = twin ? ((await twins.lastApplied(connection.id, twin.localIssueId)) ?? null) : null;
  const rules = await getRules(platform, connection);
  const lookups = await prefetchLookups({ jira, storage: platform, now: clock.now(), projectKeys: [connection.localProjectKey], replica, connectionId: connection.id, twins });
  const run = await runIncoming({
    script: rules.incoming,
    replica,
    previous,
    issue: (current as IncomingIssue | null) ?? null,
    firstSync,
    lookups,
  });
  if (!run.ok) {
    const stored = await errors.record(
      {
        ...errorOf(connection, twin, work, `script-${run.error.kind}`, `Incoming script: ${run.error.message}`),
        scriptLine: run.error.line ?? null,
        scriptColumn: run.error.column ?? null,
      },
      clock.now(),
    );
    if (twin) {
      await twins.save({ ...twin, status: 'error', blockedBy: stored.id });
      await recordHistory(kvs, twin, clock.now(), { direction: 'in', cause: message.cause, outcome: 'error', seq: message.seq, message: stored.message, changes: [] });
    }
    return 'error';
  }
  const result = run.result;

  try {
    const changes: AppliedChange[] = [];
    const warnings = [...result.warnings];
    let created = false;
    let localUrl = current?.url ?? null;

    if (!twin) {
      const made = await createLocalIssue(platform, jira, twins, connection, work.remoteIssueId, message, result.issue, catalog);
      if (made.kind === 'in-progress') return 'busy';
      twin = made.twin;
      created = made.created;
      localUrl = made.url;
      changes.push(...made.changes);
      warnings.push(...made.warnings);
    } else {
      const desired = withoutOlderEdits(result.issue, partnerWins(message, twin, connection.inviter));
      const { fields, changes: fieldChanges, warnings: fieldWarnings } = fieldsToWrite(desired, current, catalog);
      warnings.push(...fieldWarnings);
      if (Object.keys(fields).length) {
        await jira.issues.edit(twin.localKey, { fields });
        changes.push(...fieldChanges);
      }
    }

    const currentStatus = current?.status.name ?? null;
    if (result.status && (firstSync || partnerWins(message, twin, connection.inviter)('status'))) {
      const statusNow = currentStatus ?? (await jira.issues.get(twin.localKey, { fields: ['status'] })).fields.status?.name ?? '';
      const moved = await transitionTo(jira, twin.localKey, statusNow, result.status);
      if (moved.moved) changes.push({ field: 'status', from: statusNow, to: result.status });
      if (moved.warning) warnings.push(moved.warning);
    }

    changes.push(...(await applyComments(jira, twin.localKey, result.comments, twin)).changes);
    const attachmentResult = await applyAttachments(jira, twin.localKey, result.attachments, twin, (remoteId, sha) => assemble(kvs, connection.id, remoteId, sha));
    changes.push(...attachmentResult.changes);
    for (const filename of attachmentResult.missing) warnings.push(`The content of "${filename}" did not arrive; it will be added with the next change.`);
    for (const op of result.attachments) if (op.op === 'add' && twin.attachments[op.remoteId]) await discardChunks(kvs, connection.id, op.remoteId);

    const outgoingBlock = await openOutgoingError(errors, twin);
    const now = clock.now();
    const saved: Twin = {
      ...twin,
      remoteIssueId: work.remoteIssueId,
      remoteKey: message.issueKey,
      remoteUrl: replica.url ?? twin.remoteUrl,
      inSeq: message.seq,
      remoteFieldTimes: { ...twin.remoteFieldTimes, ...message.changedAt },
      // An open outgoing error still pauses this side's sends; a replica just sent waits for its ack.
      status: outgoingBlock ? 'error' : sentFirst ? 'pending' : 'synchronized',
      lastSyncAt: now,
      blockedBy: outgoingBlock,
    };
    await twins.save(saved);
    await kvs.set(lastAppliedKey(connection.id, saved.localIssueId), replica);
    await clearInbox(platform, connection.id, work.remoteIssueId, message.seq);
    await recordLastSync(platform, connection.id, { issueKey: saved.localKey, at: now });
    await recordHistory(kvs, saved, now, { direction: 'in', cause: message.cause, outcome: created ? 'created' : 'applied', seq: message.seq, changes, warnings, logs: result.logs });
    await recordStat(platform, connection.id, { in: 1, created: created ? 1 : 0, sentAt: message.sentAt }, now);
    await sendMessage(platform, connection.id, 'ack', {
      yourIssueId: work.remoteIssueId,
      issueId: saved.localIssueId,
      issueKey: saved.localKey,
      url: localUrl,
      seq: message.seq,
    } satisfies AckMessage);
    if (result.unExalate) await endTwin(platform, saved, 'script');
    return created ? 'created' : 'applied';
  } catch (e) {
    if (isJiraError(e) && e.transient) {
      // Keep what already happened (comment and attachment copies made before Jira said "later"),
      // so the retry does not make them again; the replica itself is applied again from the inbox.
      if (twin) await twins.save(twin);
      throw e;
    }
    const message_ = e instanceof Error ? e.message : String(e);
    const stored = await errors.record(errorOf(connection, twin ?? undefined, work, isJiraError(e) ? `jira-${e.kind}` : 'apply', message_), clock.now());
    if (twin) await twins.save({ ...twin, status: 'error', blockedBy: stored.id });
    return 'error';
  }
}

async function readCurrent(jira: JiraClient, platform: Platform, twin: Twin, catalog: FieldCatalog): Promise<LocalRead | 'gone'> {
  try {
    return await readLocalIssue({ jira, storage: platform, issueIdOrKey: twin.localIssueId, catalog, copies: copyMapsOf(twin) });
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') return 'gone';
    throw e;
  }
}

/**
 * A person may have edited the issue here after its last replica left and
 * before its outgoing work ran. Sending that edit first stamps its fields with
 * this side's time, so the partner's replica, made before it saw the edit,
 * cannot overwrite it; the partner then receives the edit as usual. Whether
 * there is one, the edit's product event noted (see routeProductEvent); without
 * one this costs a storage read.
 */
async function sendUnsentEdits(platform: Platform, twin: Twin, read: LocalRead): Promise<{ twin: Twin; sent: boolean }> {
  if ((await twinStore(platform.kvs).editedAt(twin.connectionId, twin.localIssueId)) === undefined) return { twin, sent: false };
  const outcome = (await sendLocked(platform, { kind: 'sync.outgoing', connectionId: twin.connectionId, localIssueId: twin.localIssueId, cause: 'event' }, read)).outcome;
  // Sending (or failing to) rewrote the twin: go on from what it saved.
  if (outcome !== 'sent' && outcome !== 'error') return { twin, sent: false };
  return { twin: (await twinStore(platform.kvs).get(twin.connectionId, twin.localIssueId)) ?? twin, sent: outcome === 'sent' };
}

/** The id of the open outgoing error pausing this twin, which applying a replica must not clear. */
async function openOutgoingError(errors: SyncErrorStore, twin: Twin): Promise<string | null> {
  if (!twin.blockedBy) return null;
  const blocking = await errors.get(twin.blockedBy);
  return blocking?.status === 'open' && blocking.phase === 'outgoing' ? blocking.id : null;
}

/**
 * First sync: claim the creation, create the issue, write down its id at
 * once, then the twin. A retry after a crash finds the claim with the id and
 * goes on from there instead of creating again.
 */
async function createLocalIssue(
  platform: Platform,
  jira: JiraClient,
  twins: TwinStore,
  connection: ConnectionRecord,
  remoteIssueId: string,
  message: z.infer<typeof ReplicaMessage>,
  desired: Parameters<typeof fieldsToWrite>[0],
  catalog: FieldCatalog,
): Promise<{ kind: 'done'; twin: Twin; created: boolean; changes: AppliedChange[]; warnings: string[]; url: string | null } | { kind: 'in-progress' }> {
  const now = platform.clock.now();
  let claim = await twins.getCreation(connection.id, remoteIssueId);
  // A claim without an issue, left by a worker that died before Jira answered, is taken over.
  if (claim && !claim.localIssueId && now - claim.at > CLAIM_TAKEOVER_MS) {
    await twins.releaseCreation(connection.id, remoteIssueId);
    claim = undefined;
  }
  if (!claim) {
    const token = platform.random.uuid();
    if (!(await twins.claimCreation(connection.id, remoteIssueId, { token, at: now }))) return { kind: 'in-progress' };
    claim = { token, at: now };
  }
  const { fields, changes, warnings } = fieldsToWrite(desired, null, catalog);
  let created = false;
  if (!claim.localIssueId) {
    const projectKey = desired.projectKey ?? connection.localProjectKey;
    const typeName = desired.typeName ?? 'Task';
    const made = await jira.issues.create({
      fields: { ...fields, project: { key: projectKey }, issuetype: { name: typeName }, summary: desired.summary ?? message.issueKey },
      // Jira itself learns the issue is synced: the same `exalate` property the sender writes on its ack.
      properties: [{ key: 'exalate', value: { twins: [{ connectionId: connection.id, connectionName: connection.name, remoteKey: message.issueKey, remoteUrl: (message.replica as { url?: string }).url ?? null }] } }],
    });
    claim = { ...claim, localIssueId: made.id, localKey: made.key, localUrl: made.self ? issueBrowseUrl(made.self, made.key) : undefined };
    await twins.recordCreated(connection.id, remoteIssueId, claim);
    created = true;
  }
  const twin: Twin = {
    ...newTwin({ connectionId: connection.id, localIssueId: claim.localIssueId!, localKey: claim.localKey!, origin: 'remote', now }),
    remoteIssueId,
    remoteKey: message.issueKey,
  };
  await twins.save(twin);
  await twins.releaseCreation(connection.id, remoteIssueId);
  if (created) await adjustIssuesUnderSync(platform, connection.id, 1);
  return { kind: 'done', twin, created, changes, warnings, url: claim.localUrl ?? null };
}

async function clearInbox(platform: Platform, connectionId: string, remoteIssueId: string, appliedSeq: number): Promise<void> {
  const key = inboxKey(connectionId, remoteIssueId);
  const waiting = await inboxRecord.find(platform, connectionId, remoteIssueId);
  // A newer replica may have arrived while this one was applied: keep it for its own work item.
  if (waiting && waiting.seq <= appliedSeq) await platform.kvs.delete(key);
}

function errorOf(connection: ConnectionRecord, twin: Twin | undefined | null, work: IncomingWork, kind: string, message: string) {
  return {
    connectionId: connection.id,
    phase: 'incoming' as const,
    localIssueId: twin?.localIssueId ?? null,
    issueKey: twin?.localKey ?? null,
    remoteIssueId: twin ? null : work.remoteIssueId,
    kind,
    message,
    scriptLine: null,
    scriptColumn: null,
  };
}

/**
 * Which fields of the partner's replica may be written here. Only a field the
 * partner changed since the last replica applied here (its time moved) — so a
 * field it merely carried unchanged never overwrites an edit made here that has
 * not left yet. A manual sync, a retry or a new connection carries every field.
 * Concurrent edits converge: when both sides changed a field since they last
 * heard from each other, the later change wins on both sides (each side sees
 * the same two times: its own, kept in the twin, and the partner's, carried in
 * the replica); on a tie the inviter's side wins.
 */
function partnerWins(message: ReplicaMessage, twin: Twin, weAreInviter: boolean): (field: string) => boolean {
  const remoteTimes = message.changedAt ?? {};
  const carriesAll = !message.changedAt || message.cause === 'manual' || message.cause === 'retry' || message.cause === 'connect';
  return (field) => {
    const remote = remoteTimes[field] ?? 0;
    const local = twin.fieldTimes[field] ?? 0;
    const changedThere = carriesAll || remote > (twin.remoteFieldTimes[field] ?? 0);
    return changedThere && (remote > local || (remote === local && !weAreInviter));
  };
}

function withoutOlderEdits(desired: DesiredIssue, wins: (field: string) => boolean): DesiredIssue {
  const kept: Record<string, unknown> = { ...desired };
  for (const field of Object.keys(desired)) {
    const replicaField = field === 'customFields' ? null : field;
    if (replicaField && !wins(replicaField)) delete kept[field];
  }
  return kept as DesiredIssue;
}

export type { SyncErrorStore };
