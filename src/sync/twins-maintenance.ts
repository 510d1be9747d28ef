import type { Platform } from '../ports';
import { foldIssuesUnderSync, hasIssuesUnderSyncSteps, listConnectionRecords, setIssuesUnderSync } from '../connections/store';
import { twinStore } from './twins';
import { withTwinLock } from './twin-lock';
import { z } from 'zod';
import { recordKind } from '../domain/stored-record';
import { runNameDrift } from './name-drift';

// Scheduled upkeep of the engine's own records. The "issues under sync"
// count's steps (one record each, ../connections/store.ts) are folded into its
// counter every pass; once an hour per connection it is set from the twins
// themselves, which also mends a step lost to a crash between two writes.

const RECOUNT_EVERY_MS = 60 * 60_000;
export const recountedAtKey = (connectionId: string) => `twins-recounted:${connectionId}`;
export const recountLockName = (connectionId: string) => `recount:${connectionId}`;
const recountedAtRecord = recordKind({ name: 'twin recount time', version: 1, schema: z.number(), key: recountedAtKey });

export async function runSyncMaintenance(platform: Platform): Promise<void> {
  const now = platform.clock.now();
  for (const connection of await listConnectionRecords(platform)) {
    const last = (await recountedAtRecord.find(platform, connection.id)) ?? 0;
    if (now - last < RECOUNT_EVERY_MS) {
      // The count's steps since the last pass go into the counter, so reading it stays one or two calls.
      if (await hasIssuesUnderSyncSteps(platform, connection.id)) await withTwinLock(platform, recountLockName(connection.id), () => foldIssuesUnderSync(platform, connection.id));
      continue;
    }
    await withTwinLock(platform, recountLockName(connection.id), async () => {
      await setIssuesUnderSync(platform, connection.id, () => countTwins(platform, connection.id));
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
