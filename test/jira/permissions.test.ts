// Who may do what on the emulated sites: the seeded permission schemes, what
// `GET /mypermissions` answers for each seeded role, and every REST operation
// that checks a permission, each refused and allowed. Every exchange is held
// to the official contract by the harness.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { blueSeed } from '../../src/local/jira/seed';
import type { SiteSeedInput } from '../../src/local/jira/seed-schema';
import { adf, openHarness, type Harness } from './harness';

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const GIA = '712020:96ee0000-1111-4000-8000-000000000001';
const HUGO = '712020:96ee0000-2222-4000-8000-000000000002';
const IRIS = '712020:96ee0000-3333-4000-8000-000000000003';
const JACK = '712020:96ee0000-4444-4000-8000-000000000004';

const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });
const asApp: { as: Caller } = { as: { kind: 'app' } };
const XSRF = { 'X-Atlassian-Token': 'no-check' };
const HIDDEN = 'Issue does not exist or you do not have permission to see it.';
const notOnScreen = (field: string) => `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

function upload(name: string, text = 'content'): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  return form;
}

/** Blue, with `accountId` cast as a Viewer (Browse Projects only) of `project`. */
function blueWithViewer(project: string, accountId: string): SiteSeedInput {
  return {
    ...blueSeed,
    projects: blueSeed.projects.map((p) => (p.key === project ? { ...p, roles: { ...p.roles, Viewers: [accountId] } } : p)),
  };
}

async function permissions(h: Harness, caller: { as: Caller }, keys: string[], context = ''): Promise<Record<string, boolean>> {
  const answer = await h.call('GET', `/rest/api/3/mypermissions?permissions=${keys.join(',')}${context}`, caller);
  expect(answer.status).toBe(200);
  return Object.fromEntries(keys.map((k) => [k, answer.body.permissions[k].havePermission as boolean]));
}

describe('permissions on blue', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  describe('GET /mypermissions', () => {
    const KEYS = ['ADMINISTER', 'ADMINISTER_PROJECTS', 'BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'LINK_ISSUES'];

    it('answers globally: a project permission is held when held in any project', async () => {
      const row = (held: Record<string, boolean>) => KEYS.map((k) => held[k]);
      expect(row(await permissions(h, as(AVA), KEYS))).toEqual([true, true, true, true, true, true]);
      expect(row(await permissions(h, as(DAN), KEYS))).toEqual([false, true, true, true, true, true]);
      expect(row(await permissions(h, as(BEN), KEYS))).toEqual([false, false, true, true, true, true]);
      expect(row(await permissions(h, as(CHLOE), KEYS))).toEqual([false, false, true, true, true, true]);
      expect(row(await permissions(h, asApp, KEYS))).toEqual([false, true, true, true, true, true]);
    });

    it('answers per project, by key or id, from each person\'s roles', async () => {
      const inTest = '&projectKey=TEST';
      expect(await permissions(h, as(CHLOE), KEYS, inTest)).toEqual({
        ADMINISTER: false, ADMINISTER_PROJECTS: false, BROWSE_PROJECTS: true, CREATE_ISSUES: true, EDIT_ISSUES: false, LINK_ISSUES: false,
      });
      expect(await permissions(h, as(CHLOE), ['EDIT_ISSUES', 'TRANSITION_ISSUES'], '&projectKey=UD')).toEqual({ EDIT_ISSUES: true, TRANSITION_ISSUES: true });
      expect(await permissions(h, as(DAN), ['ADMINISTER_PROJECTS', 'EDIT_ISSUES', 'DELETE_ISSUES'], inTest)).toEqual({
        ADMINISTER_PROJECTS: false, EDIT_ISSUES: true, DELETE_ISSUES: false,
      });
      expect(await permissions(h, as(DAN), ['ADMINISTER_PROJECTS', 'DELETE_ISSUES'], '&projectId=10000')).toEqual({ ADMINISTER_PROJECTS: true, DELETE_ISSUES: true });
      expect(await permissions(h, as(BEN), ['BROWSE_PROJECTS', 'EDIT_ISSUES', 'ADMINISTER_PROJECTS'], '&projectKey=UD')).toEqual({
        BROWSE_PROJECTS: true, EDIT_ISSUES: true, ADMINISTER_PROJECTS: false,
      });
      expect(Object.values(await permissions(h, as(AVA), KEYS, inTest)).every(Boolean)).toBe(true);
      expect(await permissions(h, asApp, KEYS, inTest)).toEqual({
        ADMINISTER: false, ADMINISTER_PROJECTS: true, BROWSE_PROJECTS: true, CREATE_ISSUES: true, EDIT_ISSUES: true, LINK_ISSUES: true,
      });
      // The id wins over the key, as the contract says.
      expect(await permissions(h, as(CHLOE), ['EDIT_ISSUES'], '&projectId=10000&projectKey=TEST')).toEqual({ EDIT_ISSUES: true });
    });

    it('answers per issue, and 404 for an issue or project the caller cannot see', async () => {
      expect(await permissions(h, as(CHLOE), ['BROWSE_PROJECTS', 'EDIT_ISSUES', 'ADD_COMMENTS'], '&issueKey=TEST-1')).toEqual({
        BROWSE_PROJECTS: true, EDIT_ISSUES: false, ADD_COMMENTS: true,
      });
      expect(await permissions(h, as(DAN), ['EDIT_ISSUES'], '&issueKey=TEST-1')).toEqual({ EDIT_ISSUES: true });
      const testIssue = await h.call('GET', '/rest/api/3/issue/TEST-1?fields=summary');
      for (const context of ['issueKey=TEST-1', `issueId=${testIssue.body.id}`]) {
        const hidden = await h.call('GET', `/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&${context}`, as(BEN));
        expect(hidden.status).toBe(404);
        expect(hidden.body.errorMessages).toEqual([HIDDEN]);
      }
      const project = await h.call('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=TEST', as(BEN));
      expect(project.status).toBe(404);
      expect(project.body.errorMessages).toEqual(["No project could be found with key 'TEST'."]);
      expect((await h.call('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectId=10001', as(BEN))).status).toBe(404);
      expect((await h.call('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=NOPE', as(AVA))).status).toBe(404);
    });

    it('refuses unknown or missing permission keys with 400', async () => {
      const unknown = await h.call('GET', '/rest/api/3/mypermissions?permissions=EDIT_ISSUES,NOT_A_THING', as(BEN));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errorMessages[0]).toContain('NOT_A_THING');
      expect((await h.call('GET', '/rest/api/3/mypermissions', as(BEN))).status).toBe(400);
    });

    it('answers for a comment: BROWSE_PROJECTS only, 404 when its issue is hidden', async () => {
      const comments = await h.call('GET', '/rest/api/3/issue/TEST-1/comment');
      const commentId = comments.body.comments[0].id as string;
      expect(await permissions(h, as(CHLOE), ['BROWSE_PROJECTS'], `&commentId=${commentId}`)).toEqual({ BROWSE_PROJECTS: true });
      expect((await h.call('GET', `/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&commentId=${commentId}`, as(BEN))).status).toBe(404);
      expect((await h.call('GET', `/rest/api/3/mypermissions?permissions=EDIT_ISSUES&commentId=${commentId}`, as(CHLOE))).status).toBe(400);
    });
  });

  describe('reading', () => {
    it('hides an issue of a project the caller cannot browse, everywhere it can be read', async () => {
      const attached = await h.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('plan.txt'), headers: XSRF });
      const attachmentId = attached.body[0].id as string;
      await h.call('PUT', '/rest/api/3/issue/TEST-1/properties/sync', { body: { twins: [] } });
      const comments = await h.call('GET', '/rest/api/3/issue/TEST-1/comment');
      const commentId = comments.body.comments[0].id as string;
      const reads = [
        '/rest/api/3/issue/TEST-1',
        '/rest/api/3/issue/TEST-1/comment',
        `/rest/api/3/issue/TEST-1/comment/${commentId}`,
        '/rest/api/3/issue/TEST-1/changelog',
        '/rest/api/3/issue/TEST-1/transitions',
        '/rest/api/3/issue/TEST-1/properties',
        '/rest/api/3/issue/TEST-1/properties/sync',
        '/rest/api/3/issue/TEST-1/remotelink',
      ];
      for (const path of reads) {
        const refused = await h.call('GET', path, as(BEN));
        expect(refused.status, path).toBe(404);
        expect(refused.body.errorMessages, path).toEqual([HIDDEN]);
        expect((await h.call('GET', path, as(CHLOE))).status, path).toBe(200);
      }
      // Attachment look-ups answer 403, as their contract says.
      for (const path of [`/rest/api/3/attachment/${attachmentId}`, `/rest/api/3/attachment/content/${attachmentId}`]) {
        const refused = await h.call('GET', path, as(BEN));
        expect(refused.status, path).toBe(403);
        expect(refused.body.errorMessages, path).toEqual([`You do not have permission to view attachment with id: ${attachmentId}`]);
        expect((await h.call('GET', path, as(CHLOE))).status, path).toBe(200);
      }
    });

    it('leaves hidden issues out of searches, counts and bulk fetches', async () => {
      const jql = 'issuetype in (Task, Bug, Improvement) ORDER BY key ASC';
      const keys = async (caller: { as: Caller }) =>
        (await h.call('POST', '/rest/api/3/search/jql', { body: { jql, fields: ['summary'] }, ...caller })).body.issues.map((i: { key: string }) => i.key);
      expect(await keys(as(BEN))).toEqual(['UD-1', 'UD-2', 'UD-3']);
      expect(await keys(as(CHLOE))).toEqual(['TEST-1', 'UD-1', 'UD-2', 'UD-3']);
      expect(await keys(asApp)).toEqual(['TEST-1', 'UD-1', 'UD-2', 'UD-3']);
      const ids = await h.call('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`, as(BEN));
      expect(ids.body.issues).toHaveLength(3);

      const count = async (caller: { as: Caller }) => (await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql }, ...caller })).body.count;
      expect(await count(as(BEN))).toBe(3);
      expect(await count(as(AVA))).toBe(4);

      const fetched = await h.call('POST', '/rest/api/3/issue/bulkfetch', { body: { issueIdsOrKeys: ['UD-1', 'TEST-1'], fields: ['summary'] }, ...as(BEN) });
      expect(fetched.body.issues.map((i: { key: string }) => i.key)).toEqual(['UD-1']);
      const all = await h.call('POST', '/rest/api/3/issue/bulkfetch', { body: { issueIdsOrKeys: ['UD-1', 'TEST-1'], fields: ['summary'] }, ...as(DAN) });
      expect(all.body.issues).toHaveLength(2);
    });

    it('answers a query naming a hidden project or issue as Jira does for unknown ones', async () => {
      const byProject = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project in (UD, TEST)' }, ...as(BEN) });
      expect(byProject.status).toBe(400);
      expect(byProject.body.errorMessages).toEqual(["The value 'TEST' does not exist for the field 'project'."]);
      const byKey = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'key = TEST-1' }, ...as(BEN) });
      expect(byKey.status).toBe(400);
      expect(byKey.body.errorMessages).toEqual(["An issue with key 'TEST-1' does not exist for field 'key'."]);
      expect((await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project in (UD, TEST)' }, ...as(CHLOE) })).status).toBe(200);
      expect((await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'key = TEST-1' }, ...as(CHLOE) })).body.issues).toHaveLength(1);
    });

    it('lists and answers only projects the caller can browse', async () => {
      const listed = async (caller: { as: Caller }) =>
        (await h.call('GET', '/rest/api/3/project/search', caller)).body.values.map((p: { key: string }) => p.key);
      expect(await listed(as(BEN))).toEqual(['UD']);
      expect(await listed(as(CHLOE))).toEqual(['TEST', 'UD']);
      expect(await listed(asApp)).toEqual(['TEST', 'UD', 'WEB']);
      for (const path of ['/rest/api/3/project/TEST', '/rest/api/3/project/10001', '/rest/api/3/project/TEST/statuses', '/rest/api/3/issuetype/project?projectId=10001']) {
        expect((await h.call('GET', path, as(BEN))).status, path).toBe(404);
        expect((await h.call('GET', path, as(CHLOE))).status, path).toBe(200);
      }
      expect((await h.call('GET', '/rest/api/3/issue/createmeta/TEST/issuetypes', as(BEN))).status).toBe(400);
      expect((await h.call('GET', '/rest/api/3/issue/createmeta/TEST/issuetypes', as(CHLOE))).status).toBe(200);
      expect((await h.call('GET', '/rest/api/3/user/assignable/search?project=TEST', as(BEN))).status).toBe(404);
      expect((await h.call('GET', '/rest/api/3/user/assignable/search?issueKey=TEST-1', as(BEN))).status).toBe(404);
      const schemes = await h.call('GET', '/rest/api/3/issuetypescheme/project?projectId=10000&projectId=10001', as(BEN));
      expect(schemes.body.values.flatMap((s: { projectIds: string[] }) => s.projectIds)).toEqual(['10000']);
    });

    it('offers as assignees only those who hold Assignable User in the project', async () => {
      const names = async (project: string) =>
        (await h.call('GET', `/rest/api/3/user/assignable/search?project=${project}`, as(AVA))).body.map((u: { displayName: string }) => u.displayName);
      expect(await names('UD')).toEqual(['Ava Blue', 'Ben Carter', 'Chloe Dunn', 'Dan Evans', 'Sam Rivera']);
      // Ben plays no role in TEST and Chloe is one of its Users, who may not be assigned work.
      expect(await names('TEST')).toEqual(['Ava Blue', 'Dan Evans', 'Sam Rivera']);
    });

    it('leaves links to hidden issues out of an issue', async () => {
      expect((await h.call('POST', '/rest/api/3/issueLink', { body: { type: { name: 'Relates' }, inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'TEST-1' } } })).status).toBe(201);
      const links = async (caller: { as: Caller }) => (await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks', caller)).body.fields.issuelinks;
      expect(await links(as(BEN))).toEqual([]);
      expect(await links(as(DAN))).toHaveLength(1);
    });
  });

  describe('creating and editing issues', () => {
    const task = (project: string, extra: Record<string, unknown> = {}) => ({
      fields: { project: { key: project }, issuetype: { name: 'Task' }, summary: 'Checked', ...extra },
    });

    it('needs Browse Projects: a hidden project answers like an unknown one', async () => {
      const refused = await h.call('POST', '/rest/api/3/issue', { body: task('TEST'), ...as(BEN) });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual({ project: 'Specify a valid project ID or key' });
      expect((await h.call('POST', '/rest/api/3/issue', { body: task('UD'), ...as(BEN) })).status).toBe(201);
    });

    it('needs Create Issues (403)', async () => {
      const viewer = await openHarness('blue', { seed: blueWithViewer('TEST', BEN) });
      try {
        const refused = await viewer.call('POST', '/rest/api/3/issue', { body: task('TEST'), ...as(BEN) });
        expect(refused.status).toBe(403);
        expect(refused.body.errorMessages).toEqual(['You do not have permission to create issues in this project.']);
        expect((await viewer.call('POST', '/rest/api/3/issue', { body: task('TEST'), ...as(CHLOE) })).status).toBe(201);
      } finally {
        viewer.close();
      }
    });

    it('needs Assign Issues to set an assignee and Modify Reporter to set a reporter', async () => {
      const assigned = await h.call('POST', '/rest/api/3/issue', { body: task('TEST', { assignee: { accountId: DAN } }), ...as(CHLOE) });
      expect(assigned.status).toBe(400);
      expect(assigned.body.errors).toEqual({ assignee: notOnScreen('assignee') });
      expect((await h.call('POST', '/rest/api/3/issue', { body: task('TEST', { assignee: { accountId: DAN } }), ...as(DAN) })).status).toBe(201);

      const reporter = { fields: { reporter: { accountId: CHLOE } } };
      const refused = await h.call('PUT', '/rest/api/3/issue/UD-2', { body: reporter, ...as(BEN) });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual({ reporter: notOnScreen('reporter') });
      expect((await h.call('PUT', '/rest/api/3/issue/UD-2', { body: reporter, ...as(DAN) })).status).toBe(204);
    });

    it('needs Edit Issues: every field named is refused, and a hidden issue is 404', async () => {
      const edit = { fields: { summary: 'Edited' }, update: { labels: [{ add: 'x' }] } };
      const refused = await h.call('PUT', '/rest/api/3/issue/TEST-1', { body: edit, ...as(CHLOE) });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual({ summary: notOnScreen('summary'), labels: notOnScreen('labels') });
      const hidden = await h.call('PUT', '/rest/api/3/issue/TEST-1', { body: edit, ...as(BEN) });
      expect(hidden.status).toBe(404);
      expect(hidden.body.errorMessages).toEqual([HIDDEN]);
      expect((await h.call('PUT', '/rest/api/3/issue/TEST-1', { body: edit, ...as(DAN) })).status).toBe(204);
      expect((await h.call('GET', '/rest/api/3/issue/TEST-1?fields=summary', as(CHLOE))).body.fields.summary).toBe('Edited');
    });

    it('needs Transition Issues: no transitions are listed and none can be made without it', async () => {
      expect((await h.call('GET', '/rest/api/3/issue/TEST-1/transitions', as(CHLOE))).body.transitions).toEqual([]);
      const refused = await h.call('POST', '/rest/api/3/issue/TEST-1/transitions', { body: { transition: { id: '11' } }, ...as(CHLOE) });
      expect(refused.status).toBe(400);
      expect(refused.body.errorMessages).toEqual(["Transition id '11' is not valid for this issue."]);
      expect((await h.call('GET', '/rest/api/3/issue/TEST-1/transitions', as(DAN))).body.transitions.length).toBeGreaterThan(0);
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/transitions', { body: { transition: { id: '11' } }, ...as(DAN) })).status).toBe(204);
    });

    it('needs Delete Issues', async () => {
      const refused = await h.call('DELETE', '/rest/api/3/issue/TEST-1', as(DAN));
      expect(refused.status).toBe(403);
      expect(refused.body.errorMessages).toEqual(['You do not have permission to delete issues in this project.']);
      expect((await h.call('DELETE', '/rest/api/3/issue/UD-3', as(DAN))).status).toBe(204);
      expect((await h.call('DELETE', '/rest/api/3/issue/TEST-1', as(AVA))).status).toBe(204);
    });

    it('leaves the app unaffected: it reads and changes issues anywhere', async () => {
      expect((await h.call('GET', '/rest/api/3/issue/TEST-1', asApp)).status).toBe(200);
      expect((await h.call('PUT', '/rest/api/3/issue/TEST-1', { body: { fields: { summary: 'By the app', reporter: { accountId: BEN } } }, ...asApp })).status).toBe(204);
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/transitions', { body: { transition: { id: '21' } }, ...asApp })).status).toBe(204);
      expect((await h.call('POST', '/rest/api/3/issue', { body: task('TEST', { assignee: { accountId: SAM } }), ...asApp })).status).toBe(201);
    });

    it('lets the shared person work in both projects as before', async () => {
      expect((await h.call('PUT', '/rest/api/3/issue/TEST-1', { body: { fields: { summary: 'By Sam' } }, ...as(SAM) })).status).toBe(204);
      expect((await h.call('PUT', '/rest/api/3/issue/UD-1', { body: { fields: { summary: 'By Sam' } }, ...as(SAM) })).status).toBe(204);
    });
  });

  describe('comments', () => {
    it('needs Add Comments to comment', async () => {
      const viewer = await openHarness('blue', { seed: blueWithViewer('TEST', BEN) });
      try {
        const refused = await viewer.call('POST', '/rest/api/3/issue/TEST-1/comment', { body: { body: adf('Hi') }, ...as(BEN) });
        expect(refused.status).toBe(400);
        expect(refused.body.errorMessages).toEqual(['Ben Carter, you do not have the permission to comment on this issue.']);
        expect((await viewer.call('POST', '/rest/api/3/issue/TEST-1/comment', { body: { body: adf('Hi') }, ...as(CHLOE) })).status).toBe(201);
      } finally {
        viewer.close();
      }
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/comment', { body: { body: adf('Hi') }, ...as(BEN) })).status).toBe(404);
    });

    it('lets people edit and delete their own comments, and only admins everyone\'s', async () => {
      const comments = (await h.call('GET', '/rest/api/3/issue/UD-1/comment')).body.comments as { id: string; author: { accountId: string } }[];
      const bens = comments.find((c) => c.author.accountId === BEN)?.id;
      const chloes = comments.find((c) => c.author.accountId === CHLOE)?.id;
      const body = { body: adf('Edited') };

      const editOthers = await h.call('PUT', `/rest/api/3/issue/UD-1/comment/${bens}`, { body, ...as(CHLOE) });
      expect(editOthers.status).toBe(400);
      expect(editOthers.body.errorMessages).toEqual(['Chloe Dunn, you do not have the permission to edit this comment.']);
      expect((await h.call('PUT', `/rest/api/3/issue/UD-1/comment/${chloes}`, { body, ...as(CHLOE) })).status).toBe(200);
      expect((await h.call('PUT', `/rest/api/3/issue/UD-1/comment/${bens}`, { body, ...as(DAN) })).status).toBe(200);

      const deleteOthers = await h.call('DELETE', `/rest/api/3/issue/UD-1/comment/${bens}`, as(CHLOE));
      expect(deleteOthers.status).toBe(400);
      expect(deleteOthers.body.errorMessages).toEqual([`You do not have permission to delete comment with id: ${bens}`]);
      expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/comment/${chloes}`, as(CHLOE))).status).toBe(204);
      expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/comment/${bens}`, as(DAN))).status).toBe(204);
    });
  });

  describe('attachments', () => {
    it('needs Create Attachments to attach (403), and a visible issue (404)', async () => {
      const viewer = await openHarness('blue', { seed: blueWithViewer('TEST', BEN) });
      try {
        const refused = await viewer.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('a.txt'), headers: XSRF, ...as(BEN) });
        expect(refused.status).toBe(403);
        expect(refused.body.errorMessages).toEqual(['You do not have permission to create attachments for this issue.']);
      } finally {
        viewer.close();
      }
      const hidden = await h.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('a.txt'), headers: XSRF, ...as(BEN) });
      expect(hidden.status).toBe(404);
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('a.txt'), headers: XSRF, ...as(CHLOE) })).status).toBe(200);
    });

    it('lets people delete their own attachments, and only admins everyone\'s', async () => {
      const admins = (await h.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('ava.txt'), headers: XSRF })).body[0].id;
      const chloes = (await h.call('POST', '/rest/api/3/issue/TEST-1/attachments', { rawBody: upload('chloe.txt'), headers: XSRF, ...as(CHLOE) })).body[0].id;
      const refused = await h.call('DELETE', `/rest/api/3/attachment/${admins}`, as(CHLOE));
      expect(refused.status).toBe(403);
      expect(refused.body.errorMessages).toEqual([`You do not have permission to delete attachment with id: ${admins}`]);
      expect((await h.call('DELETE', `/rest/api/3/attachment/${chloes}`, as(BEN))).status).toBe(403);
      expect((await h.call('DELETE', `/rest/api/3/attachment/${chloes}`, as(CHLOE))).status).toBe(204);
      expect((await h.call('DELETE', `/rest/api/3/attachment/${admins}`, as(AVA))).status).toBe(204);
    });
  });

  describe('links', () => {
    const link = { type: { name: 'Relates' }, inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'TEST-1' } };

    it('needs both issues visible and Link Issues on both', async () => {
      const hidden = await h.call('POST', '/rest/api/3/issueLink', { body: link, ...as(BEN) });
      expect(hidden.status).toBe(404);
      expect(hidden.body.errorMessages).toEqual([HIDDEN]);
      const refused = await h.call('POST', '/rest/api/3/issueLink', { body: link, ...as(CHLOE) });
      expect(refused.status).toBe(404);
      expect(refused.body.errorMessages).toEqual(["No Link Issue Permission for issue 'TEST-1'"]);
      expect((await h.call('POST', '/rest/api/3/issueLink', { body: link, ...as(DAN) })).status).toBe(201);
    });

    it('shows and deletes a link only to those who see both ends', async () => {
      await h.call('POST', '/rest/api/3/issueLink', { body: link });
      const linkId = (await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks')).body.fields.issuelinks[0].id as string;
      expect((await h.call('GET', `/rest/api/3/issueLink/${linkId}`, as(BEN))).status).toBe(404);
      expect((await h.call('GET', `/rest/api/3/issueLink/${linkId}`, as(CHLOE))).status).toBe(200);
      expect((await h.call('DELETE', `/rest/api/3/issueLink/${linkId}`, as(BEN))).status).toBe(404);
      expect((await h.call('DELETE', `/rest/api/3/issueLink/${linkId}`, as(DAN))).status).toBe(204);
    });

    it('needs Link Issues for remote links (403)', async () => {
      const remote = { globalId: 'x-1', object: { url: 'https://example.com/1', title: 'Elsewhere' } };
      const refused = await h.call('POST', '/rest/api/3/issue/TEST-1/remotelink', { body: remote, ...as(CHLOE) });
      expect(refused.status).toBe(403);
      expect(refused.body.errorMessages).toEqual(['You do not have permission to link issues in this project.']);
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/remotelink', { body: remote, ...as(BEN) })).status).toBe(404);
      expect((await h.call('POST', '/rest/api/3/issue/TEST-1/remotelink', { body: remote, ...as(DAN) })).status).toBe(201);
      expect((await h.call('DELETE', '/rest/api/3/issue/TEST-1/remotelink?globalId=x-1', as(CHLOE))).status).toBe(403);
      expect((await h.call('DELETE', '/rest/api/3/issue/TEST-1/remotelink?globalId=x-1', as(DAN))).status).toBe(204);
    });
  });

  describe('issue properties', () => {
    it('needs Edit Issues to set (403) or delete (404) a property', async () => {
      const refused = await h.call('PUT', '/rest/api/3/issue/TEST-1/properties/note', { body: { a: 1 }, ...as(CHLOE) });
      expect(refused.status).toBe(403);
      expect(refused.body.errorMessages).toEqual(['You do not have permission to edit issues in this project.']);
      expect((await h.call('PUT', '/rest/api/3/issue/TEST-1/properties/note', { body: { a: 1 }, ...as(DAN) })).status).toBe(201);
      expect((await h.call('GET', '/rest/api/3/issue/TEST-1/properties/note', as(CHLOE))).body.value).toEqual({ a: 1 });
      expect((await h.call('DELETE', '/rest/api/3/issue/TEST-1/properties/note', as(CHLOE))).status).toBe(404);
      expect((await h.call('DELETE', '/rest/api/3/issue/TEST-1/properties/note', as(DAN))).status).toBe(204);
    });
  });
});

describe('permissions on green', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('green');
  });
  afterEach(() => h.close());

  it('seeds a Jira admin, a project admin of SC only, and people who see only some projects', async () => {
    const KEYS = ['ADMINISTER', 'ADMINISTER_PROJECTS', 'BROWSE_PROJECTS', 'EDIT_ISSUES'];
    const row = async (accountId: string, project: string) => {
      const answer = await h.call('GET', `/rest/api/3/mypermissions?permissions=${KEYS.join(',')}&projectKey=${project}`, as(accountId));
      return answer.status === 404 ? 'hidden' : KEYS.map((k) => answer.body.permissions[k].havePermission);
    };
    expect(await row(GIA, 'SC')).toEqual([true, true, true, true]);
    expect(await row(GIA, 'CM')).toEqual([true, true, true, true]);
    expect(await row(HUGO, 'SC')).toEqual([false, true, true, true]);
    expect(await row(HUGO, 'CM')).toBe('hidden');
    expect(await row(IRIS, 'SC')).toEqual([false, false, true, true]);
    expect(await row(IRIS, 'CM')).toEqual([false, false, true, false]);
    expect(await row(JACK, 'SC')).toBe('hidden');
    expect(await row(JACK, 'CM')).toEqual([false, false, true, true]);
    expect(await row(SAM, 'SC')).toEqual([false, false, true, true]);
    expect(await row(SAM, 'CM')).toEqual([false, false, true, true]);
  });

  it('enforces them on issues', async () => {
    expect((await h.call('GET', '/rest/api/3/issue/SC-1', as(JACK))).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issue/CM-1', as(HUGO))).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issue/CM-1', as(JACK))).status).toBe(200);
    const edit = { fields: { summary: 'Edited' } };
    expect((await h.call('PUT', '/rest/api/3/issue/CM-1', { body: edit, ...as(IRIS) })).status).toBe(400);
    expect((await h.call('PUT', '/rest/api/3/issue/CM-1', { body: edit, ...as(JACK) })).status).toBe(204);
    expect((await h.call('POST', '/rest/api/3/issue/CM-1/comment', { body: { body: adf('Seen') }, ...as(IRIS) })).status).toBe(201);
  });
});

describe('permissions in stored data', () => {
  it('keeps them across reopen, and gives a site seeded before schemes existed the seed\'s own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jira-perms-'));
    try {
      const first = await openHarness('blue', { dataDir });
      const created = await first.call('POST', '/rest/api/3/issue', {
        body: { fields: { project: { key: 'TEST' }, issuetype: { name: 'Task' }, summary: 'Made before the upgrade' } },
      });
      first.close();

      // What a database written before permission schemes looks like: no grants, roles or groups.
      const db = new Database(join(dataDir, 'blue-jira.sqlite'));
      db.exec(`DELETE FROM permission_grants; DELETE FROM project_roles; DELETE FROM user_groups;
        DELETE FROM meta WHERE key IN ('permissionsSeeded', 'permissionScheme');`);
      db.close();

      for (let open = 0; open < 2; open++) {
        const site = await openHarness('blue', { dataDir });
        try {
          expect((await site.call('GET', `/rest/api/3/issue/${created.body.key}`, as(BEN))).status).toBe(404);
          expect((await site.call('GET', `/rest/api/3/issue/${created.body.key}`, as(DAN))).status).toBe(200);
          expect(await permissions(site, as(DAN), ['ADMINISTER_PROJECTS'], '&projectKey=UD')).toEqual({ ADMINISTER_PROJECTS: true });
        } finally {
          site.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
