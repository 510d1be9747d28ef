import type { Platform } from '../ports';
import type { InboundHandlers, TransportDeps } from '../transport';
import { isTransient } from '../domain/errors';
import { queueAgainLater } from './later';
import { queueWhenFree } from './busy-retry';
import { StatWork, storeQueuedStat } from './statistics';
import { getConnection } from '../connections/store';
import { AckWork, applyAckLocked, receiveAck, takeAckFromAnswer } from './acks';
import { receiveAttachment } from './attachment-transfer';
import { IncomingWork, receiveReplica, syncIncoming } from './incoming';
import type { EngineMessageType, SyncCause } from '../domain/messages';
import { OutgoingWork, syncOutgoing } from './outgoing';
import { receiveUnexalate } from './twin-end';
import { receiveConfigure } from './visual-configure';

// The sync engine as the rest of the app sees it: the handlers of the message
// types it owns, and its queue work. Product events become work in
// src/operations/product-events.ts.

export const inboundHandlers: InboundHandlers = {
  replica: receiveReplica,
  attachment: receiveAttachment,
  ack: receiveAck,
  unexalate: receiveUnexalate,
  configure: receiveConfigure,
};

/**
 * A replica carries its sequence number: one applied before (or older than the last applied) changes nothing
 * and is acked again (./incoming/work.ts), whether it is the sender's retry or a replay inside the signature's
 * window, and a repeat that meets the first delivery at work finds the twin's lease held and waits in the
 * inbox. So the transport keeps no replay record for it: two writes less on the receiving side per synced edit.
 */
export const TOLD_BY_SEQUENCE: ReadonlySet<EngineMessageType> = new Set(['replica']);

/** The partner took one of our messages: a replica's answer may carry its ack. */
export const onDelivered: NonNullable<TransportDeps['onDelivered']> = async (platform, connection, envelope, result, finish) =>
  envelope.type === 'replica' ? takeAckFromAnswer(platform, connection, result, finish) : false;

export const isSyncWork = (body: Record<string, unknown>) => typeof body.kind === 'string' && body.kind.startsWith('sync.');

export async function handleSyncWork(platform: Platform, body: Record<string, unknown>): Promise<void> {
  try {
    if (body.kind === 'sync.outgoing') {
      const result = await syncOutgoing(platform, OutgoingWork.parse(body));
      // Another worker is on this twin: look again shortly, so the last edit is never lost.
      if (result.outcome === 'busy') await queueWhenFree(platform, body);
      return;
    }
    if (body.kind === 'sync.incoming') {
      await syncIncoming(platform, IncomingWork.parse(body));
      return;
    }
    if (body.kind === 'sync.stat') {
      await storeQueuedStat(platform, StatWork.parse(body));
      return;
    }
    if (body.kind === 'sync.ack') {
      const work = AckWork.parse(body);
      const connection = await getConnection(platform, work.connectionId);
      if (connection && (await applyAckLocked(platform, connection, work.ack)) === 'busy') await queueWhenFree(platform, body);
      return;
    }
  } catch (e) {
    // Jira or the platform said "later" (429 with Retry-After, 503, a storage rate limit): come back then
    // instead of burning the queue's retries.
    if (isTransient(e)) {
      await queueAgainLater(platform, body, e);
      return;
    }
    throw e;
  }
  throw new Error(`Unknown sync work "${String(body.kind)}"`);
}

/** Queue an outgoing sync of one issue on one connection. */
export async function requestOutgoing(platform: Platform, connectionId: string, localIssueId: string, cause: SyncCause): Promise<void> {
  await platform.queue.push([{ body: { kind: 'sync.outgoing', connectionId, localIssueId, cause } }]);
}

