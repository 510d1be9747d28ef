// What clients and a contract fuzzer met when driving the emulator: paged
// links that lead back to the same site, paging numbers beyond what Jira's
// beans hold, and methods a path does not take.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness';

describe('as clients see the emulated site', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  it('puts the site prefix on paged links, so following nextPage stays on the site', async () => {
    const first = await h.call('GET', '/rest/api/3/project/search?maxResults=1&orderBy=key');
    expect(first.body.self).toBe('http://jira.test/blue/rest/api/3/project/search?maxResults=1&orderBy=key');
    expect(first.body.nextPage).toBe('http://jira.test/blue/rest/api/3/project/search?maxResults=1&orderBy=key&startAt=1');
    const keys: string[] = first.body.values.map((p: { key: string }) => p.key);
    let next: string | undefined = first.body.nextPage;
    while (next) {
      const path = new URL(next).pathname.replace(/^\/blue/, '') + new URL(next).search;
      const page = await h.call('GET', path);
      keys.push(...page.body.values.map((p: { key: string }) => p.key));
      next = page.body.nextPage;
    }
    const all = await h.call('GET', '/rest/api/3/project/search?orderBy=key');
    expect(keys).toEqual(all.body.values.map((p: { key: string }) => p.key));
  });

  it('refuses paging numbers no Jira bean holds, and never echoes a float', async () => {
    for (const query of ['startAt=1000000000000000000000', 'maxResults=1000000000000000000000', 'startAt=1e21', 'maxResults=-1']) {
      const answer = await h.call('GET', `/rest/api/3/project/search?${query}`, { offContract: true });
      expect(answer.status, query).toBe(400);
    }
    const clamped = await h.call('GET', '/rest/api/3/project/search?maxResults=2147483647', { offContract: true });
    expect(clamped.body.maxResults).toBe(100);
    const far = await h.call('GET', '/rest/api/3/project/search?startAt=9007199254740991');
    expect(far.body).toMatchObject({ startAt: 9007199254740991, values: [], isLast: true });
    for (const maxResults of [0, 5001]) {
      const search = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = UD', maxResults }, offContract: true });
      expect(search.status, String(maxResults)).toBe(400);
      expect(search.body.errorMessages).toEqual(['The max results parameter has to be between 1 and 5,000.']);
    }
    // A number Jackson cannot fit into the bean's int is refused as a bad body.
    const unreadable = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = UD', maxResults: 1e21 }, offContract: true });
    expect(unreadable.status).toBe(400);
    const huge = await h.call('GET', '/rest/api/3/search/jql?jql=project%3DUD&maxResults=99999999999999999999', { offContract: true });
    expect(huge.status).toBe(400);
  });

  it('answers 405, not 404, for a method a path does not take', async () => {
    const put = await h.site.handle(new Request('http://jira.test/rest/api/3/serverInfo', { method: 'PUT' }), { kind: 'app' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET');
    expect(await put.text()).toBe('');
    const patchIssue = await h.site.handle(new Request('http://jira.test/rest/api/3/issue/UD-1', { method: 'PATCH' }), { kind: 'app' });
    expect(patchIssue.status).toBe(405);
    expect(patchIssue.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PUT']);
    const nowhere = await h.site.handle(new Request('http://jira.test/rest/api/3/nowhere', { method: 'GET' }), { kind: 'app' });
    expect(nowhere.status).toBe(404);
  });
});
