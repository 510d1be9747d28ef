import { KVS_LIMITS, type KvsTransactionOp, type Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { PushReply, type Outcome } from '../domain/protocol';
import { heldPerConnection } from '../domain/held-across-invocations';
import { getConnection } from '../connections/store';
import { markEndedByPartner } from '../connections/partner-ended';
import { completeDelivery } from './complete';
import { acquireLease, deliveryLeaseReleaseOp, LEASE_MS, recordBusy, recordContact, recordFailure, recordSuccess, releaseLease, renewLease, type FailureReport } from './delivery-state';
import { BUSY_RETRY_AFTER_SECONDS } from './responses';
import { isTransient } from '../domain/errors';
import { postEnvelope, type PartnerReply } from './http';
import { forgetWarmKeyring, keyringOf, notePartnerKey } from './keyring';
import { pushWork, takeKick } from './kick';
import { hasPending, peek, remove, removalOp, setAside, type OutboxEntry } from './outbox';
import { receiveEnvelope } from './receive';
import { settingsOf, type TransportDeps, type TransportSettings } from './types';

// The delivery worker for connections we push to (and local ones): one
// worker per connection at a time sends the outbox in order and stops at the
// first failure, scheduling its own retry. Nothing leaves the outbox until
// the partner has taken it.

const MAX_PER_RUN = 200;
const PAGE = 50;
/**
 * Replicas of different issues (and the file chunks among them) that follow one another in the outbox go
 * out side by side, up to this many calls under way at once: each is its own call, and the partner's web trigger
 * invocations apply them in parallel. One at a time, a bulk of a thousand new issues waits a thousand round
 * trips (each with the partner's Jira calls, about three seconds on Forge). Two replicas of one issue, and
 * every other kind of message (configuration, unexalates, acks), still go one after another.
 */
export const SIDE_BY_SIDE = 50;

/** Why a delivery run stops before the outbox is empty; `ended`: the partner ended the connection (recorded). */
type Stop = { stop: 'fail'; report: FailureReport } | { stop: 'later'; retryAfterSeconds: number } | { stop: 'ended' };
/** `deferred`: taken, but the partner put it in its queue rather than applying it (its own limits): a sign to slow down. */
type Step = 'sent' | 'deferred' | Stop;

/**
 * How many calls this container lets be under way per connection: halved each time the partner answers
 * that it queued a message rather than applying it (its Jira or storage asked it to pause), grown by one
 * with each message it applied, up to SIDE_BY_SIDE. The partner's limits then pace the sender instead of
 * turning a burst into queued work over there.
 */
const windows = heldPerConnection<number>({ capacity: 256, maxAgeMs: 10 * 60_000 });
const MIN_WINDOW = 2;

export interface DeliverOptions {
  /** Inline delivery (./inline-delivery.ts): at most this many messages, then the rest goes to the queue. */
  maxMessages?: number;
}

export async function deliverOutbox(platform: Platform, deps: TransportDeps, connectionId: string, options: DeliverOptions = {}): Promise<void> {
  const settings = settingsOf(deps);
  const inline = options.maxMessages !== undefined;
  // A queued worker took the nudge; inline delivery had none sent.
  if (!inline) await takeKick(platform, connectionId);
  for (let round = 0; round < (inline ? 1 : 5); round++) {
    const connection = await getConnection(platform, connectionId);
    if (!connection || connection.state !== 'active') return;
    if (connection.delivery !== 'push' && connection.delivery !== 'local') return;
    const holder = platform.random.uuid();
    if (!(await acquireLease(platform, connectionId, holder))) return;
    let result: 'drained' | 'stopped' | 'budget';
    try {
      result = await drain(platform, deps, connection, holder, settings, options.maxMessages ?? MAX_PER_RUN);
    } finally {
      await releaseLease(platform, connectionId, holder).catch(async (e: unknown) => {
        if (!isTransient(e)) throw e;
        // Storage would not let go of the lease (a rate limit), so every other worker turns away until it runs
        // out: come back then, or the outbox would wait for the five-minute schedule.
        await pushWork(platform, { kind: 'transport.deliver', connectionId }, LEASE_MS / 1000 + 1);
      });
    }
    if (result === 'stopped') return;
    if (result === 'budget') break;
    // A message enqueued while we held the lease had its nudge turned away: look once more.
    if (!(await hasPending(platform, connectionId))) return;
  }
  await pushWork(platform, { kind: 'transport.deliver', connectionId });
}

/**
 * Sends the outbox in order, with up to SIDE_BY_SIDE calls under way at once: a window that moves on as
 * each call ends, across pages of the outbox, so one slow answer holds up only its own issue. A replica
 * starts once no earlier replica of its issue and no earlier file chunk is still under way, a file chunk
 * whenever there is room, and any other message alone, once everything before it has ended. The first
 * message that stops the run stops new ones from starting; those under way end first, and what the
 * earliest stopped one says decides when the rest is tried again.
 */
async function drain(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  holder: string,
  settings: TransportSettings,
  maxMessages: number,
): Promise<'drained' | 'stopped' | 'budget'> {
  const running = new Set<Promise<void>>();
  const issuesRunning = new Set<string>();
  /** Sequence numbers started in this run: a page read while some are under way holds them again. */
  const started = new Set<number>();
  let chunksRunning = 0;
  let sent = 0;
  let window = windows.get(platform, connection.id, platform.clock.now()) ?? SIDE_BY_SIDE;
  let earliest: { seq: number; stop: Stop } | undefined;
  const stopAt = (seq: number, stop: Stop) => {
    if (!earliest || seq < earliest.seq) earliest = { seq, stop };
  };
  /** What one delivered message says: counted and the window moved, or the run stopped. */
  const settled = (entry: OutboxEntry, step: Step) => {
    if (step !== 'sent' && step !== 'deferred') return stopAt(entry.envelope.seq, step);
    sent++;
    window = step === 'deferred' ? Math.max(MIN_WINDOW, Math.floor(window / 2)) : Math.min(SIDE_BY_SIDE, window + 1);
  };
  const start = (entry: OutboxEntry, lane: Lane) => {
    if (lane.kind === 'replica') issuesRunning.add(lane.issue);
    else chunksRunning++;
    const done: Promise<void> = deliverOne(platform, deps, connection, entry, settings).then((step) => {
      running.delete(done);
      if (lane.kind === 'replica') issuesRunning.delete(lane.issue);
      else chunksRunning--;
      settled(entry, step);
    });
    running.add(done);
  };
  const mayStart = (lane: Lane) =>
    lane.kind === 'alone' ? running.size === 0 : running.size < window && (lane.kind === 'chunk' || (chunksRunning === 0 && !issuesRunning.has(lane.issue)));
  // Every 20 messages the lease is renewed (never after the last one, whose transaction may have let go of it).
  let renewAt = 20;
  const renewIfDue = async () => {
    if (sent < renewAt) return;
    renewAt = sent + 20;
    await renewLease(platform, connection.id, holder);
  };
  const ended = async (result: 'drained' | 'budget'): Promise<'drained' | 'stopped' | 'budget'> => {
    await Promise.all(running);
    windows.set(platform, connection.id, window, platform.clock.now());
    return earliest ? stopWith(platform, connection.id, earliest.stop, settings) : result;
  };

  for (;;) {
    const limit = Math.min(KVS_LIMITS.maxQueryLimit, Math.min(PAGE, maxMessages - started.size + 1) + running.size);
    const read = await peek(platform, connection.id, limit);
    // A short page was the whole outbox when it was read; what came in since, the look after the lease goes finds.
    const whole = read.length < limit;
    const entries = read.filter((entry) => !started.has(entry.envelope.seq));
    if (!entries.length) return ended('drained');
    for (const [index, entry] of entries.entries()) {
      if (started.size >= maxMessages) return ended('budget');
      const lane = laneOf(entry);
      while (!earliest && !mayStart(lane)) await Promise.race(running);
      if (earliest) return ended('drained');
      await renewIfDue();
      started.add(entry.envelope.seq);
      const last = whole && index === entries.length - 1;
      if (lane.kind === 'alone' || (last && running.size === 0)) {
        // Alone (nothing else under way): the last message of the whole outbox lets go of the lease in the
        // transaction that settles it.
        const release = last ? deliveryLeaseReleaseOp(platform, connection.id, holder) : undefined;
        settled(entry, await deliverOne(platform, deps, connection, entry, settings, release));
      } else start(entry, lane);
    }
    if (whole) return ended('drained');
    // More waits beyond this page: wait for room before reading it (the calls under way end meanwhile).
    if (running.size >= window) await Promise.race(running);
  }
}

/** How a message may go beside others: a file chunk, a replica of one issue, or alone. */
export type Lane = { kind: 'chunk' } | { kind: 'replica'; issue: string } | { kind: 'alone' };

/**
 * File chunks are stored by the partner by file and index, in any order; replicas of different issues are
 * applied by the partner's parallel web triggers independently. Anything else goes alone, and so does a
 * replica that does not name its issue.
 */
export function laneOf(entry: OutboxEntry): Lane {
  if (entry.envelope.type === 'attachment') return { kind: 'chunk' };
  const issue = entry.envelope.type === 'replica' ? replicaIssueId(entry.envelope.body) : undefined;
  return issue === undefined ? { kind: 'alone' } : { kind: 'replica', issue };
}

/** The sender's issue id of a replica body; undefined for one that does not name it (it then goes alone). */
function replicaIssueId(body: unknown): string | undefined {
  const issueId = (body as { issueId?: unknown } | null)?.issueId;
  return typeof issueId === 'string' ? issueId : undefined;
}

/** Records why the run stopped and queues the next try for when that says. */
async function stopWith(platform: Platform, connectionId: string, stop: Stop, settings: TransportSettings): Promise<'stopped'> {
  if (stop.stop === 'ended') return 'stopped';
  const delay = stop.stop === 'fail' ? await recordFailure(platform, connectionId, stop.report, settings) : await recordBusy(platform, connectionId, stop.retryAfterSeconds);
  await pushWork(platform, { kind: 'transport.deliver', connectionId }, delay);
  return 'stopped';
}

/**
 * Refusals that mean "later", not "failed": the partner is busy (its storage over Forge's rate limit, or
 * Jira asking it to pause) or is handling this very message right now.
 */
const isLater = (code: string) => code === 'busy' || code === 'in-progress';

async function deliverOne(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  entry: OutboxEntry,
  settings: TransportSettings,
  release?: { op: KvsTransactionOp; committed(): void },
): Promise<Step> {
  const fail = async (report: FailureReport): Promise<Step> => ({ stop: 'fail', report });
  const later = async (retryAfterSeconds: number): Promise<Step> => ({ stop: 'later', retryAfterSeconds });
  const settle = async (outcome: Outcome): Promise<Step> => {
    if (outcome.status === 'refused') {
      if (!outcome.retryable) {
        await setAside(platform, connection.id, entry, outcome.reason);
        return 'sent';
      }
      if (isLater(outcome.code)) return later(BUSY_RETRY_AFTER_SECONDS);
      return fail({ reason: outcome.reason, partnerDeactivated: outcome.code === 'deactivated' });
    }
    let removed: boolean;
    try {
      removed = await completeDelivery(platform, deps, connection, entry.envelope, outcome.result, [removalOp(connection.id, entry.envelope.seq), ...(release ? [release.op] : [])]);
    } catch (e) {
      // This side's storage or Jira asking for a pause is no failure of the partner's: the message stays, and
      // the run comes back when asked (or shortly), without the backoff growing.
      if (isTransient(e)) return later(Math.max(1, Math.ceil((e.retryAfterMs ?? BUSY_RETRY_AFTER_SECONDS * 1000) / 1000)));
      return fail({ reason: `The partner took a ${entry.envelope.type} message, but handling its answer failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    // Not in a transaction of the answer's: removed alone, and the lease let go as usual.
    if (removed) release?.committed();
    else await remove(platform, connection.id, entry.envelope.seq);
    await recordSuccess(platform, connection.id);
    return (outcome.result as { queued?: unknown } | null)?.queued === true ? 'deferred' : 'sent';
  };

  if (connection.delivery === 'local') {
    const other = await getConnection(platform, connection.remote.connectionId);
    if (!other) return fail({ reason: 'The other half of this local connection is gone.', permanent: true });
    return settle(await receiveEnvelope(platform, deps, other, entry.envelope));
  }
  return push(platform, connection, entry, settings, { fail, later, settle });
}

/** The partner refused our signature (401), or answered with one our keys do not verify. */
const notTakenForKeys = (reply: PartnerReply) => reply.kind === 'refused' && !reply.signed && (reply.status === 401 || reply.code === 'unverified-answer');

/** Sends one message to the partner's endpoint and sorts its answer into taken, refused for good or failed. */
async function push(
  platform: Platform,
  connection: ConnectionRecord,
  entry: OutboxEntry,
  settings: TransportSettings,
  then: { fail: (report: FailureReport) => Promise<Step>; later: (retryAfterSeconds: number) => Promise<Step>; settle: (outcome: Outcome) => Promise<Step> },
): Promise<Step> {
  const { fail, later, settle } = then;
  const noSecret = () => fail({ reason: 'This connection has no secret or partner URL stored; delete it and connect again.', permanent: true });
  let keyring = await keyringOf(platform, connection.id, { warm: true });
  if (!keyring || !connection.remote.url) return noSecret();
  let reply = await postEnvelope(platform, connection.remote.url, entry.envelope, keyring);
  if (keyring.warm && notTakenForKeys(reply)) {
    // The copy of the secrets this container held may predate a rotation made in another: send again with
    // the stored ones (the partner takes a message it already has as a repeat, by its id).
    forgetWarmKeyring(platform, connection.id);
    keyring = await keyringOf(platform, connection.id);
    if (!keyring) return noSecret();
    reply = await postEnvelope(platform, connection.remote.url, entry.envelope, keyring);
  }
  switch (reply.kind) {
    case 'unreachable':
      return fail({ reason: `The partner could not be reached (${reply.reason}).` });
    case 'refused':
      if (reply.goneSigned) {
        // The partner deleted the connection while we could not hear it: its tombstone says so, signed.
        await markEndedByPartner(platform, connection, { uninstalled: false });
        return { stop: 'ended' };
      }
      // A signed refusal still proves the partner is there and holds the secret.
      if (reply.signed) await recordContact(platform, connection.id);
      if (reply.status === 422 && reply.signed) return settle({ status: 'refused', retryable: false, code: reply.code, reason: reply.reason });
      // Busy (its storage over Forge's rate limit, or Jira asking it to pause): later, not a failure.
      if (isLater(reply.code) && reply.retryable) return later(reply.retryAfterSeconds ?? BUSY_RETRY_AFTER_SECONDS);
      return fail({ reason: reply.reason, retryAfterSeconds: reply.retryAfterSeconds, permanent: !reply.retryable, partnerDeactivated: reply.signed && reply.code === 'deactivated' });
    case 'answered': {
      const parsed = PushReply.safeParse(reply.body);
      if (!parsed.success || parsed.data.messageId !== entry.envelope.messageId) {
        return fail({ reason: 'The partner answered with something that is not an answer to this message.' });
      }
      await notePartnerKey(platform, connection.id, keyring.roles[reply.keyIndex], settings.secretGraceSeconds * 1000);
      return settle(parsed.data.outcome);
    }
  }
}
