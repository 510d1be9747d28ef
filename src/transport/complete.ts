import type { KvsTransactionOp, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { Envelope } from '../domain/messages';
import { recordPong } from './delivery-state';
import { settingsOf, type TransportDeps } from './types';

/**
 * The partner took one of our messages and answered `result`: finish what the message started. True when
 * the `finish` writes (the message out of the outbox) went into that same transaction.
 */
export async function completeDelivery(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  envelope: Envelope,
  result: unknown,
  finish: KvsTransactionOp[] = [],
): Promise<boolean> {
  switch (envelope.type) {
    case 'handshake':
      await deps.pairing.completeRotation(platform, connection, envelope, result, settingsOf(deps).secretGraceSeconds * 1000);
      return false;
    case 'ping': {
      const name = result && typeof result === 'object' && typeof (result as { name?: unknown }).name === 'string' ? (result as { name: string }).name : null;
      await recordPong(platform, connection.id, envelope.messageId, name);
      return false;
    }
    case 'delete':
      return false;
    default:
      return (await deps.onDelivered?.(platform, connection, envelope, result, finish)) === true;
  }
}
