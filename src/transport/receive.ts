import { z, ZodError } from 'zod';
import { KVS_LIMITS, type Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { Outcome } from '../domain/protocol';
import { DeleteNotice, ENGINE_MESSAGE_TYPES, readBody, RotateRequest, StateNotice, type EngineMessageType, type Envelope, type MessageOf } from '../domain/messages';
import { readInstance } from '../connections/instance';
import { markEndedByPartner } from '../connections/partner-ended';
import { notePartnerState } from './delivery-state';
import { seenExpiryPrefix, seenKey } from './keys';
import { TIMESTAMP_WINDOW_MS } from './signing';
import type { InboundHandler, TransportDeps } from './types';
import { recordKind } from '../domain/stored-record';
import { isTransient } from '../domain/errors';

// One incoming message, however it arrived (push, poll, or from the other
// half of a local connection): refuse it if the connection cannot take it
// now, answer a repeat with the stored result, else hand it to its handler.

/** A claim older than a web trigger can run was left by a crashed invocation. */
const STALE_CLAIM_MS = 120_000;

/**
 * The replay record of a message id only has to outlast the requests that could still be accepted with
 * it: a request is taken while its timestamp is within the window either side of our clock, so one
 * stamped a full window ahead stays acceptable for two windows after it arrives, and after that it is
 * refused as bad-timestamp whatever we remember.
 */
const REPLAYABLE_FOR_MS = 2 * TIMESTAMP_WINDOW_MS;
/**
 * So a message id is remembered for that plus five minutes after the last request carrying it was
 * accepted (15 minutes), and the record expires by itself (KVS TTL): minutes, not days, and nothing to
 * sweep. A sender's own retry after that is re-signed with a fresh timestamp and is handled again; the
 * handlers take a repeat without a second effect (a replica older than the last applied is dropped, acks
 * and unexalates set state, attachment chunks are stored by index).
 */
export const REPLAY_RECORD_MS = REPLAYABLE_FOR_MS + 5 * 60_000;

/** The TTL that ends a record at `expiresAt` (at least a second: Forge's finest unit). */
const ttlUntil = (expiresAt: number, now: number) => ({ ttlSeconds: Math.max(1, Math.ceil((expiresAt - now) / 1000)) });

const Seen = z.discriminatedUnion('state', [
  z.object({ state: z.literal('processing'), at: z.number(), expiresAt: z.number() }),
  z.object({ state: z.literal('done'), at: z.number(), expiresAt: z.number(), outcome: Outcome }),
]);
const seenRecord = recordKind({ name: 'replay record', version: 1, schema: Seen, key: seenKey });

export const refused = (retryable: boolean, code: string, reason: string): Outcome => ({ status: 'refused', retryable, code, reason });

export async function receiveEnvelope(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  const atOnce = await answeredAtOnce(platform, connection, envelope);
  if (atOnce) return atOnce;
  const handle = () => dispatch(platform, deps, connection, envelope);
  // The engine names the types whose handlers tell a repeat by the message itself (`toldBySequence`).
  if (deps.toldBySequence?.has(envelope.type as EngineMessageType)) return handleWithoutRecord(platform, connection, envelope, handle);
  return handleOnce(platform, connection, envelope, handle);
}

async function handleWithoutRecord(platform: Platform, connection: ConnectionRecord, envelope: Envelope, handle: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await handle();
  } catch (e) {
    return refusalFor(platform, connection, envelope, e);
  }
}

/** What is answered without a replay record (notices, pings, refusals of what cannot be taken now); undefined for the rest. */
async function answeredAtOnce(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome | undefined> {
  // What the partner's admin did to the connection passes even while it is switched off here; both
  // are idempotent, so they skip the dedupe record.
  if (envelope.type === 'state') return receiveState(platform, connection, envelope);
  if (envelope.type === 'delete') {
    // Read leniently: a notice whose reason cannot be read still says the partner ended the connection.
    const notice = DeleteNotice.safeParse(envelope.body ?? {});
    await markEndedByPartner(platform, connection, { uninstalled: notice.success && notice.data.uninstalled === true });
    return { status: 'ok', result: { deleted: true } };
  }
  if (connection.state === 'deactivated') {
    return refused(true, 'deactivated', `The connection "${connection.name}" is deactivated on the receiving side; messages wait until it is activated again.`);
  }
  if (connection.state === 'pending') return refused(true, 'pending', 'The connection is not accepted yet.');
  if (envelope.type === 'ping') {
    // A ping has no effect to protect, so it skips the dedupe record.
    const identity = await readInstance(platform);
    return { status: 'ok', result: { pong: true, name: identity?.name ?? null, at: platform.clock.now() } };
  }
  if (envelope.type === 'poll') return refused(false, 'misplaced-poll', 'A poll cannot be carried inside another message.');
  return undefined;
}

/** Runs `handle` once per message id: a repeat gets the outcome stored the first time, a message in progress waits. */
async function handleOnce(platform: Platform, connection: ConnectionRecord, envelope: Envelope, handle: () => Promise<Outcome>): Promise<Outcome> {
  const key = seenKey(connection.id, envelope.messageId);
  const expiresAt = platform.clock.now() + REPLAY_RECORD_MS;
  const earlier = await claim(platform, connection.id, envelope.messageId, expiresAt);
  if (earlier) return earlier;
  let outcome: Outcome;
  try {
    outcome = await handle();
  } catch (e) {
    await releaseClaim(platform, key);
    return refusalFor(platform, connection, envelope, e);
  }
  if (outcome.status !== 'ok') {
    await releaseClaim(platform, key);
    return outcome;
  }
  try {
    await remember(platform, key, expiresAt, outcome);
  } catch (e) {
    // The effect happened: the sender gets its answer and stops sending. Storage would not keep the answer
    // now, so a repeat finds the claim "in progress" until it is stale and then runs the handler again,
    // which every handler takes as the same news (as after a crash at this point).
    if (!isTransient(e)) throw e;
    platform.log.info('the answer to an incoming message could not be kept for repeats now', { key });
  }
  return outcome;
}

/** Takes the message id's replay record; answers instead when an earlier delivery of it is done or still running. */
async function claim(platform: Platform, connectionId: string, messageId: string, expiresAt: number): Promise<Outcome | undefined> {
  const key = seenKey(connectionId, messageId);
  const now = platform.clock.now();
  const processing = { state: 'processing' as const, at: now, expiresAt };
  if (await platform.kvs.setIfAbsent(key, processing, ttlUntil(expiresAt, now))) return undefined;
  const seen = await seenRecord.find(platform, connectionId, messageId);
  if (seen?.state === 'done') {
    // This repeat was accepted too, so its own replays must find the record as long as they could be.
    if (seen.expiresAt < now + REPLAYABLE_FOR_MS) await platform.kvs.set(key, { ...seen, expiresAt }, ttlUntil(expiresAt, now));
    return seen.outcome;
  }
  if (seen && now - seen.at < STALE_CLAIM_MS) {
    return refused(true, 'in-progress', 'This message is being processed right now; ask again shortly for its result.');
  }
  // Taking over a claim a crashed invocation left (or a record that cannot be read).
  await platform.kvs.set(key, processing, ttlUntil(expiresAt, now));
  return undefined;
}

/** A handler threw: a body that cannot be read never will be (refused for good), anything else is "not yet". */
function refusalFor(platform: Platform, connection: ConnectionRecord, envelope: Envelope, e: unknown): Outcome {
  const where = { connectionId: connection.id, messageId: envelope.messageId, type: envelope.type };
  if (e instanceof ZodError || e instanceof RangeError) {
    platform.log.warn('incoming message refused as unreadable', where);
    return refused(false, 'unreadable', `This ${envelope.type} message cannot be read by the receiving side.`);
  }
  const message = e instanceof Error ? e.message : String(e);
  // Storage or Jira said "later": the sender comes back after the Retry-After, without counting a failure.
  if (isTransient(e)) return refused(true, 'busy', `The receiving side is busy; ask again shortly (${message})`);
  platform.log.warn('incoming message handler failed; the sender keeps the message', { ...where, error: message });
  return refused(true, 'handler-failed', `The receiving side could not process this ${envelope.type} message yet: ${message}`);
}

/** Let go of the claim so the sender's retry runs the handler; when storage will not now, it goes stale. */
async function releaseClaim(platform: Platform, key: string): Promise<void> {
  try {
    await platform.kvs.delete(key);
  } catch (e) {
    if (!isTransient(e)) throw e;
  }
}

async function remember(platform: Platform, key: string, expiresAt: number, outcome: Outcome): Promise<void> {
  const now = platform.clock.now();
  const record = { state: 'done' as const, at: now, expiresAt, outcome };
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') > KVS_LIMITS.maxValueBytes - 1024) {
    // The effect happened; a repeat must still not run it again, even if its result cannot be kept.
    platform.log.warn('result too large to keep for repeats; a repeat will get a null result', { key });
    await platform.kvs.set(key, { ...record, outcome: { status: 'ok', result: null } }, ttlUntil(expiresAt, now));
    return;
  }
  await platform.kvs.set(key, record, ttlUntil(expiresAt, now));
}

async function dispatch(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  switch (envelope.type) {
    case 'handshake': {
      const rotate = RotateRequest.safeParse(envelope.body);
      if (!rotate.success) return refused(false, 'bad-handshake', 'This handshake message is not one an established connection understands.');
      const reply = await deps.pairing.answerRotation(platform, connection, rotate.data);
      return reply.ok ? { status: 'ok', result: reply.reply } : refused(false, 'unknown-secret', reply.reason);
    }
    default: {
      const handler = isEngineType(envelope.type) ? (deps.inbound[envelope.type] as InboundHandler<EngineMessageType> | undefined) : undefined;
      if (!handler) {
        return refused(true, 'no-handler', `This instance cannot take ${envelope.type} messages yet; they wait on the sending side.`);
      }
      // Read by the protocol's schema for its type: a body that does not fit throws zod's error, refused above for good.
      const message = { ...envelope, body: readBody(envelope.type, envelope.body) } as MessageOf<EngineMessageType>;
      return { status: 'ok', result: (await handler(platform, connection, message)) ?? null };
    }
  }
}

const engineTypes = new Set<string>(ENGINE_MESSAGE_TYPES);
const isEngineType = (type: string): type is EngineMessageType => engineTypes.has(type);

async function receiveState(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  const notice = StateNotice.safeParse(envelope.body);
  if (!notice.success) return refused(false, 'unreadable', 'This state message cannot be read by the receiving side.');
  await notePartnerState(platform, connection.id, notice.data);
  return { status: 'ok', result: { noted: true } };
}

/**
 * Replay records written before they expired by themselves (KVS TTL) came with an expiry index entry and a
 * 30-day life; this forgets those whose time is up, oldest first, through that index. Once the last of
 * them is gone it finds nothing (one empty query per connection per maintenance run).
 */
export async function pruneSeen(platform: Platform, connectionId: string, maxDeletes = 500): Promise<number> {
  const prefix = seenExpiryPrefix(connectionId);
  const now = platform.clock.now();
  let deleted = 0;
  while (deleted < maxDeletes) {
    const page = await platform.kvs.query(prefix, { limit: 100 });
    for (const item of page.results) {
      const rest = item.key.slice(prefix.length);
      const at = rest.slice(0, rest.indexOf(':'));
      const messageId = rest.slice(rest.indexOf(':') + 1);
      if (Number(at) >= now) return deleted;
      await platform.kvs.delete(seenKey(connectionId, messageId));
      await platform.kvs.delete(item.key);
      deleted++;
    }
    if (!page.nextCursor) return deleted;
  }
  return deleted;
}
