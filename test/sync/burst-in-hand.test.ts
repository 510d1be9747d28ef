import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, invoke, jira, twoSites } from '../integration/helpers';

// A replica applied as it arrives meets Jira's burst limit (429, Retry-After a
// second) on the receiving side: the request is waited out and sent again in the
// partner's web trigger (src/forge/jira-patience.ts), so the replica is applied
// there, not queued. A long Retry-After still goes the queued way. Either way the
// issue arrives once, with each comment once.

describe('a replica applied as it arrives, under Jira burst 429s', () => {
  let rt: Awaited<ReturnType<typeof twoSites>>;
  let connectionId: string;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-06T09:00:00Z'));
    rt = await twoSites();
    ({ blueConnectionId: connectionId } = await connect(rt));
  }, 120_000);

  afterEach(() => {
    rt?.site('green').faults.setRateLimit(0);
    rt?.close();
    vi.useRealTimers();
  });

  /** Exalates a new blue issue with three comments while green's Jira refuses `share` of the app's requests. */
  async function exalateUnder(share: number, retryAfterSeconds: number) {
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Bursty' } });
    const issueKey = created.body.key;
    for (const text of ['one', 'two', 'three']) await jira(rt, 'blue', 'POST', `/issue/${issueKey}/comment`, { body: adf(text) });
    rt.resetUsage('green');
    rt.site('green').faults.setRateLimit(share, { retryAfterSeconds, seed: 3 });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId, issueKey });
    await drain(rt);
    const refused = rt.site('green').faults.rateLimited;
    rt.site('green').faults.setRateLimit(0);
    await drain(rt);
    const { twins } = await invoke<{ twins: { status: string; remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey });
    const comments = await jira<{ comments: unknown[] }>(rt, 'green', 'GET', `/issue/${twins[0]!.remoteKey}/comment`);
    const found = await jira<{ count: number }>(rt, 'green', 'POST', '/search/approximate-count', { jql: 'summary ~ "Bursty"' });
    return { status: twins[0]!.status, comments: comments.body.comments.length, copies: found.body.count, usage: rt.usage('green'), refused };
  }

  it('waits out a one-second 429 in the web trigger: applied there, nothing queued', async () => {
    const { status, comments, copies, usage, refused } = await exalateUnder(0.4, 1);
    expect(status).toBe('synchronized');
    expect({ comments, copies }).toEqual({ comments: 3, copies: 1 });
    // Requests were refused and sent again…
    expect(refused).toBeGreaterThan(0);
    // …and still no queued work and no invocation beyond the one that received the replica.
    expect(usage.events.pushed).toBe(0);
    expect(usage.invocations.consumer).toBe(0);
  });

  it('queues the replica when Jira asks for a longer wait, and it still arrives once', async () => {
    const { status, comments, copies, usage } = await exalateUnder(0.4, 10);
    expect(status).toBe('synchronized');
    expect({ comments, copies }).toEqual({ comments: 3, copies: 1 });
    expect(usage.events.pushed).toBeGreaterThan(0);
  });
});
