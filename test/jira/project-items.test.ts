// Components and versions: their resources, their place on issues, who may
// manage them, the events Jira fires, and what happens to issues when one goes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { openHarness, type Harness } from './harness';

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });

describe('components and versions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  const story = async (fields: Record<string, unknown>) =>
    h.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Items', ...fields } } });

  it('lists the seeded components and versions of a project', async () => {
    const components = await h.call('GET', '/rest/api/3/project/WEB/components');
    expect(components.body.map((c: { name: string }) => c.name)).toEqual(['Backend', 'Content', 'Frontend']);
    expect(components.body.find((c: { name: string }) => c.name === 'Frontend')).toMatchObject({
      assigneeType: 'COMPONENT_LEAD', lead: { accountId: DAN }, realAssigneeType: 'COMPONENT_LEAD', realAssignee: { accountId: DAN },
      isAssigneeTypeValid: true, project: 'WEB', projectId: 10002,
    });
    const paged = await h.call('GET', '/rest/api/3/project/WEB/component?orderBy=-issueCount&maxResults=2');
    expect(paged.body).toMatchObject({ total: 3, isLast: false, values: [{ issueCount: 1 }, { issueCount: 1 }] });
    expect(paged.body.nextPage).toBe('http://jira.test/blue/rest/api/3/project/WEB/component?orderBy=-issueCount&maxResults=2&startAt=2');
    expect((await h.call('GET', '/rest/api/3/component?projectIdsOrKeys=WEB&query=end')).body.values.map((c: { name: string }) => c.name))
      .toEqual(['Backend', 'Frontend']);

    const versions = await h.call('GET', '/rest/api/3/project/WEB/versions');
    expect(versions.body.map((v: { name: string }) => v.name)).toEqual(['1.0', '1.1', '2.0']);
    expect(versions.body[1]).toMatchObject({
      name: '1.1', released: false, archived: false, releaseDate: '2026-12-15', userReleaseDate: '15/Dec/26', overdue: false, projectId: 10002,
    });
    const unreleased = await h.call('GET', '/rest/api/3/project/WEB/version?status=unreleased&orderBy=-sequence');
    expect(unreleased.body.values.map((v: { name: string }) => v.name)).toEqual(['2.0', '1.1']);
    // Projects the caller cannot see have none to show.
    expect((await h.call('GET', '/rest/api/3/project/WEB/components', as(BEN))).status).toBe(404);
  });

  it('puts components and versions on issues, by id or name, with their history', async () => {
    const listed = (await h.call('GET', '/rest/api/3/project/WEB/components')).body;
    const [frontend, backend] = ['Frontend', 'Backend'].map((name) => listed.find((c: { name: string }) => c.name === name).id);
    const created = await story({ components: [{ id: frontend }], fixVersions: [{ name: '1.1' }], versions: [{ name: '1.0' }] });
    expect(created.status).toBe(201);
    const key = created.body.key;
    await h.call('PUT', `/rest/api/3/issue/${key}`, {
      body: { update: { components: [{ add: { id: backend } }, { remove: { name: 'Frontend' } }], fixVersions: [{ set: [{ name: '2.0' }] }] } },
    });
    const fields = (await h.call('GET', `/rest/api/3/issue/${key}?fields=components,fixVersions,versions`)).body.fields;
    expect(fields.components.map((c: { name: string }) => c.name)).toEqual(['Backend']);
    expect(fields.fixVersions.map((v: { name: string }) => v.name)).toEqual(['2.0']);
    expect(fields.versions.map((v: { name: string }) => v.name)).toEqual(['1.0']);
    const items: unknown[] = (await h.call('GET', `/rest/api/3/issue/${key}/changelog`)).body.values.at(-1).items;
    expect(items).toEqual<unknown[]>([
      { field: 'Component', fieldId: 'components', fieldtype: 'jira', from: String(frontend), fromString: 'Frontend' },
      { field: 'Component', fieldId: 'components', fieldtype: 'jira', to: String(backend), toString: 'Backend' },
      { field: 'Fix Version', fieldId: 'fixVersions', fieldtype: 'jira', from: expect.any(String), fromString: '1.1' },
      { field: 'Fix Version', fieldId: 'fixVersions', fieldtype: 'jira', to: expect.any(String), toString: '2.0' },
    ]);
    const refused = await story({ components: [{ name: 'Database' }], fixVersions: [{ id: '424242' }] });
    expect(refused.body.errors).toEqual({ components: "Component name 'Database' is not valid", fixVersions: "Version id '424242' is not valid" });
    // Another project's components are not this project's.
    expect((await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'x', components: [{ id: frontend }] } },
    })).status).toBe(400);
  });

  it('lets project admins create, change and delete them, firing Jira\'s events', async () => {
    h.events.splice(0);
    const created = await h.call('POST', '/rest/api/3/component', { body: { name: 'Search', project: 'WEB', leadAccountId: SAM, assigneeType: 'COMPONENT_LEAD' }, ...as(DAN) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Search', lead: { accountId: SAM }, project: 'WEB' });
    expect((await h.call('POST', '/rest/api/3/component', { body: { name: 'search', project: 'WEB' }, ...as(DAN) })).body.errors)
      .toEqual({ name: 'A component with the name search already exists in this project.' });
    expect((await h.call('POST', '/rest/api/3/component', { body: { name: 'Nope', project: 'WEB' }, ...as(SAM) })).status).toBe(403);
    expect((await h.call('POST', '/rest/api/3/component', { body: { name: 'Nope', project: 'WEB' }, ...as(BEN) })).status).toBe(404);
    const renamed = await h.call('PUT', `/rest/api/3/component/${created.body.id}`, { body: { name: 'Site search', description: 'Find things' }, ...as(DAN) });
    expect(renamed.body).toMatchObject({ name: 'Site search', description: 'Find things' });

    const version = await h.call('POST', '/rest/api/3/version', { body: { name: '1.2', projectId: 10002, releaseDate: '2027-02-01' }, ...as(AVA) });
    expect(version.status).toBe(201);
    expect((await h.call('POST', '/rest/api/3/version', { body: { name: '1.2', project: 'WEB' }, ...as(AVA) })).body.errors)
      .toEqual({ name: 'A version with this name already exists in this project.' });
    expect((await h.call('POST', '/rest/api/3/version', { body: { name: '1.3', project: 'WEB', releaseDate: '2027-13-01' }, offContract: true })).status).toBe(400);
    expect((await h.call('POST', '/rest/api/3/version', { body: { name: '1.3', project: 'WEB' }, ...as(SAM) })).status).toBe(404);
    const released = await h.call('PUT', `/rest/api/3/version/${version.body.id}`, { body: { released: true, archived: true }, ...as(DAN) });
    expect(released.body).toMatchObject({ released: true, archived: true });
    expect((await h.call('PUT', `/rest/api/3/version/${version.body.id}`, { body: { name: 'x' }, ...as(SAM) })).status).toBe(400);

    const events = h.events.splice(0);
    expect(events.map((e) => e.eventType)).toEqual([
      'avi:jira:created:component', 'avi:jira:updated:component', 'avi:jira:created:version',
      'avi:jira:updated:version', 'avi:jira:released:version', 'avi:jira:archived:version',
    ]);
    expect(events[0]!.payload).toMatchObject({ atlassianId: DAN, component: { id: created.body.id, name: 'Search', project: 'WEB' } });
    expect(events[2]!.payload).toMatchObject({ atlassianId: AVA, version: { id: version.body.id, name: '1.2' } });
  });

  it('takes a deleted component or version off its issues, or moves them to a replacement', async () => {
    const components = (await h.call('GET', '/rest/api/3/project/WEB/components')).body;
    const id = (name: string) => components.find((c: { name: string }) => c.name === name).id;
    const versions = (await h.call('GET', '/rest/api/3/project/WEB/versions')).body;
    const versionId = (name: string) => versions.find((v: { name: string }) => v.name === name).id;
    const issue = await story({ components: [{ name: 'Content' }, { name: 'Backend' }], fixVersions: [{ name: '1.1' }], versions: [{ name: '1.1' }] });
    expect((await h.call('DELETE', `/rest/api/3/component/${id('Content')}?moveIssuesTo=${id('Frontend')}`)).status).toBe(204);
    expect((await h.call('DELETE', `/rest/api/3/component/${id('Backend')}`)).status).toBe(204);
    expect((await h.call('DELETE', `/rest/api/3/version/${versionId('1.1')}?moveFixIssuesTo=${versionId('2.0')}`)).status).toBe(204);
    const fields = (await h.call('GET', `/rest/api/3/issue/${issue.body.key}?fields=components,fixVersions,versions`)).body.fields;
    expect(fields.components.map((c: { name: string }) => c.name)).toEqual(['Frontend']);
    expect(fields.fixVersions.map((v: { name: string }) => v.name)).toEqual(['2.0']);
    expect(fields.versions).toEqual([]);
    expect((await h.call('GET', `/rest/api/3/component/${id('Backend')}`)).status).toBe(404);
    expect((await h.call('DELETE', `/rest/api/3/version/${versionId('2.0')}`, as(SAM))).status).toBe(401);
  });
});
