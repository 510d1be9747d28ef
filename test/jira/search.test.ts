// `/search/jql` and `/search/approximate-count` over the JQL engine: paging by
// nextPageToken, ids only unless fields are asked for, Jira's caps and errors,
// and searches that see every change at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, openHarness, type Harness } from './harness';

const BULK = 120;

describe('issue search', () => {
  let h: Harness;
  const keys: string[] = [];

  beforeAll(async () => {
    h = await openHarness('green');
    for (let i = 0; i < BULK; i++) {
      const created = await h.call('POST', '/rest/api/3/issue', {
        body: { fields: { project: { key: 'CM' }, issuetype: { name: 'Task' }, summary: `Bulk ${i}`, labels: ['bulk'] } },
      });
      keys.push(created.body.key);
      h.clock.advance(1000);
    }
  });
  afterAll(() => h.close());

  it('pages through every match with nextPageToken, ids only, in query order', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await h.call('POST', '/rest/api/3/search/jql', {
        body: { jql: 'labels = bulk ORDER BY created DESC', maxResults: 50, ...(token ? { nextPageToken: token } : {}) },
      });
      pages += 1;
      for (const issue of page.body.issues) {
        expect(Object.keys(issue)).toEqual(['id']);
        seen.push(issue.id);
      }
      token = page.body.nextPageToken;
      expect(page.body.isLast).toBe(token === undefined);
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(BULK);
    const inOrder = await h.call('POST', '/rest/api/3/issue/bulkfetch', { body: { issueIdsOrKeys: keys.slice(0, 100), fields: ['summary'] } });
    const ids = inOrder.body.issues.map((issue: { id: string }) => issue.id);
    expect(seen.slice(BULK - 100)).toEqual([...ids].reverse());
  });

  it('pages the GET form the same way', async () => {
    const first = await h.call('GET', '/rest/api/3/search/jql?jql=labels%3Dbulk%20ORDER%20BY%20key%20ASC&maxResults=100&fields=summary');
    expect(first.body.issues).toHaveLength(100);
    expect(first.body.issues[0].fields).toEqual({ summary: 'Bulk 0' });
    const token = encodeURIComponent(first.body.nextPageToken);
    const second = await h.call('GET', `/rest/api/3/search/jql?jql=labels%3Dbulk%20ORDER%20BY%20key%20ASC&maxResults=100&fields=summary&nextPageToken=${token}`);
    expect(second.body.issues).toHaveLength(BULK - 100);
    expect(second.body.isLast).toBe(true);
    expect(second.body).not.toHaveProperty('nextPageToken');
  });

  it('caps pages at 100 issues with fields and 5,000 with ids only', async () => {
    const withFields = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'labels = bulk', fields: ['*all'], maxResults: 500 } });
    expect(withFields.body.issues).toHaveLength(100);
    const idsOnly = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'labels = bulk', maxResults: 500 } });
    expect(idsOnly.body.issues).toHaveLength(BULK);
    expect(idsOnly.body.isLast).toBe(true);
  });

  it('defaults to 50 issues a page', async () => {
    const page = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'labels = bulk' } });
    expect(page.body.issues).toHaveLength(50);
  });

  it('refuses a token that belongs to another query', async () => {
    const page = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'labels = bulk', maxResults: 10 } });
    const other = await h.call('POST', '/rest/api/3/search/jql', {
      body: { jql: 'project = CM', maxResults: 10, nextPageToken: page.body.nextPageToken },
    });
    expect(other.status).toBe(400);
  });

  it("answers Jira's errors for unbounded and invalid queries", async () => {
    const unbounded = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'ORDER BY created DESC' } });
    expect(unbounded.status).toBe(400);
    expect(unbounded.body.errorMessages).toEqual([
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    ]);
    const unknown = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'nosuchfield = 1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errorMessages[0]).toContain('nosuchfield');
    const project = await h.call('GET', '/rest/api/3/search/jql?jql=project%20%3D%20NOPE');
    expect(project.status).toBe(400);
  });

  it('counts matches approximately (exactly, here)', async () => {
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'labels = bulk' } });
    expect(count.body).toEqual({ count: BULK });
    expect((await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: '' } })).status).toBe(400);
  });

  it('sees edits, comments, transitions and deletions immediately', async () => {
    const key = keys[0] as string;
    await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { summary: 'Quartz sync target' } } });
    await h.call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: adf('mentions zephyr') } });
    await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '31' } } });
    const found = async (jql: string): Promise<string[]> =>
      (await h.call('POST', '/rest/api/3/search/jql', { body: { jql, fields: ['key'] } })).body.issues.map((i: { key: string }) => i.key);
    expect(await found('summary ~ "quartz"')).toEqual([key]);
    expect(await found('comment ~ "zephyr"')).toEqual([key]);
    expect(await found('project = CM AND status = Done')).toEqual([key]);
    expect(await found(`key = ${key}`)).toEqual([key]);
    await h.call('DELETE', `/rest/api/3/issue/${key}`);
    expect(await found('summary ~ "quartz"')).toEqual([]);
    expect((await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'labels = bulk' } })).body.count).toBe(BULK - 1);
  });
});
