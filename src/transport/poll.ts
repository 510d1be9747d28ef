import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { ErrorReply, PushReply } from '../domain/protocol';
import { PollConfirm, PollRequestBody, PollResponseBody, type Envelope } from '../domain/messages';
import { describeZodError } from '../domain/zod-error';
import { getConnection } from '../connections/store';
import { markEndedByPartner } from '../connections/partner-ended';
import { completeDelivery } from './complete';
import { pushWork, takeKick } from './kick';
import { isTransient } from '../domain/errors';
import { acquireLease, LEASE_MS, readDeliveryState, recordFailure, recordSuccess, releaseLease, type FailureReport } from './delivery-state';
import { postEnvelope } from './http';
import { keyringOf, notePartnerKey } from './keyring';
import { pollConfirmsKey } from './keys';
import { hasPending, peek, queued, remove, setAside, type OutboxEntry } from './outbox';
import { isCurrentLink, readPollChain, renewPollChain, stopPollChain, type PollChain } from './poll-chain';
import type { PollingSettings } from '../domain/polling';
import { noteActivity, readLastActivity } from './poll-activity';
import { readPollFloor } from './poll-budget';
import { nextPollSeconds, pollingOf, pollPhase } from './poll-cadence';
import { receiveEnvelope } from './receive';
import { settingsOf, type TransportDeps, type TransportSettings } from './types';
import { newEnvelope } from './envelopes';
import { holdMs, holdUntilOutbox, LONG_POLL_ASK_SECONDS, LONG_POLL_CHECK_MS, LONG_POLL_SESSION_SECONDS } from './long-poll';
import { recordKind } from '../domain/stored-record';

// Private connections. The private side is never called: it polls the
// public side, carrying its own outgoing messages and its confirmations of
// what it processed last time; the answer carries the public side's pending
// messages. The public side drops a message only once it is confirmed, so a
// lost answer costs a resend (which the receiver's dedupe absorbs), never a message.

/** Leaves room under the partner's 1 MiB request limit for the envelope around the messages. */
const BATCH_BYTES = 900 * 1024;
const BATCH_COUNT = 50;
const MAX_ROUNDS = 10;

function takeWithin(entries: OutboxEntry[], alreadyUsed = 0): OutboxEntry[] {
  const out: OutboxEntry[] = [];
  let bytes = alreadyUsed;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry.envelope), 'utf8');
    if (out.length > 0 && bytes + size > BATCH_BYTES) break;
    out.push(entry);
    bytes += size;
  }
  return out;
}

/** What the private side confirms with its next poll. */
const confirmsRecord = recordKind({ name: 'poll confirmations', version: 1, schema: z.array(PollConfirm), key: pollConfirmsKey });

async function readConfirms(platform: Platform, connectionId: string): Promise<PollConfirm[]> {
  return (await confirmsRecord.find(platform, connectionId)) ?? [];
}

async function writeConfirms(platform: Platform, connectionId: string, confirms: PollConfirm[]): Promise<void> {
  if (!confirms.length) {
    await platform.kvs.delete(pollConfirmsKey(connectionId));
    return;
  }
  // A confirmation that does not fit is only a resend later, which dedupe absorbs.
  const kept: PollConfirm[] = [];
  let bytes = 0;
  for (const c of confirms) {
    bytes += Buffer.byteLength(JSON.stringify(c), 'utf8');
    if (bytes > 200 * 1024) break;
    kept.push(c);
  }
  await platform.kvs.set(pollConfirmsKey(connectionId), kept);
}

/** Private side: one `transport.poll` event (a chain link, or a one-off right after something was queued). */
export async function runPoll(platform: Platform, deps: TransportDeps, work: { connectionId: string; chainId?: string; hop?: number }): Promise<void> {
  const settings = settingsOf(deps);
  const connection = await getConnection(platform, work.connectionId);
  if (!connection || connection.delivery !== 'poll') return;
  let chain;
  if (work.chainId === undefined) await takeKick(platform, connection.id);
  else {
    chain = await readPollChain(platform, connection.id);
    if (!isCurrentLink(chain, work.chainId, work.hop)) return;
  }
  if (connection.state !== 'active') {
    // Deactivated: the chain ends here and activation seeds a new one.
    if (chain) await stopPollChain(platform, connection.id);
    return;
  }
  // The next link is queued alongside this exchange, not after it, so polls keep their interval however long
  // an exchange takes (one still running makes the next skip its turn: the lease), and the exchange does not
  // wait for the chain's bookkeeping; a connection removed meanwhile ends the chain at that link. The
  // interval follows how long ago something last moved (./poll-cadence.ts).
  const polling = pollingOf(connection, settings.polling);
  const renewal = chain ? renewLink(platform, connection, chain, polling) : Promise.resolve(undefined);
  const [renewed, exchanged] = await Promise.allSettled([renewal, exchangeUnderLease(platform, deps, connection, settings)]);
  if (renewed.status === 'rejected') throw renewed.reason;
  if (exchanged.status === 'rejected') throw exchanged.reason;
  // Busy: this link holds polls open on the public side until its next link is due.
  if (renewed.value !== undefined) await longPollUntil(platform, deps, connection, settings, polling, renewed.value);
}

/** Pushes the next link; while the connection is busy (and this platform can wait), returns when it is due: this link long-polls until then. */
async function renewLink(platform: Platform, connection: ConnectionRecord, chain: PollChain, polling: PollingSettings): Promise<number | undefined> {
  const [floorSeconds, lastActivity] = await Promise.all([readPollFloor(platform), readLastActivity(platform, connection.id)]);
  const now = platform.clock.now();
  // A connection just made counts as busy: its first issues are about to come.
  const busySince = lastActivity ?? connection.activatedAt ?? undefined;
  const longPoll = !!platform.sleep && pollPhase(polling, busySince, now) === 'active';
  // A long-polling link covers its whole session, so the next one is pushed for the session's end: one
  // event per session instead of one per active interval.
  const interval = longPoll ? Math.max(LONG_POLL_SESSION_SECONDS, floorSeconds) : nextPollSeconds(polling, busySince, now, floorSeconds);
  const delay = linkDelaySeconds(interval, now - chain.nextAt);
  await renewPollChain(platform, connection.id, chain, delay);
  return longPoll ? now + delay * 1000 : undefined;
}

/**
 * Long polls until `endAt` (the next link's time): each asks the public side to hold it until it has
 * something, what it brings is taken under the delivery lease and confirmed at once. The waiting request
 * itself carries nothing and holds no lease, so this side's own messages go out meanwhile as they always do
 * (`pollNow`). A public side that answers at once without saying it held the poll predates long polls:
 * then this link polls plainly every active interval until `endAt`, as the chain did before.
 */
async function longPollUntil(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings, polling: PollingSettings, endAt: number): Promise<void> {
  let heldByPartner = true;
  for (;;) {
    const leftMs = endAt - platform.clock.now();
    if (leftMs < 1_000) return;
    if (!heldByPartner) {
      if (leftMs <= polling.activeSeconds * 1000) return;
      await platform.sleep!(polling.activeSeconds * 1000);
      await exchangeUnderLease(platform, deps, connection, settings);
      continue;
    }
    const held = await heldPoll(platform, connection, Math.min(LONG_POLL_ASK_SECONDS, Math.floor(leftMs / 1000)));
    if (held === undefined) return;
    // Answered at once with nothing: that side does not hold polls (or cannot now).
    if (held.waitedMs === undefined || (held.messages.length === 0 && held.waitedMs < LONG_POLL_CHECK_MS)) heldByPartner = false;
    if (held.messages.length > 0) await takeHeld(platform, deps, connection, settings, polling, held.messages);
  }
}

/** One waiting poll, no lease held: the public side's messages when it had some within `waitSeconds`; undefined when it could not be had. */
async function heldPoll(platform: Platform, connection: ConnectionRecord, waitSeconds: number): Promise<PollResponseBody | undefined> {
  const keyring = await keyringOf(platform, connection.id);
  if (!keyring || !connection.remote.url) return undefined;
  const envelope = newEnvelope(platform, { connectionId: connection.remote.connectionId }, 'poll', { messages: [], confirms: [], waitSeconds });
  const reply = await postEnvelope(platform, connection.remote.url, envelope, keyring);
  // A failure is for the next link's plain exchange to record and retry: it carries the same request.
  if (reply.kind !== 'answered') return undefined;
  const answer = PollResponseBody.safeParse(reply.body);
  return answer.success ? answer.data : undefined;
}

/**
 * What a held poll brought, taken under the delivery lease (their messages in order, confirmations kept),
 * then an exchange to confirm them at once and fetch the rest. With the lease held elsewhere, that
 * exchange brings the same messages itself (the public side drops none until confirmed).
 */
async function takeHeld(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings, polling: PollingSettings, messages: Envelope[]): Promise<void> {
  const holder = platform.random.uuid();
  if (!(await acquireLease(platform, connection.id, holder))) return;
  try {
    const earlier = await readConfirms(platform, connection.id);
    const { confirms } = await takeTheirs(platform, deps, connection, messages);
    const fresh = confirms.filter((c) => !earlier.some((e) => e.messageId === c.messageId));
    await writeConfirms(platform, connection.id, [...earlier, ...fresh]);
  } finally {
    await letGo(platform, connection.id, holder);
  }
  await noteActivity(platform, connection.id, polling, await readPollFloor(platform));
  await exchangeUnderLease(platform, deps, connection, settings);
}

/**
 * The delay to push the next link with. Forge starts a delayed event some time after its delay (its
 * queue's pickup; docs/forge-limits.md, latency profile), and this link itself came that late: taking this
 * link's lateness off the next delay keeps the polls `interval` apart on average instead of `interval` plus
 * the pickup. Whole seconds, at least one.
 */
export function linkDelaySeconds(interval: number, lateMs: number): number {
  return Math.max(1, Math.round(interval - Math.max(0, lateMs) / 1000));
}

/**
 * Private side, from the invocation that has just put a message in the outbox (./inline-delivery.ts): the
 * exchange a one-off poll would make, without waiting for a queue event. False when it did not run (a
 * retry is scheduled after failures, or another poll holds the lease and will look at the outbox again).
 */
export async function pollNow(platform: Platform, deps: TransportDeps, connection: ConnectionRecord): Promise<boolean> {
  const state = await readDeliveryState(platform, connection.id);
  if (state.nextAttemptAt !== null && state.nextAttemptAt > platform.clock.now()) return false;
  return exchangeUnderLease(platform, deps, connection, settingsOf(deps));
}

/**
 * Lets go of the delivery lease. Storage would not (a rate limit, past the short waits of `releaseLease`),
 * so every poll turns away until the lease runs out: a poll is queued for then, or the connection would
 * wait for the five-minute schedule.
 */
async function letGo(platform: Platform, connectionId: string, holder: string): Promise<void> {
  await releaseLease(platform, connectionId, holder).catch(async (e: unknown) => {
    if (!isTransient(e)) throw e;
    await pushWork(platform, { kind: 'transport.poll', connectionId }, LEASE_MS / 1000 + 1);
  });
}

/** Passes of exchange under the delivery lease: after letting go, a message queued meanwhile (its own poll found the lease taken) is taken along. */
const MAX_PASSES = 3;

async function exchangeUnderLease(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings): Promise<boolean> {
  let ran = false;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const holder = platform.random.uuid();
    if (!(await acquireLease(platform, connection.id, holder))) return ran;
    ran = true;
    let result: ExchangeResult;
    try {
      result = await exchange(platform, deps, connection, settings);
    } finally {
      await letGo(platform, connection.id, holder);
    }
    if (result.moved) await noteActivity(platform, connection.id, pollingOf(connection, settings.polling), await readPollFloor(platform));
    if (!result.reached || !(await hasPending(platform, connection.id))) return ran;
  }
  return ran;
}

interface ExchangeResult {
  /** A message went either way. */
  moved: boolean;
  /** The last round reached the partner and was answered. */
  reached: boolean;
}

/** Rounds of exchange while either side has more to hand over, at most MAX_ROUNDS. */
async function exchange(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings): Promise<ExchangeResult> {
  let moved = false;
  let reached = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = await exchangeOnce(platform, deps, connection, settings);
    moved ||= result.moved;
    reached = result.reached;
    if (!result.more) break;
  }
  return { moved, reached };
}

/** One poll: our messages and confirmations out, theirs back. `more`: go on at once (more waits on either side); `moved`: a message went either way. */
async function exchangeOnce(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings): Promise<{ more: boolean; moved: boolean; reached: boolean }> {
  const fail = async (report: FailureReport) => {
    await recordFailure(platform, connection.id, report, settings);
    return { more: false, moved: false, reached: false };
  };
  const keyring = await keyringOf(platform, connection.id);
  if (!keyring || !connection.remote.url) return fail({ reason: 'This connection has no secret or partner URL stored; delete it and connect again.', permanent: true });
  const confirms = await readConfirms(platform, connection.id);
  const pending = await peek(platform, connection.id, BATCH_COUNT);
  // Confirmations share the request with the messages; together they stay under the partner's limit.
  const outgoing = takeWithin(pending, Buffer.byteLength(JSON.stringify(confirms), 'utf8'));
  const envelope = newEnvelope(platform, { connectionId: connection.remote.connectionId }, 'poll', { messages: outgoing.map((e) => e.envelope), confirms });
  const reply = await postEnvelope(platform, connection.remote.url, envelope, keyring);
  if (reply.kind === 'unreachable') return fail({ reason: `The public side could not be reached (${reply.reason}).` });
  if (reply.kind === 'refused') {
    if (!reply.goneSigned) return fail({ reason: reply.reason, retryAfterSeconds: reply.retryAfterSeconds, permanent: !reply.retryable, partnerDeactivated: reply.signed && reply.code === 'deactivated' });
    await markEndedByPartner(platform, connection, { uninstalled: false });
    return { more: false, moved: false, reached: false };
  }
  const answer = PollResponseBody.safeParse(reply.body);
  if (!answer.success) return fail({ reason: 'The public side answered the poll with something that is not a poll answer.' });
  await notePartnerKey(platform, connection.id, keyring.roles[reply.keyIndex], settings.secretGraceSeconds * 1000);
  await recordSuccess(platform, connection.id);

  const settled = await settleOurs(platform, deps, connection, settings, outgoing, answer.data.results);
  const { confirms: nextConfirms, blocked } = await takeTheirs(platform, deps, connection, answer.data.messages);
  await writeConfirms(platform, connection.id, nextConfirms);
  const moreOurs = pending.length > outgoing.length || pending.length === BATCH_COUNT;
  return {
    more: !blocked && (answer.data.more || moreOurs || nextConfirms.length > 0),
    moved: outgoing.length > 0 || answer.data.messages.length > 0,
    reached: settled,
  };
}

/** What became of our messages, in order; the first one not taken stops the rest (false then: a retry is scheduled). */
async function settleOurs(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, settings: TransportSettings, sent: OutboxEntry[], results: PushReply[]): Promise<boolean> {
  for (const result of results) {
    const entry = sent.find((e) => e.envelope.messageId === result.messageId);
    if (!entry) continue;
    if (result.outcome.status === 'refused') {
      if (!result.outcome.retryable) {
        await setAside(platform, connection.id, entry, result.outcome.reason);
        continue;
      }
      await recordFailure(platform, connection.id, { reason: result.outcome.reason }, settings);
      return false;
    }
    try {
      await completeDelivery(platform, deps, connection, entry.envelope, result.outcome.result);
    } catch (e) {
      await recordFailure(platform, connection.id, { reason: `Handling the answer to a ${entry.envelope.type} message failed: ${e instanceof Error ? e.message : String(e)}` }, settings);
      return false;
    }
    await remove(platform, connection.id, entry.envelope.seq);
  }
  return true;
}

/** Their messages, in order; one we cannot take yet stops the rest (they come again). */
async function takeTheirs(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, messages: Envelope[]): Promise<{ confirms: PollConfirm[]; blocked: boolean }> {
  const confirms: PollConfirm[] = [];
  for (const message of messages) {
    if (message.connectionId !== connection.id) continue;
    const outcome = await receiveEnvelope(platform, deps, connection, message);
    if (outcome.status === 'refused' && outcome.retryable) return { confirms, blocked: true };
    confirms.push({ messageId: message.messageId, seq: message.seq, outcome });
  }
  return { confirms, blocked: false };
}

export interface PollAnswer {
  statusCode: number;
  body: PollResponseBody | ErrorReply;
  retryAfterSeconds?: number;
}

/** Public side: a verified poll from the private side of `connection`. */
export async function answerPoll(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope): Promise<PollAnswer> {
  if (connection.delivery !== 'held') {
    return { statusCode: 400, body: { error: 'Only the private side of a private connection polls.', code: 'not-private', retryable: false } };
  }
  if (connection.state === 'deactivated') {
    return {
      statusCode: 503,
      body: { error: `The connection "${connection.name}" is deactivated on the public side; messages wait until it is activated again.`, code: 'deactivated', retryable: true },
      retryAfterSeconds: 300,
    };
  }
  const request = PollRequestBody.safeParse(envelope.body);
  if (!request.success) {
    return { statusCode: 400, body: { error: `This poll is malformed: ${describeZodError(request.error)}.`, code: 'bad-poll', retryable: false } };
  }

  for (const confirm of request.data.confirms) {
    const stored = await queued(platform, connection.id, confirm.seq);
    if (!stored || stored.envelope.messageId !== confirm.messageId) continue;
    if (confirm.outcome.status === 'refused') {
      await setAside(platform, connection.id, stored, confirm.outcome.reason);
      continue;
    }
    try {
      await completeDelivery(platform, deps, connection, stored.envelope, confirm.outcome.result);
    } catch (e) {
      // Kept: it goes out again, the private side's dedupe answers the same, and we try again.
      platform.log.warn('handling a confirmed message failed; it stays queued', { connectionId: connection.id, error: String(e) });
      break;
    }
    await remove(platform, connection.id, confirm.seq);
  }

  const results: PushReply[] = [];
  for (const message of request.data.messages) {
    if (message.connectionId !== connection.id) break;
    const outcome = await receiveEnvelope(platform, deps, connection, message);
    results.push({ messageId: message.messageId, outcome });
    if (outcome.status === 'refused' && outcome.retryable) break;
  }

  let pending = await peek(platform, connection.id, BATCH_COUNT);
  // A long poll: nothing to hand over and nothing brought, so hold the answer until the outbox holds
  // something, for at most what this side allows (./long-poll.ts). A poll that brought messages is answered
  // at once: their outcomes are what the private side waits for.
  let waitedMs: number | undefined;
  if (platform.sleep) {
    const hold = pending.length === 0 && request.data.messages.length === 0 ? holdMs(request.data.waitSeconds, platform.invocation?.remainingMs()) : 0;
    const held = await holdUntilOutbox(platform, connection.id, hold);
    waitedMs = held.waitedMs;
    if (held.found) pending = await peek(platform, connection.id, BATCH_COUNT);
  }
  const outgoing = takeWithin(pending);
  await recordSuccess(platform, connection.id);
  return {
    statusCode: 200,
    body: {
      results,
      messages: outgoing.map((e) => e.envelope),
      more: pending.length > outgoing.length || pending.length === BATCH_COUNT,
      ...(waitedMs === undefined ? {} : { waitedMs }),
    },
  };
}
