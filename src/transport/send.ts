import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { EnvelopeType } from '../domain/envelope';
import { requireConnection } from '../connections/store';
import { kick } from './kick';
import { enqueue } from './outbox';

/** Envelope types the sync engine may send; the others belong to the transport. */
const ENGINE_TYPES = new Set<EnvelopeType>(['replica', 'ack', 'unexalate', 'configure', 'attachment', 'connect']);

/**
 * The sync engine's way out: the message is durable in the outbox when this
 * returns, and delivery is nudged. On a deactivated connection it waits there
 * until the connection is activated again.
 */
export async function sendMessage(platform: Platform, connectionId: string, type: EnvelopeType, body: unknown): Promise<{ messageId: string; seq: number }> {
  const parsedType = EnvelopeType.safeParse(type);
  if (!parsedType.success || !ENGINE_TYPES.has(parsedType.data)) {
    throw new AppError('BadInput', `"${String(type)}" is not a message type the sync engine can send.`);
  }
  const connection = await requireConnection(platform, connectionId);
  if (connection.state === 'pending') {
    throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet; nothing can be sent on it.`);
  }
  const envelope = await enqueue(platform, connection, parsedType.data, body);
  await kick(platform, connection);
  return { messageId: envelope.messageId, seq: envelope.seq };
}
