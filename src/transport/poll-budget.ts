import { z } from 'zod';
import type { Platform } from '../ports';
import { MAX_POLL_INTERVAL_SECONDS } from '../domain/polling';
import { recordKind } from '../domain/stored-record';
import { POLL_BUDGET_KEY } from './keys';

// Forge takes at most 500 async events a minute per installation
// (docs/forge-limits.md, events.eventsPerMinute), and every poll is one. The
// poll chains of all private connections together may use half of that, so
// sync work always has the other half: with more connections than fit at
// their fastest interval, each one's interval is stretched to its share.
// The scheduled maintenance counts the polling connections and stores the
// floor; each poll reads it.

/** Events a minute all poll chains of one installation may use together (of Forge's 500). */
export const POLL_EVENTS_PER_MINUTE = 250;

export const PollBudget = z.object({
  pollingConnections: z.number().int().nonnegative(),
  /** No connection polls more often than once every this many seconds. */
  floorSeconds: z.number().int().nonnegative(),
  countedAt: z.number(),
});
export type PollBudget = z.infer<typeof PollBudget>;

const budgetRecord = recordKind({ name: 'poll budget', version: 1, schema: PollBudget, key: () => POLL_BUDGET_KEY });

/** The shortest interval each of `pollingConnections` chains may poll at, within POLL_EVENTS_PER_MINUTE together. */
export function floorSecondsFor(pollingConnections: number): number {
  return Math.min(MAX_POLL_INTERVAL_SECONDS, Math.ceil((pollingConnections * 60) / POLL_EVENTS_PER_MINUTE));
}

export async function readPollFloor(platform: Platform): Promise<number> {
  return (await budgetRecord.find(platform))?.floorSeconds ?? 0;
}

/** Stores the floor for `pollingConnections`; writes only when it changed. */
export async function updatePollBudget(platform: Platform, pollingConnections: number): Promise<PollBudget> {
  const current = await budgetRecord.find(platform);
  const floorSeconds = floorSecondsFor(pollingConnections);
  if (current && current.pollingConnections === pollingConnections && current.floorSeconds === floorSeconds) return current;
  // No record reads as no floor: an installation that never polled stores nothing.
  if (!current && pollingConnections === 0) return { pollingConnections, floorSeconds: 0, countedAt: platform.clock.now() };
  const budget: PollBudget = { pollingConnections, floorSeconds, countedAt: platform.clock.now() };
  await platform.kvs.set(POLL_BUDGET_KEY, budget);
  return budget;
}
