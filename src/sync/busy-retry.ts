import type { Platform } from '../ports';

// Work that found its twin's lease held goes back to the queue to look again.
// The holder is usually another worker about to finish, so the first look is
// soon; but a lease left by a killed worker lasts its full minute, and looking
// every 2 s for that minute cost 30 queue events per waiting twin (enough,
// after a crash with a few twins in flight, to reach Forge's 500 events a
// minute per installation). So the wait doubles: 2, 4, 8, 16, 32, then 60 s.

const FIRST_WAIT_SECONDS = 2;
const MAX_WAIT_SECONDS = 60;

/** How long the `tries`-th look after a held lease waits (tries counted from 0). */
export function busyWaitSeconds(tries: number): number {
  return Math.min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** Math.max(0, Math.min(tries, 10)));
}

/** Queue `body` (queue work carrying an optional `busyTries`) to look again later. */
export async function queueWhenFree(platform: Pick<Platform, 'queue'>, body: Record<string, unknown>): Promise<void> {
  const tries = typeof body.busyTries === 'number' && Number.isInteger(body.busyTries) && body.busyTries >= 0 ? body.busyTries : 0;
  await platform.queue.push([{ body: { ...body, busyTries: tries + 1 }, delayInSeconds: busyWaitSeconds(tries) }]);
}
