import { z, ZodError } from 'zod';
import { KVS_LIMITS, type Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { DeleteNotice, Outcome, RotateRequest, StateNotice, type Envelope } from '../domain/envelope';
import { readInstance } from '../connections/instance';
import { answerRotation } from '../connections/rotation';
import { markEndedByPartner } from '../connections/partner-ended';
import { notePartnerState } from './delivery-state';
import { seenExpiryKey, seenExpiryPrefix, seenKey } from './keys';
import { settingsOf, type TransportDeps } from './types';

// One incoming message, however it arrived (push, poll, or from the other
// half of a local connection): refuse it if the connection cannot take it
// now, answer a repeat with the stored result, else hand it to its handler.

/** A claim older than a web trigger can run was left by a crashed invocation. */
const STALE_CLAIM_MS = 120_000;

const Seen = z.discriminatedUnion('state', [
  z.object({ state: z.literal('processing'), at: z.number(), expiresAt: z.number() }),
  z.object({ state: z.literal('done'), at: z.number(), expiresAt: z.number(), outcome: Outcome }),
]);

export const refused = (retryable: boolean, code: string, reason: string): Outcome => ({ status: 'refused', retryable, code, reason });

export async function receiveEnvelope(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  // What the partner's admin did to the connection passes even while it is switched off here; both
  // are idempotent, so they skip the dedupe record.
  if (envelope.type === 'state') return receiveState(platform, connection, envelope);
  if (envelope.type === 'delete') {
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

  const key = seenKey(connection.id, envelope.messageId);
  const now = platform.clock.now();
  let expiresAt = now + settingsOf(deps).dedupeSeconds * 1000;
  const claim = { state: 'processing' as const, at: now, expiresAt };
  if (await platform.kvs.setIfAbsent(key, claim)) {
    await platform.kvs.set(seenExpiryKey(connection.id, expiresAt, envelope.messageId), 1);
  } else {
    const seen = Seen.safeParse(await platform.kvs.get(key));
    if (seen.success && seen.data.state === 'done') return seen.data.outcome;
    if (seen.success && now - seen.data.at < STALE_CLAIM_MS) {
      return refused(true, 'in-progress', 'This message is being processed right now; ask again shortly for its result.');
    }
    // Taking over a claim a crashed invocation left: its expiry index entry already exists.
    if (seen.success) expiresAt = seen.data.expiresAt;
    else await platform.kvs.set(seenExpiryKey(connection.id, expiresAt, envelope.messageId), 1);
    await platform.kvs.set(key, { ...claim, expiresAt });
  }

  let outcome: Outcome;
  try {
    outcome = await dispatch(platform, deps, connection, envelope);
  } catch (e) {
    await platform.kvs.delete(key);
    // A body the handler cannot read will never be readable: refuse it for good, or the sender retries forever.
    if (e instanceof ZodError || e instanceof RangeError) {
      platform.log.warn('incoming message refused as unreadable', { connectionId: connection.id, messageId: envelope.messageId, type: envelope.type });
      return refused(false, 'unreadable', `This ${envelope.type} message cannot be read by the receiving side.`);
    }
    const message = e instanceof Error ? e.message : String(e);
    platform.log.warn('incoming message handler failed; the sender keeps the message', {
      connectionId: connection.id,
      messageId: envelope.messageId,
      type: envelope.type,
      error: message,
    });
    return refused(true, 'handler-failed', `The receiving side could not process this ${envelope.type} message yet: ${message}`);
  }
  if (outcome.status !== 'ok') {
    await platform.kvs.delete(key);
    return outcome;
  }
  await remember(platform, key, expiresAt, outcome);
  return outcome;
}

async function remember(platform: Platform, key: string, expiresAt: number, outcome: Outcome): Promise<void> {
  const record = { state: 'done' as const, at: platform.clock.now(), expiresAt, outcome };
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') > KVS_LIMITS.maxValueBytes - 1024) {
    // The effect happened; a repeat must still not run it again, even if its result cannot be kept.
    platform.log.warn('result too large to keep for repeats; a repeat will get a null result', { key });
    await platform.kvs.set(key, { ...record, outcome: { status: 'ok', result: null } });
    return;
  }
  await platform.kvs.set(key, record);
}

async function dispatch(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  switch (envelope.type) {
    case 'handshake': {
      const rotate = RotateRequest.safeParse(envelope.body);
      if (!rotate.success) return refused(false, 'bad-handshake', 'This handshake message is not one an established connection understands.');
      const reply = await answerRotation(platform, connection, rotate.data);
      return reply.ok ? { status: 'ok', result: reply.reply } : refused(false, 'unknown-secret', reply.reason);
    }
    default: {
      const handler = deps.inbound[envelope.type];
      if (!handler) {
        return refused(true, 'no-handler', `This instance cannot take ${envelope.type} messages yet; they wait on the sending side.`);
      }
      return { status: 'ok', result: (await handler(platform, connection, envelope)) ?? null };
    }
  }
}

async function receiveState(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<Outcome> {
  const notice = StateNotice.safeParse(envelope.body);
  if (!notice.success) return refused(false, 'unreadable', 'This state message cannot be read by the receiving side.');
  await notePartnerState(platform, connection.id, notice.data);
  return { status: 'ok', result: { noted: true } };
}

/**
 * Forget message ids whose time is up, oldest first, through the expiry
 * index (seen records themselves are keyed by message id, in no useful order).
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
