import { z } from 'zod';
import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import type { AckMessage } from '../../domain/messages';
import { Replica, type IncomingIssue, type IncomingResult, type LocalIssue } from '../../domain/replica';
import { getConnection, lastSyncNowOp } from '../../connections/store';
import { isTransient } from '../../domain/errors';
import { createJiraClient, type JiraClient } from '../../jira/client';
import { isJiraError } from '../../jira/errors';
import { runIncoming } from '../../rules';
import { sendMessage, sendMessageWith } from '../../transport';
import type { AppliedChange } from '../apply';
import { assemble, discardChunks, inlineBytes } from '../attachment-transfer';
import { historyOps, saveWithHistory } from '../history';
import { copyMapsOf, fieldCatalog, knownHashesOf, readLocalIssue, type FieldCatalog } from '../issue-reader';
import { prefetchLookups } from '../lookups';
import type { LocalRead } from '../outgoing';
import { getRules } from '../rules-store';
import { countingErrors, foldSometimes, statOp } from '../statistics';
import { LaterWithCarry } from '../later';
import { carryOf, IncomingCarry, madeHereNotYetApplied, madeSince, takeBackCopies, withCarry } from './carry';
import { syncErrorStore, type NewSyncError, type SyncErrorStore } from '../sync-errors';
import { endTwin } from '../twin-end';
import { leaseReleaseOp, twinLockName, withTwinLock } from '../twin-lock';
import { keepReplica, twinStore, type AccountMap, type Twin, type TwinStore } from '../twins';
import { applyIncomingResult, type ListedWarning } from './apply';
import { partnerWins, scriptSetWins, sendUnsentEdits, takesInitialSync } from './concurrency';
import { createLocalIssue } from './first-sync';
import { listUnplaced, placeMentions } from './people-here';
import { clearInbox, inboxLockName, inboxRecord, type InboxEntry } from './inbox';
import { queueWhenFree } from '../busy-retry';
import { noAttachmentOrphans, noOrphans, orphanFinders, type AttachmentOrphanFinder, type OrphanFinder, type SeenAttachment, type SeenComment } from './orphans';

// The incoming work (`sync.incoming`): the newest replica of a partner issue,
// taken from the inbox, through the incoming script onto the local issue, one
// worker at a time per partner issue; then the twin, the history and an ack
// carrying the local key. The steps: prepare (what to apply, and against
// what), run the script, apply (./first-sync.ts, ./apply.ts), record.

export const IncomingWork = z.object({
  kind: z.literal('sync.incoming'),
  connectionId: z.string(),
  remoteIssueId: z.string(),
  carry: IncomingCarry.optional(),
  /** How many times this work found the twin's lease held (../busy-retry.ts). */
  busyTries: z.number().int().nonnegative().optional(),
});
export type IncomingWork = z.infer<typeof IncomingWork>;

export type IncomingResultOutcome = 'applied' | 'created' | 'stale' | 'empty' | 'blocked' | 'busy' | 'error' | 'no-connection' | 'waiting-for-attachments';

export async function syncIncoming(platform: Platform, work: IncomingWork): Promise<IncomingResultOutcome> {
  const connection = await getConnection(platform, work.connectionId);
  if (!connection) return 'no-connection';
  const outcome = await applyLocked(platform, connection, work, undefined);
  if (outcome === 'busy') {
    // Another worker holds this twin: come back later rather than lose the work.
    await queueWhenFree(platform, work);
  }
  return outcome;
}

/** Where an apply in hand leaves the ack for the answer, when the sender takes it from there (`ackInAnswer`). */
export interface AnswerAck {
  ack?: AckMessage;
}

/**
 * A replica applied as it arrives, in the invocation that received it, without passing through the inbox
 * (./receive-replica.ts). 'busy' (another worker holds the twin) is the caller's to queue. When the sender
 * takes its ack from the answer, the ack is left in `answer` instead of the outbox: also for a replica
 * applied before (a repeat whose replay record has gone), so the sender's twin never waits for one.
 */
export async function applyInHand(platform: Platform, connection: ConnectionRecord, message: InboxEntry, answer: AnswerAck = {}): Promise<IncomingResultOutcome> {
  return applyLocked(platform, connection, { kind: 'sync.incoming', connectionId: connection.id, remoteIssueId: message.issueId }, message, message.ackInAnswer ? answer : undefined);
}

async function applyLocked(platform: Platform, connection: ConnectionRecord, work: IncomingWork, inHand: InboxEntry | undefined, answer?: AnswerAck): Promise<IncomingResultOutcome> {
  if (inHand) {
    // In hand, for a twin that exists: its lease alone, since an in-hand replica has no inbox entry to guard
    // and a queued worker for the same issue meets it at the twin's lease, where the sequence decides. The
    // index is read without the inbox lease, so a twin ended meanwhile sends the replica the queued way. The
    // sender names our issue when it knows it, which saves reading the index (checked against the twin below).
    // A replica the sender sends as its first (not `known`) has no twin here to find: the index is read once,
    // under the inbox lease below, which is where a first sync must look anyway.
    const localIssueId = inHand.yourIssueId ?? (inHand.known ? await twinStore(platform.kvs).localIdOf(connection.id, work.remoteIssueId) : undefined);
    if (localIssueId) {
      const held = await withTwinLock(platform, twinLockName(connection.id, localIssueId), () => applyInbox(platform, connection, work, inHand, localIssueId, answer, true));
      return held.ran ? held.value : 'busy';
    }
  }
  const locked = await withTwinLock(platform, inboxLockName(work.connectionId, work.remoteIssueId), async () => {
    const localIssueId = await twinStore(platform.kvs).localIdOf(connection.id, work.remoteIssueId);
    // Just read under this lease: none yet, which the step need not read again.
    if (!localIssueId) return applyInbox(platform, connection, work, inHand, null, answer);
    // Once the twin exists, its outgoing work shares the lease: this side's unsent edits and the
    // partner's replica are then weighed against each other in one place, one worker at a time.
    const held = await withTwinLock(platform, twinLockName(connection.id, localIssueId), () => applyInbox(platform, connection, work, inHand, localIssueId, answer));
    return held.ran ? held.value : 'busy';
  });
  return locked.ran ? locked.value : 'busy';
}

/** What one incoming step works with, once it is known there is something to apply. */
interface Step {
  platform: Platform;
  connection: ConnectionRecord;
  work: IncomingWork;
  message: InboxEntry;
  replica: Replica;
  jira: JiraClient;
  catalog: FieldCatalog;
  twins: TwinStore;
  errors: SyncErrorStore;
  /** Absent on a first sync. */
  twin: Twin | undefined;
  /** The local issue as read now; null on a first sync. */
  current: LocalIssue | null;
  /** This side's unsent edit went out first (./concurrency.ts): the twin waits for its ack. */
  sentFirst: boolean;
  /** The replica came in hand, not from the inbox: there is no inbox entry to clear. */
  inHand: boolean;
  /** The partner's people as mapped to accounts here for this replica (../lookups.ts). */
  accounts?: AccountMap;
  /** The local issue's attachments as read now, with their authors (./orphans.ts); absent on a first sync. */
  attachmentsSeen?: SeenAttachment[];
  /** Set when the ack goes back in the answer rather than as a message of its own. */
  answer?: AnswerAck;
}

/** `localIssueId`: the twin's local issue as the index said under the inbox lease (the index only ever gains it there). */
async function applyInbox(
  platform: Platform,
  connection: ConnectionRecord,
  work: IncomingWork,
  inHand: InboxEntry | undefined,
  /** The twin's issue here; null: read just now under the lease held, there is none; undefined: not known. */
  localIssueId: string | null | undefined,
  answer?: AnswerAck,
  twinRequired = false,
): Promise<IncomingResultOutcome> {
  const step = await prepare(platform, connection, work, inHand, localIssueId, answer, twinRequired);
  if (typeof step === 'string') return step;
  const result = await runScript(step);
  if (!result) return 'error';
  return applyAndRecord(step, result);
}

/** The replica to apply and the issue to apply it to; an outcome instead when there is nothing to do. */
/** `twinRequired`: the twin was looked up without the inbox lease; gone meanwhile, the replica is the queue's ('busy'). */
async function prepare(
  platform: Platform,
  connection: ConnectionRecord,
  work: IncomingWork,
  inHand: InboxEntry | undefined,
  localIssueId: string | null | undefined,
  answer: AnswerAck | undefined,
  twinRequired: boolean,
): Promise<Step | IncomingResultOutcome> {
  const message = inHand ?? (await inboxRecord.get(platform.kvs, connection.id, work.remoteIssueId));
  if (!message) return 'empty';
  const twins = twinStore(platform.kvs);
  const errors = countingErrors(platform, syncErrorStore(platform.kvs, () => platform.random.uuid()));
  const found = localIssueId ? await twins.get(connection.id, localIssueId) : localIssueId === null ? undefined : await twins.findByRemote(connection.id, work.remoteIssueId);
  if (twinRequired && found?.remoteIssueId !== work.remoteIssueId) return 'busy';
  const twin = found && work.carry ? withCarry(found, work.carry) : found;
  // A replica for a twin that has ended here (unexalated while it travelled) must not create a new issue.
  if ((!twin && message.known) || (twin && message.seq <= twin.inSeq)) {
    if (!inHand) await clearInbox(platform, connection.id, work.remoteIssueId, message.seq);
    // Applied before, or something newer was: the sender hears so again (an ack is the same news twice).
    if (twin && answer) answer.ack = { yourIssueId: work.remoteIssueId, issueId: twin.localIssueId, issueKey: twin.localKey, url: null, seq: message.seq };
    return 'stale';
  }
  // Every error that pauses an existing twin is written on it (`blockedBy`): a twin without one has none open,
  // and its index is not read. (A crash between storing such an error and marking the twin leaves the error
  // listed and the next replica applied, as a retry would.)
  const blocking = twin && !twin.blockedBy ? undefined : await errors.openFor(connection.id, 'incoming', { localIssueId: twin?.localIssueId, remoteIssueId: twin ? null : work.remoteIssueId });
  if (blocking) return 'blocked';
  const replica = Replica.safeParse(message.replica);
  if (!replica.success) {
    const stored = await errors.record(errorOf(connection, twin, work, 'bad-replica', `The partner sent a replica this side cannot read: ${replica.error.issues[0]?.message}`), platform.clock.now());
    if (twin) await twins.save({ ...twin, status: 'error', blockedBy: stored.id });
    return 'error';
  }
  const jira = createJiraClient(platform.jira);
  const catalog = await fieldCatalog(jira, platform, platform.clock.now());
  const base = { platform, connection, work, message, replica: replica.data, jira, catalog, twins, errors, inHand: inHand !== undefined, ...(answer ? { answer } : {}) };
  if (!twin) return { ...base, twin, current: null, sentFirst: false };
  const read = await readCurrent(jira, platform, twin, catalog);
  if (read === 'gone') {
    // The local issue was deleted: the twin is over; the partner hears of it.
    await endTwin(platform, twin, 'deleted-here');
    return 'stale';
  }
  // A Connect's initial sync that the partner wins overwrites this issue: its edits here are not sent first
  // (they would reach the partner as newer and overwrite the winner there), and count as read.
  const unsent = takesInitialSync(message, twin)
    ? { twin: { ...twin, editsReadUpTo: Math.max(read.edits.lastPersonEdit ?? 0, twin.editsReadUpTo ?? 0) }, sent: false }
    : await sendUnsentEdits(platform, twin, read);
  const authors = new Map((read.raw.fields.attachment ?? []).map((a) => [a.id, a.author?.accountId]));
  const attachmentsSeen = read.issue.attachments.map((a) => ({ id: a.id, filename: a.filename, sha256: a.sha256, created: a.created, authorId: authors.get(a.id) }));
  return { ...base, twin: unsent.twin, current: read.issue, sentFirst: unsent.sent, attachmentsSeen };
}

/** The incoming script's result; undefined when it failed (the error is stored, and pauses the twin). */
async function runScript(step: Step): Promise<IncomingResult | undefined> {
  const { platform, connection, twin, message } = step;
  const rules = await getRules(platform, connection);
  const { lookups, accounts } = await prefetchLookups({
    jira: step.jira,
    storage: platform,
    now: platform.clock.now(),
    projectKeys: [connection.localProjectKey],
    replica: step.replica,
    script: rules.incoming,
    connectionId: connection.id,
    twins: step.twins,
    ...(twin ? { accounts: twin.accounts } : {}),
    placePartnerPeople: { mapped: connection.peopleMapped === true },
  });
  // Kept on the twin when it is next written (record, below).
  step.accounts = accounts;
  const previous = twin ? ((await step.twins.lastApplied(twin)) ?? null) : null;
  const run = await runIncoming({ script: rules.incoming, replica: step.replica, previous, issue: (step.current as IncomingIssue | null) ?? null, firstSync: !twin, partnerName: connection.remote.name, lookups });
  if (run.ok) {
    const placed = placeMentions(run.result, step.replica, lookups);
    await listUnplaced(platform, connection.id, placed.result, placed.unplaced, platform.clock.now());
    return placed.result;
  }
  const error = errorOf(connection, twin, step.work, `script-${run.error.kind}`, `Incoming script: ${run.error.message}`);
  const stored = await step.errors.record({ ...error, scriptLine: run.error.line ?? null, scriptColumn: run.error.column ?? null }, platform.clock.now());
  if (twin) {
    await saveWithHistory(platform.kvs, { ...twin, status: 'error', blockedBy: stored.id }, platform.clock.now(), { direction: 'in', cause: message.cause, outcome: 'error', seq: message.seq, message: stored.message, changes: [] });
  } else await tellSenderFirstSyncFailed(step, stored);
  return undefined;
}

/** Makes the issue (first sync) or applies the difference, then records it all and acks; Jira's refusals become stored errors. */
async function applyAndRecord(step: Step, result: IncomingResult): Promise<IncomingResultOutcome> {
  const { platform, connection, message } = step;
  let twin = step.twin;
  // What the twin records before copies are made, to take back the ones storage then refuses to record.
  let madeBefore: IncomingCarry | undefined;
  let recorded = false;
  try {
    const changes: AppliedChange[] = [];
    const warnings = [...result.warnings];
    const listed: ListedWarning[] = [];
    let created = false;
    let localUrl = step.current?.url ?? null;
    let resumedIssue = false;
    if (!twin) {
      const made = await createLocalIssue(platform, step.jira, step.twins, connection, step.work.remoteIssueId, message, result.issue, step.catalog, step.work.carry?.created);
      if (made.kind === 'in-progress') return 'busy';
      twin = step.work.carry ? withCarry(made.twin, step.work.carry) : made.twin;
      // The issue was made for this twin, by this run or by an earlier one storage cut short.
      created = true;
      localUrl = made.url;
      resumedIssue = made.resumed;
      changes.push(...made.changes);
      warnings.push(...made.warnings);
      listed.push(...made.listed);
    } else {
      // A twin an earlier run made (with its issue) and storage cut short before this replica was recorded.
      created = madeHereNotYetApplied(twin);
    }
    const firstSync = !step.twin;
    madeBefore = carryOf(twin);
    const orphans = await orphansOf(step, twin, resumedIssue, result);
    // The chunk keys each attachment's assembly read, so they are deleted without a second query.
    const chunkKeys = new Map<string, string[]>();
    const chunkKeysOf = (remoteId: string) => chunkKeys.get(remoteId) ?? chunkKeys.set(remoteId, []).get(remoteId)!;
    // Files the replica carried: no chunks of theirs to delete.
    const inline = new Set<string>();
    const applied = await applyIncomingResult({
      jira: step.jira,
      twin,
      current: step.current,
      result,
      wins: firstSync || takesInitialSync(message, twin) ? () => true : partnerWins(message, twin, connection.inviter),
      derivedWins: scriptSetWins(message, twin),
      replica: step.replica,
      catalog: step.catalog,
      // Carried in the replica (applied as it arrived), else kept as chunks.
      content: async (remoteId, sha) => {
        const carried = inlineBytes(step.message.files, remoteId, sha);
        if (carried) inline.add(remoteId);
        return carried ?? assemble(platform.kvs, connection.id, remoteId, sha, chunkKeysOf(remoteId));
      },
      strict: connection.strictValues === true,
      createMissing: connection.createMissing === true,
      links: {
        localIdOf: (remoteIssueId) => step.twins.localIdOf(connection.id, remoteIssueId),
        isSynced: async (localIssueId) => (await step.twins.get(connection.id, localIssueId)) !== undefined,
      },
      orphans: orphans.comments,
      attachmentOrphans: orphans.attachments,
    });
    changes.push(...applied.changes);
    warnings.push(...applied.warnings);
    listed.push(...applied.listed);
    // The chunks of the files just added: a few go in the record's transaction, more are deleted before it.
    const copies = twin.attachments;
    const added = result.attachments.filter((op) => op.op === 'add' && copies[op.remoteId] && !inline.has(op.remoteId)).map((op) => op.remoteId);
    const chunksAdded = added.flatMap((remoteId) => chunkKeys.get(remoteId) ?? []);
    const inRecord = added.every((remoteId) => chunkKeys.get(remoteId)?.length) && chunksAdded.length <= CHUNK_DELETES_IN_RECORD;
    if (!inRecord) for (const remoteId of added) await discardChunks(platform.kvs, connection.id, remoteId, chunkKeys.get(remoteId));
    await record(step, twin, { created, localUrl, changes, warnings, logs: result.logs, ...(inRecord ? { alsoDelete: chunksAdded } : {}) });
    recorded = true;
    await afterRecord(step);
    // Listed for a person to see; they pause nothing, as the rest of the issue synced.
    for (const w of listed) await step.errors.warn(errorOf(connection, twin, step.work, w.kind, w.message), platform.clock.now());
    if (result.unExalate) await endTwin(platform, twin, 'script');
    return created ? 'created' : 'applied';
  } catch (e) {
    // The replica is recorded (its copies with it): what failed after that (clearing the inbox, a warning,
    // the statistics) is retried from the queue, which finds the replica applied. Saving the twin as it was
    // before the record, or taking its copies back, would undo a recorded sync and lose the copies for good.
    if (recorded) throw e;
    if (isTransient(e)) {
      // Keep what already happened (comment and attachment copies made before Jira or storage said "later"),
      // so the retry does not make them again; the replica itself is applied again from the inbox. When
      // storage refuses that too, the copies are taken back or ride along in the queued work instead.
      if (twin) {
        try {
          await step.twins.save(twin);
        } catch (saveError) {
          if (!isTransient(saveError)) throw saveError;
          const left = await takeBackCopies(step.jira, twin, madeBefore);
          if (madeSince(left, madeBefore)) throw new LaterWithCarry(e, carryOf(left));
        }
      }
      throw e;
    }
    const stored = await step.errors.record(errorOf(connection, twin, step.work, isJiraError(e) ? `jira-${e.kind}` : 'apply', e instanceof Error ? e.message : String(e)), platform.clock.now());
    if (twin) await step.twins.save({ ...twin, status: 'error', blockedBy: stored.id });
    if (!step.twin) await tellSenderFirstSyncFailed(step, stored);
    return 'error';
  }
}

/**
 * Where to look for copies a stopped run left unrecorded: the issue as read for this step, or, for an issue
 * an earlier run made, its comments read now (one call, only then; its attachments are not looked at, as
 * hashing them would mean fetching them); a new issue has none.
 */
async function orphansOf(step: Step, twin: Twin, resumedIssue: boolean, result: IncomingResult): Promise<{ comments: OrphanFinder; attachments: AttachmentOrphanFinder }> {
  const copiesComments = result.comments.some((op) => op.op === 'add' && op.remoteId);
  const copiesAttachments = result.attachments.some((op) => op.op === 'add');
  const none = { comments: noOrphans, attachments: noAttachmentOrphans };
  if (!copiesComments && !copiesAttachments) return none;
  let comments: SeenComment[] | undefined = step.current?.comments;
  if (!comments && resumedIssue && copiesComments) {
    const raw = await step.jira.issues.get(twin.localKey, { fields: ['comment'] });
    comments = (raw.fields.comment?.comments ?? []).map((c) => ({ id: c.id, author: { accountId: c.author?.accountId ?? '' }, body: c.body, created: c.created ?? '' }));
  }
  if (!comments) return none;
  return orphanFinders({ jira: step.jira, twin, comments, attachments: step.attachmentsSeen ?? [], replica: step.replica });
}

/** Chunk deletes the record's transaction takes along (Forge allows 25 operations in one; the record uses about ten). */
const CHUNK_DELETES_IN_RECORD = 8;

interface Applied {
  created: boolean;
  localUrl: string | null;
  changes: AppliedChange[];
  warnings: string[];
  logs: string[];
  /** Deletes that go with the record (the chunks of the files it added): kept or undone with it. */
  alsoDelete?: string[];
}

/** The twin as it now stands, the replica as applied (`previous` next time), the inbox, the counts, the history and the ack. */
async function record(step: Step, twin: Twin, applied: Applied): Promise<void> {
  const { platform, connection, message, work } = step;
  const outgoingBlock = await openOutgoingError(step.errors, twin);
  const now = platform.clock.now();
  const stood: Twin = {
    ...twin,
    remoteIssueId: work.remoteIssueId,
    remoteKey: message.issueKey,
    remoteUrl: step.replica.url ?? twin.remoteUrl,
    inSeq: message.seq,
    remoteFieldTimes: { ...twin.remoteFieldTimes, ...message.changedAt },
    accounts: step.accounts ?? twin.accounts,
    appliedSinceSent: appliedFields(twin.appliedSinceSent, applied.changes),
    // An open outgoing error still pauses this side's sends; a replica just sent waits for its ack.
    status: outgoingBlock ? 'error' : step.sentFirst ? 'pending' : 'synchronized',
    lastSyncAt: now,
    blockedBy: outgoingBlock,
  };
  // The first replica applied after a Connect ends the wait for its initial sync, flagged or not.
  if (stood.initialSync === 'expect') delete stood.initialSync;
  const outcome = applied.created ? 'created' : 'applied';
  const kept = keepReplica(stood, 'applied', step.replica);
  const history = await historyOps(platform.kvs, kept.twin, now, { direction: 'in', cause: message.cause, outcome, seq: message.seq, changes: applied.changes, warnings: applied.warnings, logs: applied.logs });
  const saved: Twin = { ...kept.twin, historyCount: history.count };
  const ack: AckMessage = { yourIssueId: work.remoteIssueId, issueId: saved.localIssueId, issueKey: saved.localKey, url: applied.localUrl, seq: message.seq };
  const also = [
    ...kept.ops,
    lastSyncNowOp(connection.id, { issueKey: saved.localKey, at: now }),
    ...history.ops,
    statOp(platform, connection.id, { in: 1, sentAt: message.sentAt }, now),
    ...(applied.alsoDelete ?? []).map((key) => ({ kind: 'delete' as const, key })),
  ];
  // One transaction: the ack in the outbox, the twin (its sequence and copies), the replica kept as
  // `previous`, the last sync, the history line and the statistic. Refused, none of it happened: the retry
  // applies the replica again (finding its copies in the twin) and acks then. Apart, a retry after the
  // twin's write would find the replica stale and the rest would be lost. "Created" was counted with the
  // twin, as it was made.
  // The last write to the twin in this step: its lease is let go in the same transaction. A first sync holds
  // the inbox's lease instead; applied in hand, nothing follows under it (no inbox entry to clear), so it is
  // let go here too, rather than by a delete of its own.
  const release =
    leaseReleaseOp(platform.kvs, twinLockName(connection.id, saved.localIssueId)) ??
    (step.inHand ? leaseReleaseOp(platform.kvs, inboxLockName(connection.id, work.remoteIssueId)) : undefined);
  const withRelease = release ? [...also, release.op] : also;
  if (step.answer) {
    // The sender takes the ack from this invocation's answer (and from the replay record, should it ask
    // again): no outbox entry, no delivery of its own, no invocation on the sender's side for it.
    await step.twins.save(saved, withRelease);
    step.answer.ack = ack;
  } else await sendMessageWith(platform, connection.id, 'ack', ack, (outboxOps) => step.twins.save(saved, [...outboxOps, ...withRelease]));
  release?.committed();
}

/** What follows a recorded apply: the statistics folded now and then, and the replica out of the inbox. */
async function afterRecord(step: Step): Promise<void> {
  const { platform, connection, message, work } = step;
  await foldSometimes(platform, connection.id, platform.clock.now());
  if (!step.inHand) await clearInbox(platform, connection.id, work.remoteIssueId, message.seq);
}

/**
 * A first sync that failed here leaves the sender with no issue to show: it hears the reason, so its twin
 * shows an error instead of "pending" (src/sync/acks.ts). Told once per stored error, not on each repeat.
 */
async function tellSenderFirstSyncFailed(step: Step, error: { kind: string; message: string; attempts: number }): Promise<void> {
  if (error.attempts > 1) return;
  await sendMessage(step.platform, step.connection.id, 'ack', { yourIssueId: step.work.remoteIssueId, seq: step.message.seq, failed: { kind: error.kind, message: error.message.slice(0, 2000) } });
}

async function readCurrent(jira: JiraClient, platform: Platform, twin: Twin, catalog: FieldCatalog): Promise<LocalRead | 'gone'> {
  try {
    return await readLocalIssue({ jira, storage: platform, issueIdOrKey: twin.localIssueId, catalog, copies: copyMapsOf(twin), knownHashes: knownHashesOf(twin) });
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') return 'gone';
    throw e;
  }
}

/** The id of the open outgoing error pausing this twin, which applying a replica must not clear. */
async function openOutgoingError(errors: SyncErrorStore, twin: Twin): Promise<string | null> {
  if (!twin.blockedBy) return null;
  const blocking = await errors.get(twin.blockedBy);
  return blocking?.status === 'open' && blocking.phase === 'outgoing' ? blocking.id : null;
}

function errorOf(connection: ConnectionRecord, twin: Twin | undefined, work: IncomingWork, kind: string, message: string): NewSyncError {
  return {
    connectionId: connection.id,
    phase: 'incoming',
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
 * The replica fields an apply wrote here, added to those written since this side last sent. Comment and
 * attachment copies are left out: they never go back in this side's replica, so they cannot be changed back.
 */
function appliedFields(before: string[] | undefined, changes: AppliedChange[]): string[] | undefined {
  const fields = new Set(before ?? []);
  for (const change of changes) {
    if (change.field === 'comment' || change.field === 'attachment' || change.field === 'worklog') continue;
    fields.add(change.field === 'parent' ? 'parentId' : change.field.split('.')[0]!);
  }
  return fields.size ? [...fields] : undefined;
}
