import { z } from 'zod';
import type { Platform } from '../ports';
import type { PollingSettings } from '../domain/polling';
import { recordKind } from '../domain/stored-record';
import { pollActivityKey } from './keys';
import { chainIsDead, readPollChain, seedPollChain } from './poll-chain';

// The private side's sense of "busy": when a poll last carried something
// either way (our messages out, theirs back). A one-off poll right after a
// local edit counts too, so a change on either side makes the connection
// busy. Kept apart from the chain record, which only seeds and renewals write
// (a concurrent write there could end the chain).

const activityRecord = recordKind({ name: 'poll activity', version: 1, schema: z.number(), key: pollActivityKey });

export async function readLastActivity(platform: Platform, connectionId: string): Promise<number | undefined> {
  return activityRecord.find(platform, connectionId);
}

/**
 * Something moved: polling turns active. When the chain's next link is further off than the active
 * interval (it was idle), or the chain is gone or dead, a new generation starts due in `activeSeconds`
 * (the old link ends when it comes).
 */
export async function noteActivity(platform: Platform, connectionId: string, settings: PollingSettings, floorSeconds: number): Promise<void> {
  const now = platform.clock.now();
  await platform.kvs.set(pollActivityKey(connectionId), now);
  const active = Math.max(settings.activeSeconds, floorSeconds);
  const chain = await readPollChain(platform, connectionId);
  if (!chain || chainIsDead(chain, now) || chain.nextAt > now + active * 1000) await seedPollChain(platform, connectionId, active);
}
