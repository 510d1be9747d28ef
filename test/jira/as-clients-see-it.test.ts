// What clients and a contract fuzzer met when driving the emulator: issues
// with every system field Jira returns, rendered fields and comment bodies,
// paged links that lead back to the same site, paging numbers beyond what
// Jira's beans hold, and methods a path does not take.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, openHarness, type Harness } from './harness';

// The system fields Jira Cloud answers for `*all`, even when they are empty.
const SYSTEM_FIELDS = [
  'summary', 'description', 'issuetype', 'project', 'status', 'priority', 'labels', 'assignee', 'reporter', 'creator', 'created',
  'updated', 'duedate', 'resolution', 'resolutiondate', 'statuscategorychangedate', 'subtasks', 'issuelinks', 'comment',
  'attachment', 'components', 'fixVersions', 'versions', 'environment', 'timetracking', 'worklog', 'timespent',
  'timeoriginalestimate', 'timeestimate', 'aggregatetimespent', 'aggregatetimeoriginalestimate', 'aggregatetimeestimate',
  'progress', 'aggregateprogress', 'workratio', 'watches', 'votes', 'lastViewed', 'security', 'issuerestriction',
];

describe('as clients see the emulated site', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  it('answers every system field for *all (the default), empty ones included', async () => {
    for (const query of ['', '?fields=*all']) {
      const fields = (await h.call('GET', `/rest/api/3/issue/UD-2${query}`)).body.fields;
      for (const id of SYSTEM_FIELDS) expect(fields, `${id} of ${query || 'the default'}`).toHaveProperty(id);
      expect(fields).toMatchObject({
        components: [], fixVersions: [], versions: [], environment: null, timetracking: {}, timespent: null,
        timeoriginalestimate: null, timeestimate: null, aggregatetimespent: null, workratio: -1, lastViewed: null, security: null,
        progress: { progress: 0, total: 0 }, worklog: { startAt: 0, maxResults: 20, total: 0, worklogs: [] },
        votes: { self: 'http://jira.test/blue/rest/api/3/issue/UD-2/votes', votes: 0, hasVoted: false },
        watches: { self: 'http://jira.test/blue/rest/api/3/issue/UD-2/watchers', watchCount: 1, isWatching: false },
        issuerestriction: { issuerestrictions: {}, shouldDisplay: false },
      });
      expect(fields).not.toHaveProperty('parent');
    }
    // Search answers the navigable ones by default with fields: the heavy, non-navigable ones stay out.
    const found = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'key = UD-2', fields: ['*navigable'] } });
    expect(found.body.issues[0].fields).toHaveProperty('fixVersions');
    for (const id of ['comment', 'worklog', 'timetracking']) expect(found.body.issues[0].fields).not.toHaveProperty(id);
  });

  it('renders fields and comment bodies as HTML when asked', async () => {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: {
        fields: {
          project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Rendered', duedate: '2026-12-24',
          description: {
            type: 'doc', version: 1, content: [
              { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
              { type: 'paragraph', content: [
                { type: 'text', text: '<script>alert(1)</script> ' }, { type: 'text', text: 'bold', marks: [{ type: 'strong' }] },
                { type: 'text', text: ' link', marks: [{ type: 'link', attrs: { href: 'https://example.com/?a=1&b=2' } }] },
              ] },
              { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
            ],
          },
        },
      },
    });
    const key = created.body.key as string;
    await h.call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: adf('A & B') } });
    const read = (await h.call('GET', `/rest/api/3/issue/${key}?expand=renderedFields`)).body;
    expect(read.renderedFields.description).toBe(
      '<h2>Plan</h2><p>&lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b><a href="https://example.com/?a=1&amp;b=2" class="external-link" rel="nofollow noreferrer"> link</a></p><ul><li><p>one</p></li></ul>',
    );
    expect(read.renderedFields).toMatchObject({ created: '23/Nov/26 12:00 PM', duedate: '24/Dec/26', summary: null, environment: null });
    expect(read.renderedFields.comment.comments[0].body).toBe('<p>A &amp; B</p>');
    expect(read.fields.description.type).toBe('doc');
    const comments = await h.call('GET', `/rest/api/3/issue/${key}/comment?expand=renderedBody`);
    expect(comments.body.comments[0]).toMatchObject({ body: adf('A & B'), renderedBody: '<p>A &amp; B</p>' });
    expect((await h.call('GET', `/rest/api/3/issue/${key}/comment`)).body.comments[0]).not.toHaveProperty('renderedBody');
  });

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
