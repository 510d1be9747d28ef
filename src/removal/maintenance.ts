import type { Platform } from '../ports';
import { listStoredConnections, saveConnection } from '../connections/store';
import { maybeStartSweep } from './orphans';
import { startPurge } from './work';

// From the five-minute scheduled trigger: a deletion whose purge went silent
// (every retry of its event failed, or the event was lost) starts again with
// a new chain, and the orphan sweep starts when it is due.

/** Longer than the purge's wait between its two passes (15 min), so a waiting chain is never taken for a lost one. */
export const PURGE_STALLED_MS = 30 * 60_000;

export async function runRemovalMaintenance(platform: Platform): Promise<void> {
  const now = platform.clock.now();
  for (const connection of await listStoredConnections(platform)) {
    if (!connection.deletion || now - connection.deletion.touchedAt < PURGE_STALLED_MS) continue;
    const chainId = platform.random.uuid();
    platform.log.warn('a connection deletion went silent; starting its purge again', { connectionId: connection.id });
    await saveConnection(platform, { ...connection, deletion: { ...connection.deletion, chainId, touchedAt: now } });
    await startPurge(platform, connection.id, chainId);
  }
  await maybeStartSweep(platform);
}
