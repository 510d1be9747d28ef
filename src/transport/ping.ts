import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import { PushReply } from '../domain/protocol';
import { readInstance } from '../connections/instance';
import { getConnection } from '../connections/store';
import { markEndedByPartner } from '../connections/partner-ended';
import { recordPong } from './delivery-state';
import { postEnvelope } from './http';
import { keyringOf } from './keyring';
import { enqueue } from './outbox';
import { newEnvelope } from './envelopes';

// "Test connection". Where we can call the partner, a signed ping goes
// straight there and back. Where the partner is a private side we cannot
// call, the ping waits in the outbox and its answer arrives with the next poll.

export type PingResult =
  | { reachable: true; roundTripMs: number; partnerName: string | null }
  | { reachable: false; reason: string }
  | { reachable: null; queued: true; messageId: string; detail: string };

export async function pingConnection(platform: Platform, connection: ConnectionRecord): Promise<PingResult> {
  if (connection.state === 'pending') throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet.`);

  if (connection.delivery === 'held') {
    const envelope = await enqueue(platform, connection, 'ping', {});
    return { reachable: null, queued: true, messageId: envelope.messageId, detail: 'The private side answers when it next polls.' };
  }

  if (connection.delivery === 'local') {
    const other = await getConnection(platform, connection.remote.connectionId);
    if (!other) return { reachable: false, reason: 'The other half of this local connection is gone.' };
    if (other.state !== 'active') return { reachable: false, reason: `The other half ("${other.name}") is deactivated.` };
    const partnerName = (await readInstance(platform))?.name ?? null;
    await recordPong(platform, connection.id, platform.random.uuid(), partnerName);
    return { reachable: true, roundTripMs: 0, partnerName };
  }

  const keyring = await keyringOf(platform, connection.id);
  if (!keyring || !connection.remote.url) return { reachable: false, reason: 'This connection has no secret or partner URL stored.' };
  const started = platform.clock.now();
  const envelope = newEnvelope(platform, { connectionId: connection.remote.connectionId }, 'ping', {});
  const reply = await postEnvelope(platform, connection.remote.url, envelope, keyring);
  if (reply.kind === 'unreachable') return { reachable: false, reason: `The partner could not be reached (${reply.reason}).` };
  if (reply.kind === 'refused') {
    if (reply.goneSigned) {
      await markEndedByPartner(platform, connection, { uninstalled: false });
      return { reachable: false, reason: 'The partner has deleted this connection; nothing syncs on it any more. Delete it here too.' };
    }
    return { reachable: false, reason: reply.reason };
  }
  const answer = PushReply.safeParse(reply.body);
  if (!answer.success || answer.data.outcome.status !== 'ok') return { reachable: false, reason: 'The partner answered the ping with something else.' };
  const result = answer.data.outcome.result as { name?: unknown } | null;
  const partnerName = result && typeof result.name === 'string' ? result.name : null;
  await recordPong(platform, connection.id, envelope.messageId, partnerName);
  return { reachable: true, roundTripMs: platform.clock.now() - started, partnerName };
}
