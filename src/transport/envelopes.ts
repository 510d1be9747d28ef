import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { bodySchema, type Envelope, type MessageBody, type MessageType } from '../domain/messages';
import { PROTOCOL_VERSION } from '../domain/protocol';
import { describeZodError } from '../domain/zod-error';

// Every message this side sends starts here: typed by the protocol
// (src/domain/messages.ts), so a sender cannot name a body that does not fit
// its type, and checked once more before it leaves, since a body built from
// stored or scripted data may not be what its type says.

/** Throws when `body` is not what a `type` message carries: the sender's mistake, and nothing is sent. */
export function checkBody<T extends MessageType>(type: T, body: MessageBody<T>): void {
  const checked = bodySchema(type).safeParse(body);
  if (!checked.success) {
    throw new AppError('Internal', `This ${type} message does not match the partner protocol, so it was not sent: ${describeZodError(checked.error)}.`);
  }
}

/** A new envelope to the partner's `connectionId`; `seq` 0 for messages outside the outbox's order (pings, handshakes, notices). */
export function newEnvelope<T extends MessageType>(platform: Platform, to: { connectionId: string; seq?: number }, type: T, body: MessageBody<T>): Envelope {
  checkBody(type, body);
  return {
    v: PROTOCOL_VERSION,
    connectionId: to.connectionId,
    messageId: platform.random.uuid(),
    seq: to.seq ?? 0,
    sentAt: platform.clock.now(),
    type,
    body,
  };
}
