import { describe, expect, it } from 'vitest';
import { PlatformRateLimited } from '../../src/domain/errors';
import { JiraError } from '../../src/jira/errors';
import { LaterWithCarry, queueAgainLater, STORAGE_MAX_BACKOFF_SECONDS } from '../../src/sync/later';
import { createMemoryPlatform } from '../support/memory-platform';

// Work that met a "later" goes back to the queue with a pause that grows with
// each "later" in a row. Jira's (and a partner's) grows to two minutes; this
// side's own storage limits free up within their sliding minute, so a pause for
// those stops growing at 20 s (30 s with jitter) and never idles past the freed units.

/** The pauses of ten "later"s in a row for the same work. */
async function pausesFor(e: Error & { retryAfterMs?: number }): Promise<number[]> {
  const platform = createMemoryPlatform();
  let body: Record<string, unknown> = { kind: 'sync.outgoing', connectionId: 'c1', localIssueId: '10001' };
  const pauses: number[] = [];
  for (let i = 0; i < 10; i++) {
    await queueAgainLater(platform, body, e);
    const pushed = platform.queue.pending().at(-1)!;
    pauses.push((pushed.availableAt - platform.clock.now()) / 1000);
    body = pushed.body;
  }
  return pauses;
}

describe('the pause before work that met a "later" runs again', () => {
  it('grows to two minutes (and half again at most) for Jira', async () => {
    const pauses = await pausesFor(new JiraError({ operation: 'editIssue', status: 503, errorMessages: ['down'] }));
    expect(pauses[0]).toBeGreaterThanOrEqual(5);
    expect(Math.max(...pauses)).toBeGreaterThan(60);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(180);
  });

  it("stops growing at 20 s (30 with jitter) for this side's storage limits, carried work too", async () => {
    for (const e of [new PlatformRateLimited('over kvs.writeUnitsPerMinute'), new LaterWithCarry(new PlatformRateLimited('over'), { madeIssueId: '10002' })]) {
      const pauses = await pausesFor(e);
      expect(pauses[0]).toBeGreaterThanOrEqual(5);
      expect(pauses.slice(3).every((p) => p >= STORAGE_MAX_BACKOFF_SECONDS)).toBe(true);
      expect(Math.max(...pauses)).toBeLessThanOrEqual(STORAGE_MAX_BACKOFF_SECONDS * 1.5);
    }
  });
});
