// Drawn workflows: where issues start, which transitions each status offers,
// transition screens, and the status and workflow metadata that describe
// them. The simplified workflows of the older projects keep their global
// transitions (see issues.test.ts and contract.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { adf, openHarness, type Harness } from './harness';

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });
const notOnScreen = (field: string) => `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

describe('a drawn workflow (blue WEB)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  const create = async (extra: Record<string, unknown> = {}): Promise<string> => {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Through the workflow' }, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body.key;
  };
  const offered = async (key: string): Promise<string[]> =>
    (await h.call('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions.map((t: { name: string; to: { name: string } }) => `${t.name} → ${t.to.name}`);
  const move = (key: string, id: string, body: Record<string, unknown> = {}) =>
    h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id }, ...body } });
  const status = async (key: string): Promise<string> => (await h.call('GET', `/rest/api/3/issue/${key}?fields=status`)).body.fields.status.name;

  it('starts issues in Backlog, which no transition leads back to', async () => {
    const key = await create();
    expect(await status(key)).toBe('Backlog');
    expect(await offered(key)).toEqual(['Select for development → To Do']);
    const project = (await h.call('GET', '/rest/api/3/project/WEB/statuses')).body[0].statuses.map((s: { name: string }) => s.name);
    expect(project).toEqual(['Backlog', 'To Do', 'In Progress', 'In Review', 'Done', 'Reopened']);
  });

  it('reaches Done only through review, reopens only from Done, and a reopened issue only goes back to To Do', async () => {
    const key = await create();
    expect((await move(key, '11')).status).toBe(204);
    expect(await offered(key)).toEqual(['Start progress → In Progress']);
    const skip = await move(key, '61');
    expect(skip.status).toBe(400);
    expect(skip.body.errorMessages).toEqual(["Transition id '61' is not valid for this issue."]);
    for (const id of ['21', '41']) expect((await move(key, id)).status).toBe(204);
    expect(await offered(key)).toEqual(['Request changes → In Progress', 'Approve → Done']);
    expect((await move(key, '61')).status).toBe(204);
    expect(await offered(key)).toEqual(['Reopen → Reopened']);
    const done = (await h.call('GET', `/rest/api/3/issue/${key}?fields=resolution,resolutiondate`)).body.fields;
    expect(done.resolution.name).toBe('Done');
    expect((await move(key, '71')).status).toBe(204);
    expect(await offered(key)).toEqual(['Back to To Do → To Do']);
    const reopened = (await h.call('GET', `/rest/api/3/issue/${key}?fields=resolution,resolutiondate,status`)).body.fields;
    expect(reopened).toMatchObject({ resolution: null, resolutiondate: null, status: { name: 'Reopened', statusCategory: { key: 'new' } } });
    const history = (await h.call('GET', `/rest/api/3/issue/${key}/changelog`)).body.values
      .flatMap((h: { items: { field: string; fromString: string; toString: string }[] }) => h.items.filter((i) => i.field === 'status'))
      .map((i: { fromString: string; toString: string }) => `${i.fromString} → ${i.toString}`);
    expect(history).toEqual(['Backlog → To Do', 'To Do → In Progress', 'In Progress → In Review', 'In Review → Done', 'Done → Reopened']);
  });

  it("describes each transition's screen, and takes only its fields", async () => {
    const key = await create();
    for (const id of ['11', '21', '41']) await move(key, id);
    const withFields = (await h.call('GET', `/rest/api/3/issue/${key}/transitions?expand=transitions.fields`)).body.transitions;
    const approve = withFields.find((t: { id: string }) => t.id === '61');
    expect(approve).toMatchObject({ hasScreen: true, isGlobal: false, fields: { resolution: { required: false, key: 'resolution' }, fixVersions: { key: 'fixVersions' } } });
    expect(approve.fields.fixVersions.allowedValues.map((v: { name: string }) => v.name)).toEqual(['1.0', '1.1', '2.0']);
    expect(withFields.find((t: { id: string }) => t.id === '51')).toMatchObject({ hasScreen: false, fields: {} });

    const offScreen = await move(key, '51', { fields: { priority: { name: 'Low' } } });
    expect(offScreen.status).toBe(400);
    expect(offScreen.body.errors).toEqual({ priority: notOnScreen('priority') });
    const approved = await move(key, '61', {
      fields: { resolution: { name: "Won't Do" }, fixVersions: [{ name: '2.0' }] },
      update: { comment: [{ add: { body: adf('Not worth it after all.') } }] },
    });
    expect(approved.status).toBe(204);
    const fields = (await h.call('GET', `/rest/api/3/issue/${key}?fields=resolution,fixVersions,comment`)).body.fields;
    expect(fields.resolution.name).toBe("Won't Do");
    expect(fields.fixVersions.map((v: { name: string }) => v.name)).toEqual(['2.0']);
    expect(fields.comment.comments[0].body).toEqual(adf('Not worth it after all.'));
  });

  it('runs a transition named on create from the initial status', async () => {
    const key = await create({ transition: { id: '11' } });
    expect(await status(key)).toBe('To Do');
    const refused = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Straight to review' }, transition: { id: '41' } },
    });
    expect(refused.status).toBe(400);
  });

  it('lists statuses, status categories and workflows as the contract describes them', async () => {
    const all = await h.call('GET', '/rest/api/3/statuses/search');
    expect(all.body.values.map((s: { name: string }) => s.name)).toEqual(['To Do', 'In Progress', 'Done', 'In Review', 'Reopened', 'Backlog']);
    expect(all.body.values[0]).toEqual({ id: '10000', name: 'To Do', description: '', statusCategory: 'TODO', scope: { type: 'GLOBAL' } });
    const inProgress = await h.call('GET', '/rest/api/3/statuses/search?projectId=10002&statusCategory=IN_PROGRESS');
    expect(inProgress.body.values.map((s: { name: string }) => s.name)).toEqual(['In Progress', 'In Review']);
    expect((await h.call('GET', '/rest/api/3/statuses/search?searchString=OPEN')).body.values.map((s: { name: string }) => s.name))
      .toEqual(['Reopened']);
    expect((await h.call('GET', '/rest/api/3/statuses/search', as(BEN))).body).toMatchObject({ total: 0, values: [] });
    expect((await h.call('GET', '/rest/api/3/statuses/search', as(DAN))).status).toBe(200);

    expect((await h.call('GET', '/rest/api/3/statuscategory')).body.map((c: { key: string }) => c.key)).toEqual(['new', 'indeterminate', 'done']);
    expect((await h.call('GET', '/rest/api/3/statuscategory/done')).body.id).toBe(3);

    const workflows = await h.call('GET', '/rest/api/3/workflow/search?expand=transitions,statuses&workflowName=Website%20Review%20Workflow', as(AVA));
    const [website] = workflows.body.values;
    expect(website.id.name).toBe('Website Review Workflow');
    expect(website.statuses.map((s: { name: string }) => s.name)).toEqual(['Backlog', 'To Do', 'In Progress', 'In Review', 'Done', 'Reopened']);
    expect(website.transitions[0]).toMatchObject({ name: 'Create', type: 'initial', from: [], to: '10003' });
    expect(website.transitions.find((t: { name: string }) => t.name === 'Approve')).toMatchObject({ type: 'directed', from: ['10002'], to: '10001' });
    const simplified = await h.call('GET', '/rest/api/3/workflow/search?expand=transitions&queryString=simplified', as(AVA));
    expect(simplified.body.values.map((w: { id: { name: string } }) => w.id.name)).toEqual([
      'Software Simplified Workflow for Project UD', 'Software Simplified Workflow for Project TEST',
    ]);
    expect(simplified.body.values[0].transitions.filter((t: { type: string }) => t.type === 'global')).toHaveLength(3);
    // Workflows are Jira administration: not for project admins, nor for the app.
    expect((await h.call('GET', '/rest/api/3/workflow/search', as(DAN))).status).toBe(403);
    expect((await h.call('GET', '/rest/api/3/workflow/search', { as: { kind: 'app' } })).status).toBe(403);
  });
});

describe('a drawn workflow with a global transition (green SUP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('green');
  });
  afterAll(() => h.close());

  it('closes from any status in one step, and offers nothing into the status an issue is in', async () => {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'Close me' } },
    });
    const key = created.body.key;
    const names = async () => (await h.call('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions.map((t: { name: string }) => t.name);
    expect(await names()).toEqual(['Accept', 'Close']);
    expect((await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '91' }, fields: { resolution: { name: 'Duplicate' } } } })).status).toBe(204);
    expect(await names()).toEqual(['Reopen']);
    const fields = (await h.call('GET', `/rest/api/3/issue/${key}?fields=status,resolution`)).body.fields;
    expect(fields).toMatchObject({ status: { name: 'Done' }, resolution: { name: 'Duplicate' } });
  });
});
