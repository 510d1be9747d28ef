import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { readStoredConnection, saveConnection } from './store';

// The partner deleted the connection (a signed `delete` message, or a signed
// 410 answer from its tombstone), or uninstalled the app. This side stops at
// once (the record is no longer live, so every sync path sees no connection)
// but keeps its row, its issues and its records: a Jira admin expects to see
// that the partner ended it, and to be the one who deletes it here. Deleting
// it here then purges everything and tells no one (there is no one to tell).

export async function markEndedByPartner(platform: Platform, connection: ConnectionRecord, options: { uninstalled: boolean }): Promise<void> {
  // Read again: the caller's copy may be older than a deletion begun here meanwhile.
  const stored = await readStoredConnection(platform, connection.id);
  if (!stored || stored.deletion || stored.endedByPartner) return;
  await saveConnection(platform, { ...stored, endedByPartner: { at: platform.clock.now(), uninstalled: options.uninstalled } });
}
