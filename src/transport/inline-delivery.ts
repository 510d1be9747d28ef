import type { Platform } from '../ports';
import { isTransient } from '../domain/errors';
import { getConnection } from '../connections/store';
import { deliverOutbox } from './deliver';
import { pollNow } from './poll';
import { kick } from './kick';
import type { TransportDeps } from './types';

// A message put in the outbox is delivered by the invocation that put it
// there, once that invocation's own work is done (and its twin leases are
// let go), instead of a queue event starting a delivery worker: one
// invocation and one async event less per message, and the partner hears of
// the change sooner. The queue stays the fallback: for a private side (it
// polls), when too little time is left, when another worker holds the
// delivery lease (it looks for new messages before it lets go), and when
// inline delivery fails.

/** Below this much time left, delivery goes through the queue (a partner call may take its full deadline). */
export const INLINE_DELIVERY_MIN_MS = 20_000;
/** At most this many messages inline; a larger backlog is the queue's work. */
export const INLINE_DELIVERY_MAX_MESSAGES = 10;

interface Scope {
  pending: Set<string>;
  deps: () => Promise<TransportDeps>;
}

const scopes = new WeakMap<Platform, Scope>();

/**
 * Notes that `connectionId` has a new message in its outbox. Answers false when the invocation
 * delivers nothing inline (outside `withInlineDelivery`): the caller nudges the queue instead.
 */
export function deferDelivery(platform: Platform, connectionId: string): boolean {
  const scope = scopes.get(platform);
  if (!scope) return false;
  scope.pending.add(connectionId);
  return true;
}

/**
 * Delivers `connectionId`'s outbox now rather than at the invocation's end, when this invocation delivers
 * inline at all: for a caller that holds a twin's lease and wants its replica's answer (the ack) while it
 * still holds it, so taking the ack costs no second lease. Anything that keeps it from delivering now
 * leaves the connection to the end of the invocation, as before.
 */
export async function deliverNow(platform: Platform, connectionId: string): Promise<void> {
  const scope = scopes.get(platform);
  if (!scope?.pending.has(connectionId)) return;
  scope.pending.delete(connectionId);
  await deliverPending(platform, await scope.deps(), new Set([connectionId]));
}

/**
 * Runs `work`, then delivers what it put in outboxes. When `work` throws, the
 * messages it enqueued are durable already: they are nudged through the queue
 * before the error goes on.
 */
export async function withInlineDelivery<T>(platform: Platform, deps: () => Promise<TransportDeps>, work: () => Promise<T>): Promise<T> {
  if (scopes.has(platform)) return work();
  const pending = new Set<string>();
  scopes.set(platform, { pending, deps });
  let result: T;
  try {
    result = await work();
  } catch (e) {
    scopes.delete(platform);
    await nudgeAll(platform, pending);
    throw e;
  }
  scopes.delete(platform);
  if (pending.size) await deliverPending(platform, await deps(), pending);
  return result;
}

async function deliverPending(platform: Platform, deps: TransportDeps, pending: Set<string>): Promise<void> {
  for (const connectionId of pending) {
    const remaining = platform.invocation?.remainingMs();
    const connection = await getConnection(platform, connectionId);
    if (!connection) continue;
    const inline = (connection.delivery === 'push' || connection.delivery === 'local' || connection.delivery === 'poll') && connection.state === 'active';
    if (!inline || (remaining !== undefined && remaining < INLINE_DELIVERY_MIN_MS)) {
      await nudge(platform, connectionId);
      continue;
    }
    try {
      if (connection.delivery === 'poll') {
        // Not run: a retry is scheduled, or a poll holds the lease and takes the message along before it lets go.
        await pollNow(platform, deps, connection);
      } else await deliverOutbox(platform, deps, connectionId, { maxMessages: INLINE_DELIVERY_MAX_MESSAGES });
    } catch (e) {
      // The messages are in the outbox: the queue delivers them.
      platform.log.info('inline delivery stopped; the queue carries on', { connectionId, error: e instanceof Error ? e.message : String(e) });
      await nudge(platform, connectionId);
    }
  }
}

async function nudgeAll(platform: Platform, pending: Set<string>): Promise<void> {
  for (const connectionId of pending) await nudge(platform, connectionId);
}

async function nudge(platform: Platform, connectionId: string): Promise<void> {
  try {
    const connection = await getConnection(platform, connectionId);
    if (connection) await kick(platform, connection);
  } catch (e) {
    // The five-minute schedule re-drives every outbox with messages in it.
    if (!isTransient(e)) throw e;
  }
}
