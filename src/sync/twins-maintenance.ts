import type { Platform } from '../ports';
import { listConnectionRecords, setIssuesUnderSync } from '../connections/store';
import { twinStore } from './twins';
import { withTwinLock } from './twin-lock';
import { z } from 'zod';
import { recordKind } from '../domain/stored-record';
import { runNameDrift } from './name-drift';

// Scheduled upkeep of the engine's own records. The "issues under sync"
// counter is stepped by concurrent workers without a compare-and-set, so it can
// drift; once an hour per connection it is set from the twins themselves.

const RECOUNT_EVERY_MS = 60 * 60_000;
export const recountedAtKey = (connectionId: string) => `twins-recounted:${connectionId}`;
export const recountLockName = (connectionId: string) => `recount:${connectionId}`;
const recountedAtRecord = recordKind({ name: 'twin recount time', version: 1, schema: z.number(), key: recountedAtKey });

export async function runSyncMaintenance(platform: Platform): Promise<void> {
  const now = platform.clock.now();
  for (const connection of await listConnectionRecords(platform)) {
    const last = (await recountedAtRecord.find(platform, connection.id)) ?? 0;
    if (now - last < RECOUNT_EVERY_MS) continue;
    await withTwinLock(platform, recountLockName(connection.id), async () => {
      await setIssuesUnderSync(platform, connection.id, await countTwins(platform, connection.id));
      await platform.kvs.set(recountedAtKey(connection.id), now);
    });
  }
  // The names the rules refer to, daily and after a sync failed on one (./name-drift.ts).
  await runNameDrift(platform);
}

async function countTwins(platform: Platform, connectionId: string): Promise<number> {
  const twins = twinStore(platform.kvs);
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await twins.page(connectionId, cursor);
    count += page.twins.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
