import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { startPurge } from '../removal/work';
import { readStoredConnection, saveConnection } from '../connections/store';

// An admin deletes a connection here. The deletion is marked on the record
// first, in one write: from that moment the connection leaves the list and
// every sync path sees no connection (they all read the record anyway). The
// rest is a queued purge (src/removal/purge.ts) that removes every key of the
// connection, leaves a tombstone first when the partner is to be told, and
// survives a process killed halfway. The issues themselves stay as they are.

export async function beginDeletion(platform: Platform, connection: ConnectionRecord): Promise<void> {
  const halves = [connection];
  if (connection.kind === 'local') {
    // The two halves of a local connection go together.
    const other = await readStoredConnection(platform, connection.remote.connectionId);
    if (other && !other.deletion) halves.push(other);
  }
  const now = platform.clock.now();
  for (const half of halves) {
    // Only an accepted connection has a partner to tell, and not one the partner itself ended.
    const tellPartner = half.kind !== 'local' && half.state !== 'pending' && !half.endedByPartner;
    const chainId = platform.random.uuid();
    await saveConnection(platform, { ...half, deletion: { at: now, chainId, touchedAt: now, tellPartner } });
    await startPurge(platform, half.id, chainId);
  }
}
