import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JiraSite } from '../../src/local/contracts';
import { openJiraSite } from '../../src/local/jira/site';
import { renderShell } from '../../src/local/shell';

// The shell driven as a browser would: plain GETs and form POSTs against a
// real emulated site, checked both on the pages and through the REST API.

const baseUrl = 'http://localhost:8080/blue';
let site: JiraSite;

beforeAll(() => {
  site = openJiraSite({ name: 'blue', dataDir: ':memory:', baseUrl, clock: { now: () => Date.UTC(2026, 5, 10, 9, 30) } });
});
afterAll(() => site.close());

async function shell(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  return renderShell(site, new Request(`${baseUrl}${path}`, { ...init, headers }));
}

async function page(path: string, cookie?: string): Promise<string> {
  const response = await shell(path, { cookie });
  expect(response.headers.get('content-type')).toContain('text/html');
  return response.text();
}

function post(path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return shell(path, { method: 'POST', body: new URLSearchParams(fields), cookie });
}

async function rest(method: string, path: string, body?: unknown): Promise<Response> {
  return site.handle(
    new Request(`http://localhost:8080/rest/api/3${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { kind: 'user', accountId: site.adminAccountId },
  );
}

function optionValue(html: string, label: string): string {
  const match = new RegExp(`<option value="([^"]*)"[^>]*>${label}</option>`).exec(html);
  if (!match?.[1]) throw new Error(`No option "${label}"`);
  return match[1];
}

async function createIssue(fields: Record<string, string>, cookie?: string): Promise<string> {
  const form = await page('/projects/UD', cookie);
  const response = await post('/create', { project: 'UD', issuetype: optionValue(form, 'Task'), ...fields }, cookie);
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(/^\/blue\/browse\/UD-\d+$/);
  return location.slice('/blue/browse/'.length);
}

describe('the Jira-like shell', () => {
  it('lists the projects with the Apps → Exalate entry', async () => {
    const html = await page('/');
    expect(html).toContain('UI Design');
    expect(html).toContain('href="/blue/projects/UD"');
    expect(html).toContain('href="/blue/apps/exalate-admin/connections"');
  });

  it('creates an issue through the form and shows it in the list and the issue view', async () => {
    const form = await page('/projects/UD');
    expect(form).toContain('href="/blue/apps/exalate-project-settings?projectKey=UD"');
    const key = await createIssue({
      summary: 'Checkout <button> & "pay" fails',
      description: 'Steps:\nclick pay\n\nNothing happens',
      priority: optionValue(form, 'High'),
      labels: 'checkout ui',
      assignee: optionValue(form, 'Ava Blue'),
    });

    const list = await page('/projects/UD');
    expect(list).toContain(`href="/blue/browse/${key}"`);
    expect(list).toContain('Checkout &lt;button&gt; &amp; &quot;pay&quot; fails');
    expect(list).not.toContain('<button> &');

    const view = await page(`/browse/${key}`);
    expect(view).toContain('<h1>Checkout &lt;button&gt; &amp; &quot;pay&quot; fails</h1>');
    expect(view).toContain('<p>Steps:<br>click pay</p><p>Nothing happens</p>');
    expect(view).toContain('High');
    expect(view).toContain('<span class="label">checkout</span><span class="label">ui</span>');
    expect(view).toMatch(/<dt>Assignee<\/dt><dd>Ava Blue<\/dd>/);
    expect(view).toMatch(/<dt>Reporter<\/dt><dd>Ava Blue<\/dd>/); // the admin acts by default
    expect(view).toContain(`src="/blue/apps/exalate-issue-panel?issueKey=${key}"`);

    const stored = (await (await rest('GET', `/issue/${key}`)).json()) as { fields: Record<string, unknown> };
    expect(stored.fields.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Steps:' }, { type: 'hardBreak' }, { type: 'text', text: 'click pay' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Nothing happens' }] },
      ],
    });
    expect(stored.fields.labels).toEqual(['checkout', 'ui']);
  });

  it("shows Jira's messages when creating fails and keeps what was typed", async () => {
    const form = await page('/projects/UD');
    const response = await post('/create', { project: 'UD', issuetype: optionValue(form, 'Task'), summary: '', description: 'kept text' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('class="errors"');
    expect(html).toMatch(/summary/i);
    expect(html).toContain('>kept text</textarea>');
  });

  it('edits fields and moves the issue through a transition', async () => {
    const key = await createIssue({ summary: 'Before edit' });
    expect((await post(`/browse/${key}/edit`, { summary: 'After edit', issuetype: '', description: '', priority: '', labels: 'x', assignee: '' })).status).toBe(303);
    const view = await page(`/browse/${key}`);
    expect(view).toContain('<h1>After edit</h1>');

    const transitionId = /name="transitionId" value="([^"]+)"><button type="submit" title="→ In Progress"/.exec(view)?.[1];
    expect(transitionId).toBeDefined();
    expect((await post(`/browse/${key}/transition`, { transitionId: transitionId! })).status).toBe(303);
    const moved = (await (await rest('GET', `/issue/${key}?fields=status,summary,labels`)).json()) as { fields: { status: { name: string }; labels: string[] } };
    expect(moved.fields.status.name).toBe('In Progress');
    expect(moved.fields.labels).toEqual(['x']);
  });

  it('adds, edits and deletes a comment', async () => {
    const key = await createIssue({ summary: 'Has comments' });
    const added = await post(`/browse/${key}/comments`, { body: 'First <look> & see' });
    expect(added.status).toBe(303);
    const commentId = /#comment-(\d+)$/.exec(added.headers.get('location') ?? '')?.[1];
    expect(commentId).toBeDefined();
    expect(await page(`/browse/${key}`)).toContain('<p>First &lt;look&gt; &amp; see</p>');

    expect((await post(`/browse/${key}/comments/${commentId}/edit`, { body: 'Second thoughts' })).status).toBe(303);
    const edited = await page(`/browse/${key}`);
    expect(edited).toContain('<p>Second thoughts</p>');
    expect(edited).not.toContain('First &lt;look&gt;');

    expect((await post(`/browse/${key}/comments/${commentId}/delete`, {})).status).toBe(303);
    const comments = (await (await rest('GET', `/issue/${key}/comment`)).json()) as { comments: unknown[] };
    expect(comments.comments).toEqual([]);
    expect(await page(`/browse/${key}`)).not.toContain('Second thoughts');
  });

  it('uploads an attachment, downloads it byte for byte and deletes it', async () => {
    const key = await createIssue({ summary: 'Has a file' });
    const bytes = new Uint8Array(1024 * 3 + 7).map((_, i) => (i * 31 + 7) % 256);
    const form = new FormData();
    form.append('file', new File([bytes], 'résumé <v2>.bin', { type: 'application/octet-stream' }));
    const uploaded = await shell(`/browse/${key}/attachments`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(303);

    const view = await page(`/browse/${key}`);
    expect(view).toContain('résumé &lt;v2&gt;.bin');
    const attachmentId = /href="\/blue\/attachments\/(\d+)"/.exec(view)?.[1];
    expect(attachmentId).toBeDefined();

    const download = await shell(`/attachments/${attachmentId}`);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-disposition')).toContain(encodeURIComponent('résumé <v2>.bin'));

    expect((await post(`/attachments/${attachmentId}/delete`, { issueKey: key })).status).toBe(303);
    expect((await rest('GET', `/attachment/${attachmentId}`)).status).toBe(404);
    expect(await page(`/browse/${key}`)).not.toContain('résumé');
  });

  it("shows Jira's own message for a bad JQL query", async () => {
    const jql = 'project = UD AND nosuchfield = 1';
    const answer = await rest('POST', '/search/jql', { jql, fields: ['summary'] });
    expect(answer.status).toBe(400);
    const { errorMessages } = (await answer.json()) as { errorMessages: string[] };
    expect(errorMessages.length).toBeGreaterThan(0);
    const html = await page(`/projects/UD?${new URLSearchParams({ jql })}`);
    for (const message of errorMessages) expect(html).toContain(escape(message));
    expect(html).toContain(`value="${escape(jql)}"`);
  });

  it('offers every person of the site as assignee and in the top bar', async () => {
    const form = await page('/projects/UD');
    for (const name of ['Ava Blue', 'Ben Carter', 'Chloe Dunn', 'Dan Evans']) {
      expect(form).toMatch(new RegExp(`<select id="create-assignee"[\\s\\S]*<option value="[^"]+">${name}</option>`));
      expect(form).toMatch(new RegExp(`<select name="user"[\\s\\S]*<option value="[^"]+"( selected)?>${name}</option>`));
    }
    expect(form).not.toMatch(/<option value="[^"]+">Exalate<\/option>/); // the app's own user is nobody to act as
  });

  it('acts as the person picked in the top bar', async () => {
    const [ben] = (await (await rest('GET', '/user/search?query=Ben%20Carter')).json()) as { accountId: string }[];
    if (!ben) throw new Error('The blue seed has Ben Carter');
    const switched = await shell(`/?user=${encodeURIComponent(ben.accountId)}`);
    const cookie = switched.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('Path=/blue');
    expect(await switched.text()).toMatch(/<option value="[^"]+" selected>Ben Carter<\/option>/);

    const key = await createIssue({ summary: 'Reported by Ben' }, cookie.split(';')[0]);
    const issue = (await (await rest('GET', `/issue/${key}?fields=reporter`)).json()) as { fields: { reporter: { accountId: string } } };
    expect(issue.fields.reporter.accountId).toBe(ben.accountId);
  });

  describe('as a person who may see and do only some things', () => {
    const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
    const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
    /** The cookie the person switcher sets, for later requests as that person. */
    async function actAs(accountId: string): Promise<string> {
      const switched = await shell(`/?user=${encodeURIComponent(accountId)}`);
      return (switched.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    }

    it('shows no project or issue the person cannot browse, and says so readably when asked for one', async () => {
      const ben = await actAs(BEN);
      const projects = await page('/', ben);
      expect(projects).toContain('href="/blue/projects/UD"');
      expect(projects).not.toContain('href="/blue/projects/TEST"');

      const issues = await page('/issues', ben);
      expect(issues).toContain('href="/blue/browse/UD-1"');
      expect(issues).not.toContain('TEST-1');
      expect(issues).not.toMatch(/<option value="TEST"/); // nor offered for creating

      const project = await shell('/projects/TEST', { cookie: ben });
      expect(project.status).toBe(404);
      expect(await project.text()).toContain('No project could be found with key &#39;TEST&#39;.');
      const issue = await shell('/browse/TEST-1', { cookie: ben });
      expect(issue.status).toBe(404);
      const html = await issue.text();
      expect(html).toContain('Issue does not exist or you do not have permission to see it.');
      expect(html).toMatch(/<option value="[^"]+" selected>Ben Carter<\/option>/); // still a page, switcher and all

      const named = await page(`/issues?jql=${encodeURIComponent('project = TEST')}`, ben);
      expect(named).toContain('The value &#39;TEST&#39; does not exist for the field &#39;project&#39;.');

      const admin = await page('/issues');
      expect(admin).toContain('href="/blue/browse/TEST-1"');
    });

    it('offers only the actions the person may take, and shows Jira\'s refusal for the rest', async () => {
      const chloe = await actAs(CHLOE);
      const view = await page('/browse/TEST-1', chloe);
      expect(view).toContain('You can view this issue but not edit it.');
      expect(view).not.toContain('action="/blue/browse/TEST-1/edit"');
      expect(view).not.toContain('name="transitionId"');
      expect(view).toContain('action="/blue/browse/TEST-1/comments"'); // Users may comment
      expect(view).toContain('action="/blue/browse/TEST-1/attachments"'); // and attach
      expect(view).not.toMatch(/comments\/\d+\/delete/); // but not remove Sam's comment

      const refused = await post('/browse/TEST-1/edit', { summary: 'Not mine to change', issuetype: '', description: '', priority: '', labels: '', assignee: '' }, chloe);
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('class="errors"');
      expect(html).toContain('summary: Field &#39;summary&#39; cannot be set. It is not on the appropriate screen, or unknown.');
      expect(html).toContain('<h1>Regression suite for checkout</h1>');

      const own = await page('/browse/UD-1', chloe);
      expect(own).toContain('action="/blue/browse/UD-1/edit"'); // a Developer in UD
    });
  });

  it('answers 404 for an unknown page and for an unknown issue', async () => {
    expect((await shell('/nowhere')).status).toBe(404);
    expect((await shell('/browse/UD-999999')).status).toBe(404);
  });
});

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
