import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { TransportWork } from './types';

// Nudges delivery for a connection through the queue: pushes go to a
// delivery worker, a private side polls at once. A connection whose partner
// polls us (`held`) needs no nudge: the partner comes for its messages.

export async function pushWork(platform: Platform, work: TransportWork, delayInSeconds?: number): Promise<void> {
  await platform.queue.push([{ body: work as Record<string, unknown>, ...(delayInSeconds ? { delayInSeconds } : {}) }]);
}

export async function kick(platform: Platform, connection: ConnectionRecord, delayInSeconds?: number): Promise<void> {
  if (connection.state !== 'active') return;
  if (connection.delivery === 'push' || connection.delivery === 'local') {
    await pushWork(platform, { kind: 'transport.deliver', connectionId: connection.id }, delayInSeconds);
  } else if (connection.delivery === 'poll') {
    await pushWork(platform, { kind: 'transport.poll', connectionId: connection.id }, delayInSeconds);
  }
}
