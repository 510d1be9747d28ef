import type { KvsTransactionOp, Platform } from '../ports';
import { AppError } from '../domain/errors';
import { ENGINE_MESSAGE_TYPES, type EngineMessageType, type MessageBody } from '../domain/messages';
import { requireConnection } from '../connections/store';
import { kick } from './kick';
import { deferDelivery } from './inline-delivery';
import { outboxWrites } from './outbox';

/** Envelope types the sync engine may send; the others belong to the transport and the pairing flows. */
const ENGINE_TYPES = new Set<string>(ENGINE_MESSAGE_TYPES);

/**
 * The sync engine's way out: the message is durable in the outbox when this
 * returns, and delivery is nudged (or left to this invocation's end). On a deactivated connection it waits there
 * until the connection is activated again.
 */
export async function sendMessage<T extends EngineMessageType>(platform: Platform, connectionId: string, type: T, body: MessageBody<T>): Promise<{ messageId: string; seq: number }> {
  return sendMessageWith(platform, connectionId, type, body, (ops) => platform.kvs.transact(ops));
}

/**
 * `sendMessage` with the outbox writes handed to `write`, which puts them in one transaction with the
 * change the message reports (a twin, its history): both are stored, or neither.
 */
export async function sendMessageWith<T extends EngineMessageType>(
  platform: Platform,
  connectionId: string,
  type: T,
  body: MessageBody<T>,
  write: (outboxOps: KvsTransactionOp[]) => Promise<void>,
): Promise<{ messageId: string; seq: number }> {
  // Typed already; checked again for callers the compiler cannot see (a cast, a test).
  if (!ENGINE_TYPES.has(type)) {
    throw new AppError('BadInput', `"${String(type)}" is not a message type the sync engine can send.`);
  }
  const connection = await requireConnection(platform, connectionId);
  if (connection.state === 'pending') {
    throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet; nothing can be sent on it.`);
  }
  const { envelope, ops } = await outboxWrites(platform, connection, type, body);
  await write(ops);
  // Delivered by this invocation when it can (./inline-delivery.ts), else nudged through the queue.
  if (!deferDelivery(platform, connection.id)) await kick(platform, connection);
  return { messageId: envelope.messageId, seq: envelope.seq };
}
