import type { Platform } from '../ports';
import { listConnectionRecords } from '../connections/store';
import { leaseHeld, readDeliveryState } from './delivery-state';
import { kick } from './kick';
import { hasPending, pruneSeqClaims } from './outbox';
import { chainNeedsSeed, pruneHopClaims, readPollChain, seedPollChain } from './poll-chain';
import { pruneSeen } from './receive';
import { sweepTombstones } from './tombstone';
import { settingsOf, type TransportDeps } from './types';

// Every five minutes: whatever a lost queue event or a crashed worker left
// behind gets moving again, and old bookkeeping is trimmed.

export async function runTransportMaintenance(platform: Platform, deps: TransportDeps): Promise<void> {
  const settings = settingsOf(deps);
  const now = platform.clock.now();
  for (const connection of await listConnectionRecords(platform)) {
    try {
      if (connection.state === 'active') {
        if (connection.delivery === 'push' || connection.delivery === 'local') {
          const state = await readDeliveryState(platform, connection.id);
          const retryOverdue = state.nextAttemptAt === null || state.nextAttemptAt + 60_000 < now;
          if (retryOverdue && !(await leaseHeld(platform, connection.id)) && (await hasPending(platform, connection.id))) {
            await kick(platform, connection);
          }
        } else if (connection.delivery === 'poll') {
          if (chainNeedsSeed(await readPollChain(platform, connection.id), now, settings.pollIntervalSeconds)) {
            await seedPollChain(platform, connection.id);
          }
          await pruneHopClaims(platform, connection.id);
        }
      }
      await pruneSeen(platform, connection.id);
      await pruneSeqClaims(platform, connection.id);
    } catch (e) {
      platform.log.error('maintenance failed for a connection; the others go on', { connectionId: connection.id, error: String(e) });
    }
  }
  await sweepTombstones(platform);
}
