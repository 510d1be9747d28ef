import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { adf, connect, drain, invoke, jira, OUTLASTS_WAITS, settleThroughWaits, twoSites, withClockMoving } from './helpers';

// The app under Forge's storage limits: work that meets one waits and is done
// later, whole, never lost or done twice; a person asking meanwhile is told
// the site is busy. The limit is spent on purpose, from outside the app, by
// storage requests the app never made.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId } = await connect(rt));
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const store = (site: string, path: string, body: unknown) => rt.forge.kvs.handle(`local-${site}`, path, { method: 'POST', body: JSON.stringify(body) });

/** Spend what is left of a site's write units for the next sixty seconds: writes of 10 units, then of 1, until refused. */
async function spendWriteUnits(site: string): Promise<void> {
  let i = 0;
  for (const value of ['f'.repeat(10 * FORGE_LIMITS.kvs.unitBytes - 100), 1]) {
    while ((await store(site, '/api/v1/set', { key: `filler:${i++}`, value })).status === 204);
  }
  expect(i).toBeGreaterThan(300);
}

const greenIssue = async (key: string) => (await jira(rt, 'green', 'GET', `/issue/${key}`)).body;

describe('the app under the storage limits', () => {
  it('waits out a burst over the storage requests a second for a person, and serves them', async () => {
    for (let i = 0; i < FORGE_LIMITS.kvs.requestsPerSecond; i++) await store('blue', '/api/v1/get', { key: `probe:${i}` });
    const hitBefore = rt.usage('blue').limitsHit['kvs.requestsPerSecond'] ?? 0;
    const startedAt = Date.now();
    const served = await withClockMoving(rt, rt.fetch('/blue/bridge/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'listConnections', payload: {} }) }));
    expect(served.status).toBe(200);
    // Refused, then sent again once the second had passed: a person waits about a second, not a retry of their own.
    expect(rt.usage('blue').limitsHit['kvs.requestsPerSecond']).toBeGreaterThan(hitBefore);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('answers a person "busy, try again" (429) while the site has spent its storage read units, and serves them once the minute has passed', async () => {
    // Reads of ten units, then of one (a key that is not there), until refused; a second on every 500 requests.
    await store('blue', '/api/v1/set', { key: 'filler:read', value: 'r'.repeat(10 * FORGE_LIMITS.kvs.unitBytes - 100) });
    let requests = 0;
    for (const key of ['filler:read', 'filler:none']) {
      for (;;) {
        if (++requests % 500 === 0) vi.setSystemTime(Date.now() + 1_000);
        if ((await store('blue', '/api/v1/get', { key })).status === 429) break;
      }
    }
    const busy = await withClockMoving(rt, rt.fetch('/blue/bridge/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'listConnections', payload: {} }) }));
    expect(busy.status).toBe(429);
    expect(await busy.json()).toMatchObject({ kind: 'RateLimited', error: expect.stringMatching(/storage is busy.*rate limit.*try again/i) });
    vi.setSystemTime(Date.now() + 60_000);
    const served = await rt.fetch('/blue/bridge/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'listConnections', payload: {} }) });
    expect(served.status).toBe(200);
  });

  it('syncs an edit made while the sending side has spent its write units: later, once, nothing lost', async () => {
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'before' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await drain(rt);
    const status = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    const remoteKey = status.twins[0]!.remoteKey;

    await spendWriteUnits('blue');
    const hitBefore = rt.usage('blue').limitsHit['kvs.writeUnitsPerMinute'] ?? 0;
    await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: 'after' } });
    await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf('made while busy') });
    await rt.settle();
    // Nothing could be written: the edit waits in the queue, nothing went to the dead letters.
    expect((await greenIssue(remoteKey)).fields.summary).toBe('before');
    expect(rt.usage('blue').limitsHit['kvs.writeUnitsPerMinute']).toBeGreaterThan(hitBefore);
    expect(rt.forge.queue.pendingCount()).toBeGreaterThan(0);
    expect(rt.forge.queue.deadLetters()).toEqual([]);

    await drain(rt);
    const green = await greenIssue(remoteKey);
    expect(green.fields.summary).toBe('after');
    expect(green.fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body))).toEqual([expect.stringContaining('made while busy')]);
    expect(rt.forge.queue.deadLetters()).toEqual([]);
    const errors = await invoke<{ errors: unknown[] }>(rt, 'blue', 'listErrors', { connectionId: blueConnectionId });
    expect(errors.errors).toEqual([]);
  });

  it('applies a replica that arrives while the receiving side has spent its write units: later, once, with its comments once', async () => {
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'first' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await drain(rt);
    const { twins } = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });

    await spendWriteUnits('green');
    for (let i = 1; i <= 3; i++) await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf(`comment ${i}`) });
    await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: 'second' } });
    await drain(rt);

    const green = await greenIssue(twins[0]!.remoteKey);
    expect(green.fields.summary).toBe('second');
    const texts = green.fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body));
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(3);
    expect(rt.usage('green').limitsHit['kvs.writeUnitsPerMinute']).toBeGreaterThan(0);
    expect(rt.forge.queue.deadLetters()).toEqual([]);
  });

  // The hard cases: a limit striking after Jira has done something storage has not recorded yet. A test
  // switch of the local store refuses exactly that write, as a rate limit would.
  describe('when storage refuses to record what was just done in Jira', () => {
    const setsKey = (body: unknown, prefix: string) => ((body as { set?: { key: string }[] }).set ?? []).some((op) => op.key.startsWith(prefix));

    it('takes back an issue whose id it could not write down, so the retry creates exactly one', async () => {
      // The new twin's save, which writes the made issue's id down (and lets go of the creation claim).
      const deletesClaim = (body: unknown) => ((body as { delete?: { key: string }[] }).delete ?? []).some((op) => op.key.startsWith('twinc:'));
      rt.forge.kvs.refuseNext('local-green', (path, body) => path === '/api/v1/transaction' && setsKey(body, 'twin:') && deletesClaim(body), OUTLASTS_WAITS);
      const jiraBefore = rt.usage('green').jira.byOperation;
      const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'made once under a limit' } });
      await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
      await drain(rt);
      const copies = (await jira<{ issues: unknown[] }>(rt, 'green', 'POST', '/search/jql', { jql: 'project = SC AND summary ~ "made once under a limit"', fields: ['summary'] })).body.issues;
      expect(copies).toHaveLength(1);
      const jiraAfter = rt.usage('green').jira.byOperation;
      expect((jiraAfter.createIssue ?? 0) - (jiraBefore.createIssue ?? 0)).toBe(2);
      expect((jiraAfter.deleteIssue ?? 0) - (jiraBefore.deleteIssue ?? 0)).toBe(1);
      const { twins } = await invoke<{ twins: { status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
      expect(twins[0]!.status).toBe('synchronized');
    });

    async function syncedIssue(summary: string) {
      const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary } });
      await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
      await drain(rt);
      const { twins } = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
      return { key: created.body.key, remoteKey: twins[0]!.remoteKey };
    }

    /**
     * Refuse the apply's final write (the one transaction with the twin, its last sync and its history), then
     * the twin's save that keeps its copies; `then` runs as the second strikes.
     */
    function refuseCommitAndSave(then: () => void = () => undefined) {
      let commitRefused = false;
      rt.forge.kvs.refuseNext('local-green', (path, body) => {
        if (path !== '/api/v1/transaction' || !setsKey(body, 'connection-last-sync:')) return false;
        commitRefused = true;
        return true;
      }, OUTLASTS_WAITS);
      rt.forge.kvs.refuseNext('local-green', (path, body) => {
        if (!commitRefused || path !== '/api/v1/transaction' || !setsKey(body, 'twin:')) return false;
        then();
        return true;
      }, OUTLASTS_WAITS);
    }

    it('takes back comment copies it could not record, so the retry copies each once', async () => {
      const issue = await syncedIssue('copies taken back');
      const jiraBefore = rt.usage('green').jira.byOperation;
      refuseCommitAndSave();
      for (let i = 1; i <= 3; i++) await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf(`taken back ${i}`) });
      await drain(rt);
      const texts = (await greenIssue(issue.remoteKey)).fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body));
      expect(texts).toHaveLength(3);
      expect(new Set(texts).size).toBe(3);
      const jiraAfter = rt.usage('green').jira.byOperation;
      expect((jiraAfter.deleteComment ?? 0) - (jiraBefore.deleteComment ?? 0)).toBe(3);
      expect(rt.forge.queue.deadLetters()).toEqual([]);
    });

    it('carries the copies in the queued work when Jira will not take them back either', async () => {
      const issue = await syncedIssue('copies carried');
      const green = rt.site('green');
      refuseCommitAndSave(() => green.faults.setRateLimit(1, { retryAfterSeconds: 1 }));
      for (let i = 1; i <= 2; i++) await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf(`carried ${i}`) });
      await settleThroughWaits(rt);
      green.faults.setRateLimit(0);
      const carried = rt.forge.queue.waiting().find((w) => (w.body as { kind?: string }).kind === 'sync.incoming' && (w.body as { carry?: unknown }).carry);
      expect(carried?.body).toMatchObject({ carry: { ownComments: [expect.any(String), expect.any(String)] } });
      await drain(rt);
      const texts = (await greenIssue(issue.remoteKey)).fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body));
      expect(texts).toHaveLength(2);
      expect(new Set(texts).size).toBe(2);
      expect(rt.forge.queue.deadLetters()).toEqual([]);
    });

    it('keeps a comment copy it recorded when storage refuses what comes after the record (the inbox cleared)', async () => {
      const issue = await syncedIssue('recorded, then refused');
      const greenId = (await greenIssue(issue.remoteKey)).id as string;
      // Green's twin is busy as the replica arrives, so it waits in the inbox for a queued worker, which makes
      // the copy, records it, and then meets a rate limit clearing the inbox and again saving the twin.
      const lease = `lock:twin:${blueConnectionId}:${greenId}`;
      await store('green', '/api/v1/set', { key: lease, value: { until: Date.now() + 60_000 } });
      await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('recorded once') });
      await rt.settle();
      await store('green', '/api/v1/delete', { key: lease });
      let inboxRefused = false;
      rt.forge.kvs.refuseNext('local-green', (path, body) => {
        if (path !== '/api/v1/delete' || !(body as { key: string }).key.startsWith('inbox:')) return false;
        inboxRefused = true;
        return true;
      }, OUTLASTS_WAITS);
      rt.forge.kvs.refuseNext('local-green', (path, body) => inboxRefused && path === '/api/v1/transaction' && setsKey(body, 'twin:'), OUTLASTS_WAITS);
      await drain(rt);
      expect(inboxRefused).toBe(true);
      const texts = (await greenIssue(issue.remoteKey)).fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body));
      expect(texts.filter((t: string) => t.includes('recorded once'))).toHaveLength(1);
      expect(rt.forge.queue.deadLetters()).toEqual([]);
    });
  });
});
