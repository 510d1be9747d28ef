import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { isTransient } from '../domain/errors';
import { readDeliveryState } from './delivery-state';
import { kickKey } from './keys';
import type { TransportWork } from './types';
import { recordKind } from '../domain/stored-record';

// Nudges delivery for a connection through the queue: pushes go to a
// delivery worker, a private side polls at once. A connection whose partner
// polls us (`held`) needs no nudge: the partner comes for its messages.
//
// Nudges are coalesced: one is on its way until a worker picks it up, and
// none is sent while a retry is already scheduled (that retry will carry
// everything queued meanwhile). A bulk of a thousand messages costs a handful
// of queue events, well under Forge's 500 pushes a minute.

/** A nudge older than this was lost with its event; the next one goes out anyway. */
const KICK_STALE_MS = 120_000;

/** When the nudge on its way was sent. */
const kickRecord = recordKind({ name: 'delivery nudge', version: 1, schema: z.number(), key: kickKey });

export async function pushWork(platform: Platform, work: TransportWork, delayInSeconds?: number): Promise<void> {
  await platform.queue.push([{ body: work as Record<string, unknown>, ...(delayInSeconds ? { delayInSeconds } : {}) }]);
}

export async function kick(platform: Platform, connection: ConnectionRecord): Promise<void> {
  if (connection.state !== 'active' || connection.delivery === 'held') return;
  try {
    await coalescedKick(platform, connection);
  } catch (e) {
    // Storage will not keep the nudge's bookkeeping now (a rate limit): nudge anyway, uncoalesced. The message
    // is in the outbox already; without a nudge it would wait for the five-minute schedule.
    if (!isTransient(e)) throw e;
    await pushWork(platform, { kind: connection.delivery === 'poll' ? 'transport.poll' : 'transport.deliver', connectionId: connection.id });
  }
}

async function coalescedKick(platform: Platform, connection: ConnectionRecord): Promise<void> {
  const now = platform.clock.now();
  const state = await readDeliveryState(platform, connection.id);
  if (state.nextAttemptAt !== null && state.nextAttemptAt > now) return;
  const key = kickKey(connection.id);
  if (!(await platform.kvs.setIfAbsent(key, now))) {
    const since = await kickRecord.find(platform, connection.id);
    if (since !== undefined && now - since < KICK_STALE_MS) return;
    await platform.kvs.set(key, now);
  }
  if (connection.delivery === 'poll') await pushWork(platform, { kind: 'transport.poll', connectionId: connection.id });
  else await pushWork(platform, { kind: 'transport.deliver', connectionId: connection.id });
}

/** A worker took the nudge: the next message needs a new one (unless this worker still sees it). */
export async function takeKick(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(kickKey(connectionId));
}
