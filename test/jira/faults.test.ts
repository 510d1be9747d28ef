// The fault switches: rate limiting (429 with Retry-After and Jira's headers)
// for a deterministic share of requests, outages, and the call counters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness';

describe('faults and counters', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  async function statuses(count: number): Promise<number[]> {
    const result: number[] = [];
    for (let i = 0; i < count; i++) result.push((await h.call('GET', '/rest/api/3/issue/UD-1?fields=summary')).status);
    return result;
  }

  it('rate-limits the chosen share of requests, the same ones for the same seed', async () => {
    h.site.faults.setRateLimit(0.3, { seed: 42, retryAfterSeconds: 7 });
    const first = await statuses(100);
    const limited = first.filter((s) => s === 429).length;
    expect(limited).toBeGreaterThan(15);
    expect(limited).toBeLessThan(45);
    expect(first.every((s) => s === 200 || s === 429)).toBe(true);
    h.site.faults.setRateLimit(0.3, { seed: 42, retryAfterSeconds: 7 });
    expect(await statuses(100)).toEqual(first);
    h.site.faults.setRateLimit(0.3, { seed: 43 });
    expect(await statuses(100)).not.toEqual(first);
  });

  it("answers 429 with Retry-After and Jira's rate-limit headers", async () => {
    h.site.faults.setRateLimit(1, { retryAfterSeconds: 7 });
    const limited = await h.call('PUT', '/rest/api/3/issue/UD-1', { body: { fields: { summary: 'x' } } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('50');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe('2026-11-23T12:00Z');
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    h.site.faults.setRateLimit(0);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1')).body.fields.summary).toBe('Redesign the login page');
  });

  it('refuses connections while down as refused, and answers 503 while unavailable', async () => {
    h.site.faults.setDown('refused');
    expect(h.site.faults.down).toBe('refused');
    await expect(h.site.handle(new Request('http://jira.test/rest/api/3/myself'), { kind: 'app' })).rejects.toThrow(
      new TypeError('fetch failed'),
    );
    h.site.faults.setDown('unavailable');
    const unavailable = await h.call('GET', '/rest/api/3/myself');
    expect(unavailable.status).toBe(503);
    h.site.faults.setDown(null);
    expect((await h.call('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('counts answered calls per operationId, and not the ones a fault turned away', async () => {
    h.site.counters.reset();
    await h.call('GET', '/rest/api/3/issue/UD-1');
    await h.call('GET', '/rest/api/3/issue/UD-404');
    await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = UD' } });
    h.site.faults.setDown('unavailable');
    await h.call('GET', '/rest/api/3/issue/UD-1');
    h.site.faults.setDown(null);
    h.site.faults.setRateLimit(1);
    await h.call('GET', '/rest/api/3/issue/UD-1');
    expect(h.site.counters.total).toBe(3);
    expect(h.site.counters.byOperation).toEqual({ getIssue: 2, searchAndReconsileIssuesUsingJqlPost: 1 });
    h.site.counters.reset();
    expect(h.site.counters.total).toBe(0);
    expect(h.site.counters.byOperation).toEqual({});
  });
});
