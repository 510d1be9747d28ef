import type { Platform } from '../ports';
import { listConnectionRecords } from '../connections/store';
import { leaseHeld, readDeliveryState } from './delivery-state';
import { kick } from './kick';
import { hasPending, pruneSeqClaims } from './outbox';
import { chainVerdict, pruneHopClaims, readPollChain, rerootPollChain, seedPollChain } from './poll-chain';
import { updatePollBudget } from './poll-budget';
import { pruneSeen } from './receive';
import { sweepTombstones } from './tombstone';
import type { TransportDeps } from './types';

// Every five minutes: whatever a lost queue event or a crashed worker left
// behind gets moving again, poll chains are re-rooted before Forge's chain
// limit (./poll-chain.ts), and old bookkeeping is trimmed.

export async function runTransportMaintenance(platform: Platform, _deps: TransportDeps): Promise<void> {
  const now = platform.clock.now();
  const connections = await listConnectionRecords(platform);
  try {
    await updatePollBudget(platform, connections.filter((c) => c.state === 'active' && c.delivery === 'poll').length);
  } catch (e) {
    platform.log.error('counting the polling connections failed; the last floor stays', { error: String(e) });
  }
  for (const connection of connections) {
    try {
      if (connection.state === 'active') {
        if (connection.delivery === 'push' || connection.delivery === 'local') {
          const state = await readDeliveryState(platform, connection.id);
          const retryOverdue = state.nextAttemptAt === null || state.nextAttemptAt + 60_000 < now;
          if (retryOverdue && !(await leaseHeld(platform, connection.id)) && (await hasPending(platform, connection.id))) {
            await kick(platform, connection);
          }
        } else if (connection.delivery === 'poll') {
          const chain = await readPollChain(platform, connection.id);
          const verdict = chainVerdict(chain, now);
          if (verdict === 'seed') await seedPollChain(platform, connection.id);
          else if (verdict === 'reroot' && chain) await rerootPollChain(platform, connection.id, chain);
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
