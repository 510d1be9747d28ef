import type { Platform } from '../ports';
import { getConnection } from '../connections/store';
import { pushWork } from './kick';
import {
  deadLetterPrefix,
  deliveryKey,
  kickKey,
  leaseKey,
  outboxPrefix,
  pollChainKey,
  pollConfirmsKey,
  pollHopPrefix,
  seenExpiryPrefix,
  seenPrefix,
  seqClaimPrefix,
  seqHintKey,
} from './keys';
import type { TransportDeps } from './types';

// After a connection is deleted: let the engine drop its twins, then remove
// everything the transport kept for it, a bounded amount per queue event.

const DELETES_PER_EVENT = 300;

export async function cleanupConnection(platform: Platform, deps: TransportDeps, connectionId: string, hookDone: boolean): Promise<void> {
  // A connection that exists is not deleted (a stale or misrouted event): leave it alone.
  if (await getConnection(platform, connectionId)) return;
  if (!hookDone) await deps.onConnectionDeleted?.(platform, connectionId);

  for (const key of [seqHintKey, deliveryKey, kickKey, leaseKey, pollChainKey, pollConfirmsKey]) await platform.kvs.delete(key(connectionId));
  let budget = DELETES_PER_EVENT;
  for (const prefix of [outboxPrefix, seqClaimPrefix, seenPrefix, seenExpiryPrefix, pollHopPrefix, deadLetterPrefix]) {
    while (budget > 0) {
      const page = await platform.kvs.query(prefix(connectionId), { limit: Math.min(100, budget) });
      for (const item of page.results) await platform.kvs.delete(item.key);
      budget -= page.results.length;
      if (!page.nextCursor || page.results.length === 0) break;
    }
  }
  if (budget <= 0) await pushWork(platform, { kind: 'transport.cleanup', connectionId, hookDone: true });
}
