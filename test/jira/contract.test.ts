// Every operation of the emulated site, answered and held to the official
// contract (the harness validates each request and response), including the
// error answers clients meet most.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, openHarness, type Harness } from './harness';

const IMPLEMENTED = [
  'getServerInfo', 'getCurrentUser', 'searchProjects', 'getProject', 'getAllStatuses', 'getIssueTypesForProject',
  'getIssueAllTypes', 'getIssueType', 'getIssueTypeSchemeForProjects', 'getPriorities', 'searchPriorities', 'getPriority',
  'getStatuses', 'getStatus', 'getResolutions', 'searchResolutions', 'getResolution', 'getFields',
  'getCreateIssueMetaIssueTypes', 'getCreateIssueMetaIssueTypeId', 'getIssueLinkTypes', 'getAttachmentMeta',
  'findUsers', 'findAssignableUsers', 'getAllUsers', 'getAllUsersDefault', 'bulkGetUsers', 'getUser', 'getMyPermissions',
  'createIssue', 'bulkFetchIssues', 'getIssue', 'editIssue', 'deleteIssue', 'getTransitions', 'doTransition', 'getChangeLogs',
  'getComments', 'addComment', 'getComment', 'updateComment', 'deleteComment',
  'addAttachment', 'getAttachmentContent', 'getAttachment', 'removeAttachment',
  'linkIssues', 'getIssueLink', 'deleteIssueLink', 'getRemoteIssueLinks', 'createOrUpdateRemoteIssueLink',
  'deleteRemoteIssueLinkByGlobalId', 'getRemoteIssueLinkById', 'updateRemoteIssueLink', 'deleteRemoteIssueLinkById',
  'getIssuePropertyKeys', 'getIssueProperty', 'setIssueProperty', 'deleteIssueProperty',
  'searchAndReconsileIssuesUsingJql', 'searchAndReconsileIssuesUsingJqlPost', 'countIssues',
];

describe('the emulated REST API against the official contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  it('answers site metadata', async () => {
    expect((await h.call('GET', '/rest/api/3/serverInfo')).body.deploymentType).toBe('Cloud');
    expect((await h.call('GET', '/rest/api/3/myself')).body.accountType).toBe('app');
    const projects = await h.call('GET', '/rest/api/3/project/search?maxResults=1');
    expect(projects.body).toMatchObject({ total: 3, isLast: false, values: [{ key: 'TEST' }] });
    expect((await h.call('GET', '/rest/api/3/project/search?query=design&expand=lead,issueTypes')).body.values[0].key).toBe('UD');
    const ud = await h.call('GET', '/rest/api/3/project/UD');
    expect(ud.body).toMatchObject({ key: 'UD', name: 'UI Design' });
    expect((await h.call('GET', '/rest/api/3/project/NOPE')).status).toBe(404);
    const statuses = await h.call('GET', '/rest/api/3/project/UD/statuses');
    expect(statuses.body[0].statuses.map((s: { name: string }) => s.name)).toEqual(['To Do', 'In Progress', 'Done']);
    const types = await h.call('GET', `/rest/api/3/issuetype/project?projectId=${ud.body.id}`);
    expect(types.body.map((t: { name: string }) => t.name)).toContain('Improvement');
    expect((await h.call('GET', '/rest/api/3/issuetype/project?projectId=99999')).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issuetype')).body.length).toBe(6);
    expect((await h.call('GET', '/rest/api/3/issuetype/10005')).body.subtask).toBe(true);
    const schemes = await h.call('GET', `/rest/api/3/issuetypescheme/project?projectId=${ud.body.id}`);
    expect(schemes.body.values[0].issueTypeScheme.defaultIssueTypeId).toBeUndefined();
    expect((await h.call('GET', '/rest/api/3/priority')).body.map((p: { name: string }) => p.name)).toEqual([
      'Highest', 'High', 'Medium', 'Low', 'Lowest',
    ]);
    expect((await h.call('GET', '/rest/api/3/priority/search?onlyDefault=true')).body.values).toMatchObject([{ name: 'Medium', isDefault: true }]);
    expect((await h.call('GET', '/rest/api/3/priority/2')).body.name).toBe('High');
    expect((await h.call('GET', '/rest/api/3/status')).body.length).toBe(6);
    expect((await h.call('GET', '/rest/api/3/status/Done')).body.statusCategory.key).toBe('done');
    expect((await h.call('GET', '/rest/api/3/resolution')).body[0].name).toBe('Done');
    expect((await h.call('GET', '/rest/api/3/resolution/search')).body.values[0].default).toBe(true);
    expect((await h.call('GET', '/rest/api/3/resolution/10001')).body.name).toBe("Won't Do");
    const fields = await h.call('GET', '/rest/api/3/field');
    expect(fields.body.find((f: { id: string }) => f.id === 'customfield_10021')).toMatchObject({
      name: 'Severity', custom: true, schema: { type: 'option', customId: 10021 },
    });
    const meta = await h.call('GET', '/rest/api/3/issue/createmeta/UD/issuetypes');
    expect(meta.body.issueTypes[0].name).toBe('Epic');
    const typeMeta = await h.call('GET', '/rest/api/3/issue/createmeta/UD/issuetypes/10021');
    expect(typeMeta.status).toBe(400);
    const bugMeta = await h.call('GET', '/rest/api/3/issue/createmeta/UD/issuetypes/10002');
    expect(bugMeta.body.fields.find((f: { fieldId: string }) => f.fieldId === 'summary').required).toBe(true);
    expect((await h.call('GET', '/rest/api/3/issueLinkType')).body.issueLinkTypes.map((l: { name: string }) => l.name)).toContain('Blocks');
    expect((await h.call('GET', '/rest/api/3/attachment/meta')).body.enabled).toBe(true);
  });

  it('answers people and permissions', async () => {
    const found = await h.call('GET', '/rest/api/3/user/search?query=ben');
    expect(found.body).toMatchObject([{ displayName: 'Ben Carter', emailAddress: 'ben.carter@blue.example.com' }]);
    const hidden = await h.call('GET', '/rest/api/3/user/search?query=chloe.dunn@blue.example.com');
    expect(hidden.body[0].displayName).toBe('Chloe Dunn');
    expect(hidden.body[0]).not.toHaveProperty('emailAddress');
    const one = await h.call('GET', `/rest/api/3/user?accountId=${encodeURIComponent(found.body[0].accountId)}`);
    expect(one.body.accountId).toBe(found.body[0].accountId);
    expect((await h.call('GET', '/rest/api/3/user?accountId=nobody')).status).toBe(404);
    const assignable = await h.call('GET', '/rest/api/3/user/assignable/search?project=UD&maxResults=1000');
    expect(assignable.body.map((u: { displayName: string }) => u.displayName)).toEqual([
      'Ava Blue', 'Ben Carter', 'Chloe Dunn', 'Dan Evans', 'Sam Rivera',
    ]);
    expect((await h.call('GET', '/rest/api/3/user/assignable/search?issueKey=UD-1&query=dan')).body[0].displayName).toBe('Dan Evans');
    expect((await h.call('GET', '/rest/api/3/user/assignable/search?project=NOPE')).status).toBe(404);
    const everyone = await h.call('GET', '/rest/api/3/users/search?maxResults=1000');
    expect(everyone.body.map((u: { accountType: string }) => u.accountType)).toContain('app');
    expect((await h.call('GET', '/rest/api/3/users?startAt=1&maxResults=2')).body).toHaveLength(2);
    const bulk = await h.call('GET', `/rest/api/3/user/bulk?accountId=${encodeURIComponent(found.body[0].accountId)}&accountId=${encodeURIComponent(h.site.adminAccountId)}`);
    expect(bulk.body.values.length).toBe(2);
    const perms = await h.call('GET', '/rest/api/3/mypermissions?permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS&projectKey=UD');
    expect(perms.body.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
    expect((await h.call('GET', '/rest/api/3/mypermissions?permissions=NOT_A_THING')).status).toBe(400);
  });

  it('answers issue operations', async () => {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: {
        fields: {
          project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Contract walk', description: adf('Walk every route'),
          labels: ['contract'], priority: { name: 'High' }, duedate: '2026-12-24',
          customfield_10020: 'ACME', customfield_10021: { value: 'Major' }, customfield_10022: 5,
          customfield_10024: ['one', 'two'], customfield_10025: adf('notes'),
        },
      },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const sub = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Sub-task' }, summary: 'Child', parent: { key } } },
    });
    expect(sub.status).toBe(201);
    const bad = await h.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' } } } });
    expect(bad.body.errors.summary).toBeDefined();

    const read = await h.call('GET', `/rest/api/3/issue/${key}?expand=names,schema,changelog,transitions&properties=*all`);
    expect(read.body.fields).toMatchObject({
      summary: 'Contract walk', labels: ['contract'], customfield_10021: { value: 'Major' }, customfield_10022: 5,
    });
    expect(read.body.fields.subtasks[0].key).toBe(sub.body.key);
    expect((await h.call('GET', '/rest/api/3/issue/UD-999')).status).toBe(404);
    const bulk = await h.call('POST', '/rest/api/3/issue/bulkfetch', { body: { issueIdsOrKeys: [key, 'UD-1', 'UD-999'], fields: ['summary'] } });
    expect(bulk.body.issues.map((i: { key: string }) => i.key)).toEqual([key, 'UD-1']);

    expect((await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { summary: 'Renamed' }, update: { labels: [{ add: 'x' }] } } })).status).toBe(204);
    const returned = await h.call('PUT', `/rest/api/3/issue/${key}?returnIssue=true`, { body: { fields: { customfield_10021: null } } });
    expect(returned.body.fields.customfield_10021).toBeNull();
    expect((await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { priority: { id: '42' } } } })).status).toBe(400);

    const transitions = await h.call('GET', `/rest/api/3/issue/${key}/transitions`);
    expect(transitions.body.transitions.map((t: { name: string }) => t.name)).toEqual(['Start progress', 'Done']);
    expect((await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '31' } } })).status).toBe(204);
    expect((await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '31' } } })).status).toBe(400);
    const history = await h.call('GET', `/rest/api/3/issue/${key}/changelog`);
    expect(history.body.values.length).toBe(3);

    expect((await h.call('DELETE', `/rest/api/3/issue/${key}`)).status).toBe(400);
    expect((await h.call('DELETE', `/rest/api/3/issue/${key}?deleteSubtasks=true`)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/issue/${sub.body.key}`)).status).toBe(404);
  });

  it('answers comment operations', async () => {
    const list = await h.call('GET', '/rest/api/3/issue/UD-1/comment');
    expect(list.body.total).toBe(2);
    const added = await h.call('POST', '/rest/api/3/issue/UD-1/comment', {
      body: { body: adf('Internal note'), properties: [{ key: 'sd.public.comment', value: { internal: true } }] },
    });
    expect(added.status).toBe(201);
    expect(added.body.jsdPublic).toBe(false);
    const one = await h.call('GET', `/rest/api/3/issue/UD-1/comment/${added.body.id}?expand=properties`);
    expect(one.body.properties).toEqual([{ key: 'sd.public.comment', value: { internal: true } }]);
    const edited = await h.call('PUT', `/rest/api/3/issue/UD-1/comment/${added.body.id}`, { body: { body: adf('Edited') } });
    expect(edited.body.body).toEqual(adf('Edited'));
    expect((await h.call('POST', '/rest/api/3/issue/UD-1/comment', { body: { body: 'plain text' } })).status).toBe(400);
    expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/comment/${added.body.id}`)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/issue/UD-1/comment/${added.body.id}`)).status).toBe(404);
  });

  it('answers attachment operations', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0, 1, 2, 255])], { type: 'application/octet-stream' }), 'bytes.bin');
    const added = await h.call('POST', '/rest/api/3/issue/UD-2/attachments', {
      rawBody: form, headers: { 'X-Atlassian-Token': 'no-check' },
    });
    expect(added.status).toBe(200);
    const id = added.body[0].id as string;
    expect((await h.call('GET', `/rest/api/3/attachment/${id}`)).body).toMatchObject({ id: Number(id), filename: 'bytes.bin', size: 4 });
    expect([...(await h.call('GET', `/rest/api/3/attachment/content/${id}`)).bytes]).toEqual([0, 1, 2, 255]);
    expect((await h.call('DELETE', `/rest/api/3/attachment/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/attachment/${id}`)).status).toBe(404);
  });

  it('answers link, remote link and property operations', async () => {
    const linked = await h.call('POST', '/rest/api/3/issueLink', {
      body: { type: { name: 'Blocks' }, inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'UD-2' } },
    });
    expect(linked.status).toBe(201);
    expect(linked.bytes.byteLength).toBe(0);
    const links = (await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks')).body.fields.issuelinks;
    expect(links[0].outwardIssue.key).toBe('UD-2');
    const link = await h.call('GET', `/rest/api/3/issueLink/${links[0].id}`);
    expect(link.body).toMatchObject({ inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'UD-2' }, type: { name: 'Blocks' } });
    expect((await h.call('DELETE', `/rest/api/3/issueLink/${links[0].id}`)).status).toBe(204);

    const remote = { globalId: 'sync:green:SC-1', application: { name: 'Exalate' }, object: { url: 'http://jira.test/green/browse/SC-1', title: 'SC-1' } };
    const created = await h.call('POST', '/rest/api/3/issue/UD-1/remotelink', { body: remote });
    expect(created.status).toBe(201);
    const again = await h.call('POST', '/rest/api/3/issue/UD-1/remotelink', { body: { ...remote, object: { ...remote.object, title: 'SC-1 renamed' } } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    const all = await h.call('GET', '/rest/api/3/issue/UD-1/remotelink');
    expect(all.body).toMatchObject([{ globalId: 'sync:green:SC-1', object: { title: 'SC-1 renamed' } }]);
    expect((await h.call('GET', `/rest/api/3/issue/UD-1/remotelink?globalId=${encodeURIComponent(remote.globalId)}`)).body.id).toBe(created.body.id);
    expect((await h.call('GET', `/rest/api/3/issue/UD-1/remotelink/${created.body.id}`)).body.globalId).toBe(remote.globalId);
    expect((await h.call('PUT', `/rest/api/3/issue/UD-1/remotelink/${created.body.id}`, { body: remote })).status).toBe(204);
    expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/remotelink?globalId=${encodeURIComponent(remote.globalId)}`)).status).toBe(204);
    const other = await h.call('POST', '/rest/api/3/issue/UD-1/remotelink', { body: { object: { url: 'http://example.com', title: 'Elsewhere' } } });
    expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/remotelink/${other.body.id}`)).status).toBe(204);

    const put = await h.call('PUT', '/rest/api/3/issue/UD-1/properties/sync.twin', {
      rawBody: JSON.stringify({ remote: 'SC-1' }), headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(201);
    const update = await h.call('PUT', '/rest/api/3/issue/UD-1/properties/sync.twin', {
      rawBody: JSON.stringify({ remote: 'SC-2' }), headers: { 'content-type': 'application/json' },
    });
    expect(update.status).toBe(200);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1/properties')).body.keys.map((k: { key: string }) => k.key)).toEqual(['sync.twin']);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1/properties/sync.twin')).body).toEqual({ key: 'sync.twin', value: { remote: 'SC-2' } });
    expect((await h.call('DELETE', '/rest/api/3/issue/UD-1/properties/sync.twin')).status).toBe(204);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1/properties/sync.twin')).status).toBe(404);
  });

  it('answers searches', async () => {
    const ids = await h.call('GET', '/rest/api/3/search/jql?jql=project%20%3D%20UD%20ORDER%20BY%20key%20ASC&maxResults=2');
    expect(ids.body.issues).toEqual([{ id: '10000' }, { id: '10001' }]);
    const post = await h.call('POST', '/rest/api/3/search/jql', {
      body: { jql: 'project = UD ORDER BY key ASC', fields: ['summary', 'status'], nextPageToken: ids.body.nextPageToken, maxResults: 2 },
    });
    expect(post.body.issues[0].fields.summary).toBe('Dark mode palette');
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'project = UD' } });
    expect(count.body.count).toBeGreaterThanOrEqual(3);
  });

  it('implements every operation it claims, under the contract operationIds', () => {
    expect(Object.keys(h.site.counters.byOperation).sort()).toEqual([...IMPLEMENTED].sort());
  });
});
