// Issue fields as Jira reads and writes them: validation with per-field
// messages, update operations, hierarchy, seeds, people, authorship and
// permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, basic, openHarness, type Harness } from './harness';

const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';

describe('issue fields', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  const create = (fields: Record<string, unknown>) => h.call('POST', '/rest/api/3/issue', { body: { fields } });
  const base = { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Fields' };

  it('names the field in a 400 for a bad value', async () => {
    const priority = await h.call('PUT', '/rest/api/3/issue/UD-1', { body: { fields: { priority: { name: 'Urgent' } } } });
    expect(priority.status).toBe(400);
    expect(priority.body).toEqual({ errorMessages: [], errors: { priority: 'Specify a valid value for priority' } });

    const many = await create({
      ...base, status: { name: 'Done' }, description: 'plain text', labels: ['two words'], duedate: '2026-02-30',
      customfield_10021: { value: 'Blocker' }, customfield_10022: 'five', nosuch: 1,
    });
    expect(many.status).toBe(400);
    expect(Object.keys(many.body.errors).sort()).toEqual([
      'customfield_10021', 'customfield_10022', 'description', 'duedate', 'labels', 'nosuch', 'status',
    ]);
    expect(many.body.errors.nosuch).toBe("Field 'nosuch' cannot be set. It is not on the appropriate screen, or unknown.");
    expect(many.body.errors.customfield_10021).toBe("Option value 'Blocker' is not valid");
  });

  it('requires project, issue type and summary on create', async () => {
    expect((await create({ summary: 'x', issuetype: { name: 'Task' } })).body.errors).toEqual({ project: 'Specify a valid project ID or key' });
    expect((await create({ project: { key: 'UD' } })).body.errors).toEqual({
      issuetype: 'Specify an issue type', summary: 'You must specify a summary of the issue.',
    });
    expect((await create({ ...base, summary: 'x'.repeat(256) })).body.errors.summary).toBe('Summary must be less than 255 characters.');
  });

  it('defaults reporter, priority, status and resolution like Jira', async () => {
    const created = await create(base);
    const issue = (await h.call('GET', `/rest/api/3/issue/${created.body.key}`)).body;
    expect(issue.fields).toMatchObject({
      reporter: { accountId: h.site.appAccountId, accountType: 'app' },
      creator: { accountId: h.site.appAccountId },
      priority: { name: 'Medium' },
      status: { name: 'To Do', statusCategory: { key: 'new', name: 'To Do' } },
      resolution: null,
      assignee: null,
      labels: [],
      created: '2026-11-23T12:00:00.000+0000',
      updated: '2026-11-23T12:00:00.000+0000',
    });
    expect(issue.fields).not.toHaveProperty('parent');
  });

  it('applies set, add and remove to labels, plain and custom', async () => {
    const created = await create({ ...base, labels: ['b', 'a'], customfield_10024: ['x'] });
    const key = created.body.key as string;
    await h.call('PUT', `/rest/api/3/issue/${key}`, {
      body: { update: { labels: [{ add: 'c' }, { remove: 'a' }], customfield_10024: [{ add: 'y' }] } },
    });
    let fields = (await h.call('GET', `/rest/api/3/issue/${key}?fields=labels,customfield_10024`)).body.fields;
    expect(fields).toEqual({ labels: ['b', 'c'], customfield_10024: ['x', 'y'] });
    await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { update: { labels: [{ set: ['z'] }] }, fields: { customfield_10024: [] } } });
    fields = (await h.call('GET', `/rest/api/3/issue/${key}?fields=labels,customfield_10024`)).body.fields;
    expect(fields).toEqual({ labels: ['z'], customfield_10024: null });
  });

  it('adds comments through update on edit', async () => {
    const created = await create(base);
    await h.call('PUT', `/rest/api/3/issue/${created.body.key}`, { body: { update: { comment: [{ add: { body: adf('Via update') } }] } } });
    const comments = (await h.call('GET', `/rest/api/3/issue/${created.body.key}/comment`)).body.comments;
    expect(comments.map((c: { body: unknown }) => c.body)).toEqual([adf('Via update')]);
  });

  it('keeps sub-tasks under a standard parent and standard issues under epics', async () => {
    const orphan = await create({ ...base, issuetype: { name: 'Sub-task' } });
    expect(orphan.body.errors.parent).toBe('Issue type is a sub-task but parent issue key or id not specified.');
    const epic = await create({ ...base, issuetype: { name: 'Epic' }, summary: 'Epic' });
    const story = await create({ ...base, issuetype: { name: 'Story' }, parent: { key: epic.body.key } });
    expect(story.status).toBe(201);
    const wrong = await create({ ...base, issuetype: { name: 'Sub-task' }, parent: { key: epic.body.key } });
    expect(wrong.body.errors.parent).toBe('Given parent work item does not belong to appropriate hierarchy.');
    const child = await create({ ...base, issuetype: { name: 'Sub-task' }, parent: { id: story.body.id } });
    const read = (await h.call('GET', `/rest/api/3/issue/${child.body.key}?fields=parent`)).body;
    expect(read.fields.parent).toMatchObject({ key: story.body.key, fields: { issuetype: { name: 'Story' } } });
  });

  it('finds issues by id and by key in any case', async () => {
    expect((await h.call('GET', '/rest/api/3/issue/10000?fields=summary')).body.key).toBe('UD-1');
    expect((await h.call('GET', '/rest/api/3/issue/ud-1?fields=summary')).body.key).toBe('UD-1');
    const missing = await h.call('GET', '/rest/api/3/issue/UD-9999');
    expect(missing.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  });

  it('resolves on entering Done and clears the resolution when reopened', async () => {
    const created = await create(base);
    const key = created.body.key as string;
    await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '31' }, fields: { resolution: { name: "Won't Do" } } } });
    expect((await h.call('GET', `/rest/api/3/issue/${key}?fields=resolution`)).body.fields.resolution.name).toBe("Won't Do");
    await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '11' } } });
    const reopened = (await h.call('GET', `/rest/api/3/issue/${key}?fields=resolution,status,resolutiondate`)).body.fields;
    expect(reopened).toMatchObject({ resolution: null, resolutiondate: null, status: { name: 'To Do' } });
  });
});

describe('seeds, people and permissions', () => {
  let blue: Harness;
  let green: Harness;
  beforeAll(async () => {
    blue = await openHarness('blue');
    green = await openHarness('green');
  });
  afterAll(() => {
    blue.close();
    green.close();
  });

  it('seeds two different sites as the reference documents describe them', async () => {
    const blueTypes = (await blue.call('GET', '/rest/api/3/issuetype')).body.map((t: { name: string }) => t.name);
    const greenTypes = (await green.call('GET', '/rest/api/3/issuetype')).body.map((t: { name: string }) => t.name);
    expect(blueTypes).toEqual(['Epic', 'Task', 'Bug', 'Story', 'Improvement', 'Sub-task']);
    expect(greenTypes).not.toContain('Improvement');
    const greenStatuses = (await green.call('GET', '/rest/api/3/project/SC/statuses')).body[0].statuses;
    expect(greenStatuses.map((s: { name: string }) => s.name)).toEqual(['Open', 'In Progress', 'Done']);
    const names = (await green.call('GET', '/rest/api/3/issue/SC-1/transitions')).body.transitions.map((t: { name: string }) => t.name);
    expect(names).toEqual(['Start progress', 'Done']);
    const reopen = (await green.call('GET', '/rest/api/3/issue/SC-2/transitions')).body.transitions.map((t: { name: string }) => t.name);
    expect(reopen).toEqual(['Reopen', 'Done']);
    const internal = (await blue.call('GET', '/rest/api/3/issue/UD-2/comment')).body.comments[0];
    expect(internal.jsdPublic).toBe(false);
    expect((await green.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'SC' }, issuetype: { name: 'Improvement' }, summary: 'x' } },
    })).body.errors).toEqual({ issuetype: 'Specify a valid issue type' });
  });

  it('exposes the default issue type where Jira does, and leaves it unset elsewhere', async () => {
    const sc = (await green.call('GET', '/rest/api/3/project/SC')).body;
    const scheme = (await green.call('GET', `/rest/api/3/issuetypescheme/project?projectId=${sc.id}`)).body.values[0];
    const story = sc.issueTypes.find((t: { name: string }) => t.name === 'Story');
    expect(scheme.issueTypeScheme.defaultIssueTypeId).toBe(story.id);
    expect((await green.call('GET', '/rest/api/3/issue/createmeta/SC/issuetypes')).body.issueTypes[0].name).toBe('Story');
    const cm = (await green.call('GET', '/rest/api/3/project/CM')).body;
    const cmScheme = (await green.call('GET', `/rest/api/3/issuetypescheme/project?projectId=${cm.id}`)).body.values[0];
    expect(cmScheme.issueTypeScheme).not.toHaveProperty('defaultIssueTypeId');
    expect(cmScheme.issueTypeScheme.isDefault).toBe(true);
  });

  it('resolves callers from Basic credentials, with no credentials as the admin', () => {
    expect(blue.site.resolveCaller(null)).toEqual({ kind: 'user', accountId: blue.site.adminAccountId });
    expect(blue.site.resolveCaller(basic('CHLOE.DUNN@blue.example.com'))).toEqual({ kind: 'user', accountId: CHLOE });
    expect(blue.site.resolveCaller(basic('nobody@blue.example.com'))).toBeNull();
    expect(blue.site.resolveCaller('Bearer abc')).toBeNull();
    expect(green.site.resolveCaller(basic('sam.rivera@partner.example.com'))).toEqual(
      blue.site.resolveCaller(basic('sam.rivera@partner.example.com')),
    );
  });

  it('makes the caller the author, and hides a hidden email everywhere', async () => {
    const asChloe = { kind: 'user' as const, accountId: CHLOE };
    const created = await blue.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'TEST' }, issuetype: { name: 'Bug' }, summary: 'By Chloe' } }, as: asChloe,
    });
    const comment = await blue.call('POST', `/rest/api/3/issue/${created.body.key}/comment`, { body: { body: adf('Mine') }, as: asChloe });
    expect(comment.body.author).toMatchObject({ accountId: CHLOE, displayName: 'Chloe Dunn' });
    expect(comment.body.author).not.toHaveProperty('emailAddress');
    const issue = (await blue.call('GET', `/rest/api/3/issue/${created.body.key}?fields=reporter,creator`)).body.fields;
    expect(issue.reporter.accountId).toBe(CHLOE);
    expect(issue.reporter).not.toHaveProperty('emailAddress');
    expect((await blue.call('GET', '/rest/api/3/myself', { as: asChloe })).body.timeZone).toBe('Europe/Berlin');
    const unknown = await blue.call('GET', '/rest/api/3/myself', { as: { kind: 'user', accountId: 'nobody' } });
    expect(unknown.status).toBe(401);
  });

  it('grants project administration to site admins and to the admins of that project only', async () => {
    const ask = async (accountId: string | null, project?: string) => {
      const query = `permissions=ADMINISTER,ADMINISTER_PROJECTS,EDIT_ISSUES${project ? `&projectKey=${project}` : ''}`;
      const caller = accountId === null ? { kind: 'app' as const } : { kind: 'user' as const, accountId };
      const permissions = (await blue.call('GET', `/rest/api/3/mypermissions?${query}`, { as: caller })).body.permissions;
      return [permissions.ADMINISTER.havePermission, permissions.ADMINISTER_PROJECTS.havePermission, permissions.EDIT_ISSUES.havePermission];
    };
    expect(await ask(DAN, 'UD')).toEqual([false, true, true]);
    expect(await ask(DAN, 'TEST')).toEqual([false, false, true]);
    expect(await ask(DAN)).toEqual([false, true, true]);
    expect(await ask(CHLOE, 'UD')).toEqual([false, false, true]);
    expect(await ask(blue.site.adminAccountId, 'TEST')).toEqual([true, true, true]);
    expect(await ask(null, 'TEST')).toEqual([false, true, true]);
    expect((await blue.call('GET', '/rest/api/3/mypermissions?permissions=EDIT_ISSUES&projectKey=NOPE')).status).toBe(404);
  });
});
