import { z } from 'zod';
import { KVS_LIMITS, type KvsTransactionOp, type Platform } from '../ports';
import { AppError } from '../domain/errors';
import { Envelope, type MessageBody, type MessageType } from '../domain/messages';
import type { ConnectionRecord } from '../domain/connection';
import { newEnvelope } from './envelopes';
import { deadLetterKey, outboxKey, outboxPrefix, padSeq, seqClaimKey, seqClaimPrefix, seqHintKey } from './keys';
import { recordKind } from '../domain/stored-record';
import { heldPerConnection } from '../domain/held-across-invocations';

// The durable outbox: one KVS entry per message, keyed by connection and
// sequence number. A message leaves it only when the partner has taken it.

export const OutboxEntry = z.object({ envelope: Envelope, enqueuedAt: z.number() });
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const outboxRecord = recordKind({ name: 'outbox entry', version: 1, schema: OutboxEntry, key: outboxKey });

/** A message the partner refused for good, kept with its reason. */
export const SetAsideEntry = OutboxEntry.extend({ reason: z.string(), setAsideAt: z.number() });
export type SetAsideEntry = z.infer<typeof SetAsideEntry>;
export const setAsideRecord = recordKind({ name: 'message set aside', version: 1, schema: SetAsideEntry, key: deadLetterKey });
/** The highest sequence number handed out (a hint: claims decide). */
const seqHintRecord = recordKind({ name: 'sequence hint', version: 1, schema: z.number(), key: seqHintKey });

/** KVS depth limit, less the two levels the entry and envelope wrap around the body. */
const MAX_BODY_DEPTH = KVS_LIMITS.maxDepth - 3;

function depthOf(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The number this container last claimed per installation and connection: the next claim starts after it
 * without reading the stored hint. Held briefly, so it can never fall so far behind that claims below it
 * were pruned (`pruneSeqClaims` keeps the last thousand); when another container has claimed since, the
 * first claim fails and the stored hint is read after all.
 */
export const CLAIM_HELD_MS = 30_000;
const lastClaimed = heldPerConnection<number>({ capacity: 256, maxAgeMs: CLAIM_HELD_MS });

/**
 * A sequence number no other message on this connection has had. Claims are
 * written only-if-absent, so racing senders never share a number even when
 * the number they start from lags behind.
 */
async function allocateSeq(platform: Platform, connectionId: string): Promise<number> {
  const now = platform.clock.now();
  const warm = lastClaimed.get(platform, connectionId, now);
  const stored = async () => (await seqHintRecord.find(platform, connectionId)) ?? 0;
  let from = warm ?? (await stored());
  let hintRead = warm === undefined;
  for (let seq = from + 1; seq < from + 10_000; seq++) {
    // Held before the claim is written: an invocation numbering several messages at once (a bulk page's
    // issues side by side) starts each past the ones already being claimed, rather than all racing for one
    // number. A claim that then fails or is never used leaves a gap, which the partner takes as any.
    const held = lastClaimed.get(platform, connectionId, now);
    if (held !== undefined && held >= seq) seq = held + 1;
    lastClaimed.set(platform, connectionId, seq, now);
    // The hint moves with the entry (enqueue): one write fewer per message.
    if (await platform.kvs.setIfAbsent(seqClaimKey(connectionId, seq), 1)) return seq;
    if (!hintRead) {
      // Another container claimed since: start from the stored hint rather than one claim at a time.
      hintRead = true;
      const hint = await stored();
      if (hint > seq) {
        from = hint;
        seq = hint;
      }
    }
  }
  throw new AppError('Internal', `Could not allocate a sequence number on connection ${connectionId}.`);
}

/** Puts a message in the outbox; refuses what KVS could not hold and what the protocol does not know. */
export async function enqueue<T extends MessageType>(platform: Platform, connection: ConnectionRecord, type: T, body: MessageBody<T>): Promise<Envelope> {
  const { envelope, ops } = await outboxWrites(platform, connection, type, body);
  // One transaction: the entry and the hint that the next sender starts from. Refused, the claimed number
  // stays unused (a gap the partner takes as it takes any), as when a sender died after claiming it.
  await platform.kvs.transact(ops);
  return envelope;
}

/**
 * A message numbered and checked, and the writes that put it in the outbox, for the caller's own
 * transaction (the change the message reports, written with it or not at all).
 */
export async function outboxWrites<T extends MessageType>(platform: Platform, connection: ConnectionRecord, type: T, body: MessageBody<T>): Promise<{ envelope: Envelope; ops: KvsTransactionOp[] }> {
  if (depthOf(body) > MAX_BODY_DEPTH) {
    throw new AppError('BadInput', `This ${type} message is nested ${depthOf(body)} levels deep; messages may nest at most ${MAX_BODY_DEPTH}.`);
  }
  // Stored as JSON will read it back: what does not survive that (undefined fields) is not sent either.
  const stored = JSON.parse(JSON.stringify(body ?? null)) as MessageBody<T>;
  const draft: OutboxEntry = {
    // Numbered once the size is known to fit, so a refused message uses up no sequence number.
    envelope: newEnvelope(platform, { connectionId: connection.remote.connectionId, seq: 999_999_999_999 }, type, stored),
    enqueuedAt: platform.clock.now(),
  };
  const size = byteLength(JSON.stringify(draft));
  if (size > KVS_LIMITS.maxValueBytes) {
    throw new AppError(
      'BadInput',
      `This ${type} message is ${Math.ceil(size / 1024)} KiB; a message may be at most ${KVS_LIMITS.maxValueBytes / 1024} KiB. Send attachments in chunks.`,
    );
  }
  const seq = await allocateSeq(platform, connection.id);
  const entry: OutboxEntry = { ...draft, envelope: { ...draft.envelope, seq } };
  return {
    envelope: entry.envelope,
    ops: [
      { kind: 'set', key: outboxKey(connection.id, seq), value: entry },
      { kind: 'set', key: seqHintKey(connection.id), value: seq },
    ],
  };
}

/** The oldest pending messages, in send order. */
export async function peek(platform: Platform, connectionId: string, limit: number): Promise<OutboxEntry[]> {
  const page = await platform.kvs.query(outboxPrefix(connectionId), { limit: Math.min(limit, KVS_LIMITS.maxQueryLimit) });
  // An unreadable entry is logged and left in place.
  return outboxRecord.entries(page, platform.log).map((entry) => entry.value);
}

/** The message with this sequence number, if it still waits (unreadable ones are logged and count as gone). */
export async function queued(platform: Platform, connectionId: string, seq: number): Promise<OutboxEntry | undefined> {
  return outboxRecord.find(platform, connectionId, seq);
}

export async function hasPending(platform: Platform, connectionId: string): Promise<boolean> {
  return (await platform.kvs.query(outboxPrefix(connectionId), { limit: 1 })).results.length > 0;
}

export async function remove(platform: Platform, connectionId: string, seq: number): Promise<void> {
  await platform.kvs.delete(outboxKey(connectionId, seq));
}

/** The same removal, for a transaction that records what the partner's answer settled. */
export const removalOp = (connectionId: string, seq: number): KvsTransactionOp => ({ kind: 'delete', key: outboxKey(connectionId, seq) });

/** Claims far below the hint can no longer be reached by a lagging sender; drop them. */
export async function pruneSeqClaims(platform: Platform, connectionId: string, maxDeletes = 100): Promise<number> {
  const hint = (await seqHintRecord.find(platform, connectionId)) ?? 0;
  const below = padSeq(Math.max(0, hint - 1000));
  const page = await platform.kvs.query(seqClaimPrefix(connectionId), { limit: Math.min(maxDeletes, 100) });
  let deleted = 0;
  for (const item of page.results) {
    if (item.key.slice(seqClaimPrefix(connectionId).length) >= below) break;
    await platform.kvs.delete(item.key);
    deleted++;
  }
  return deleted;
}

/** Moves a message the partner will never take out of the way, keeping it with the reason. */
export async function setAside(platform: Platform, connectionId: string, entry: OutboxEntry, reason: string): Promise<void> {
  platform.log.error('the partner refused a message for good; it is set aside', {
    connectionId,
    messageId: entry.envelope.messageId,
    type: entry.envelope.type,
    reason,
  });
  await platform.kvs.set(deadLetterKey(connectionId, entry.envelope.seq), { ...entry, reason, setAsideAt: platform.clock.now() } satisfies SetAsideEntry);
  await remove(platform, connectionId, entry.envelope.seq);
}
