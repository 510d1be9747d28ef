// Assigning and watching issues, link types, and remote links whose input is
// checked against the contract's types before anything is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { openHarness, type Harness } from './harness';

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });

describe('assignee, watchers, link types and remote links', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  const assignee = async (key: string) => (await h.call('GET', `/rest/api/3/issue/${key}?fields=assignee`)).body.fields.assignee?.accountId ?? null;

  it('assigns to a person, to nobody and automatically, with the history and events of an edit', async () => {
    h.events.splice(0);
    expect((await h.call('PUT', '/rest/api/3/issue/UD-2/assignee', { body: { accountId: SAM } })).status).toBe(204);
    expect(await assignee('UD-2')).toBe(SAM);
    expect(h.events.splice(0).map((e) => e.eventType)).toEqual(['avi:jira:updated:issue', 'avi:jira:assigned:issue']);
    // The contract types accountId as a string, yet its description (and Jira) take null for "unassigned".
    expect((await h.call('PUT', '/rest/api/3/issue/UD-2/assignee', { body: { accountId: null }, offContract: true })).status).toBe(204);
    expect(await assignee('UD-2')).toBeNull();

    // Automatic: the component lead of WEB's Frontend.
    const web = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Auto', components: [{ name: 'Frontend' }], assignee: null } },
    });
    expect(await assignee(web.body.key)).toBeNull();
    await h.call('PUT', `/rest/api/3/issue/${web.body.key}/assignee`, { body: { accountId: '-1' } });
    expect(await assignee(web.body.key)).toBe(DAN);
    // Not naming an assignee on create is the same "Automatic".
    const auto = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Auto too', components: [{ name: 'Content' }] } },
    });
    expect(await assignee(auto.body.key)).toBe(AVA);

    const unknown = await h.call('PUT', '/rest/api/3/issue/UD-2/assignee', { body: { accountId: 'nobody' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual({ assignee: "User 'nobody' does not exist." });
    // Ben cannot see TEST, so he cannot be assigned its issues.
    const notAssignable = await h.call('PUT', '/rest/api/3/issue/TEST-1/assignee', { body: { accountId: BEN } });
    expect(notAssignable.body.errors).toEqual({ assignee: "User 'Ben Carter' cannot be assigned issues." });
    // Chloe browses TEST but may not assign there.
    expect((await h.call('PUT', '/rest/api/3/issue/TEST-1/assignee', { body: { accountId: CHLOE }, ...as(CHLOE) })).status).toBe(403);
    expect((await h.call('PUT', '/rest/api/3/issue/TEST-1/assignee', { body: { accountId: SAM }, ...as(BEN) })).status).toBe(404);
  });

  it('lets people watch and unwatch, and only watcher managers change who else watches', async () => {
    const watchers = async (caller: { as: Caller } = as(AVA)) => (await h.call('GET', '/rest/api/3/issue/UD-1/watchers', caller)).body;
    // The seed made UD-1 as Ava, who watches what she creates.
    expect(await watchers(as(BEN))).toMatchObject({ watchCount: 1, isWatching: false });
    // An empty body adds the caller, as Jira documents, though the contract marks the body required.
    expect((await h.call('POST', '/rest/api/3/issue/UD-1/watchers', { rawBody: '', offContract: true, ...as(BEN) })).status).toBe(204);
    expect((await h.call('POST', '/rest/api/3/issue/UD-1/watchers', { body: SAM, ...as(DAN) })).status).toBe(204);
    expect((await h.call('POST', '/rest/api/3/issue/UD-1/watchers', { body: SAM, ...as(CHLOE) })).status).toBe(403);
    const seen = await watchers(as(BEN));
    expect(seen).toMatchObject({ self: 'http://jira.test/blue/rest/api/3/issue/UD-1/watchers', watchCount: 3, isWatching: true });
    expect(seen.watchers.map((w: { displayName: string }) => w.displayName)).toEqual(['Ava Blue', 'Ben Carter', 'Sam Rivera']);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1?fields=watches', as(BEN))).body.fields.watches).toMatchObject({ watchCount: 3, isWatching: true });

    const hidden = await h.call('POST', '/rest/api/3/issue/TEST-1/watchers', { body: BEN });
    expect(hidden.body.errorMessages).toEqual(['The user "Ben Carter" does not have permission to view this issue. This user will not be added to the watch list.']);
    expect((await h.call('POST', '/rest/api/3/issue/UD-1/watchers', { body: 'ghost' })).status).toBe(404);
    expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/watchers?accountId=${encodeURIComponent(SAM)}`, as(BEN))).status).toBe(403);
    expect((await h.call('DELETE', `/rest/api/3/issue/UD-1/watchers?accountId=${encodeURIComponent(BEN)}`, as(BEN))).status).toBe(204);
    expect((await h.call('DELETE', '/rest/api/3/issue/UD-1/watchers', { offContract: true })).status).toBe(400);
    expect((await watchers()).watchCount).toBe(2);
    // People watch what they create; the app does not.
    const created = await h.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Mine' } }, ...as(BEN) });
    expect((await h.call('GET', `/rest/api/3/issue/${created.body.key}/watchers`)).body.watchers.map((w: { accountId: string }) => w.accountId)).toEqual([BEN]);
  });

  it('lets Jira admins create, rename and delete link types; deleting one deletes its links', async () => {
    const created = await h.call('POST', '/rest/api/3/issueLinkType', { body: { name: 'Causes', inward: 'is caused by', outward: 'causes' }, ...as(AVA) });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: created.body.id, name: 'Causes', inward: 'is caused by', outward: 'causes', self: `http://jira.test/blue/rest/api/3/issueLinkType/${created.body.id}` });
    expect((await h.call('POST', '/rest/api/3/issueLinkType', { body: { name: 'causes', inward: 'a', outward: 'b' }, ...as(AVA) })).status).toBe(404);
    expect((await h.call('POST', '/rest/api/3/issueLinkType', { body: { name: 'Half', inward: 'a' }, ...as(AVA) })).status).toBe(400);
    expect((await h.call('POST', '/rest/api/3/issueLinkType', { body: { name: 'Other', inward: 'a', outward: 'b' }, ...as(DAN) })).status).toBe(404);
    const renamed = await h.call('PUT', `/rest/api/3/issueLinkType/${created.body.id}`, { body: { outward: 'leads to' }, ...as(AVA) });
    expect(renamed.body).toMatchObject({ name: 'Causes', outward: 'leads to' });
    expect((await h.call('GET', `/rest/api/3/issueLinkType/${created.body.id}`)).body.outward).toBe('leads to');

    await h.call('POST', '/rest/api/3/issueLink', { body: { type: { name: 'Causes' }, inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'UD-2' } } });
    expect((await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks')).body.fields.issuelinks[0].type.outward).toBe('leads to');
    expect((await h.call('DELETE', `/rest/api/3/issueLinkType/${created.body.id}`, as(AVA))).status).toBe(204);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks')).body.fields.issuelinks).toEqual([]);
    expect((await h.call('GET', `/rest/api/3/issueLinkType/${created.body.id}`)).status).toBe(404);
  });

  it('refuses remote links whose values have the wrong types, and stores none of them', async () => {
    const bad: Record<string, unknown>[] = [
      { object: { url: 'https://example.com', title: 42 } },
      { object: { url: 'https://example.com', title: 'x', summary: { text: 'no' } } },
      { object: { url: 'https://example.com', title: 'x', icon: { url16x16: 16 } } },
      { object: { url: 'https://example.com', title: 'x', status: { resolved: 'yes' } } },
      { object: { url: 'https://example.com', title: 'x' }, application: 'Exalate' },
      { object: { url: 'https://example.com', title: 'x' }, relationship: ['relates'] },
      { object: { url: 'https://example.com', title: 'x' }, globalId: 7 },
      { object: 'https://example.com' },
      { object: { url: 'not a url', title: 'x' } },
    ];
    for (const body of bad) {
      const refused = await h.call('POST', '/rest/api/3/issue/UD-1/remotelink', { body, offContract: true });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.call('GET', '/rest/api/3/issue/UD-1/remotelink')).body).toEqual([]);
    const good = await h.call('POST', '/rest/api/3/issue/UD-1/remotelink', {
      body: { object: { url: 'https://example.com', title: 'x', icon: { url16x16: 'https://example.com/i.png' }, status: { resolved: true } }, extra: 'kept aside' },
    });
    expect(good.status).toBe(201);
    const stored = await h.call('PUT', `/rest/api/3/issue/UD-1/remotelink/${good.body.id}`, { body: { object: { url: 'https://example.com', title: 5 } }, offContract: true });
    expect(stored.status).toBe(400);
    expect((await h.call('GET', `/rest/api/3/issue/UD-1/remotelink/${good.body.id}`)).body.object.title).toBe('x');
  });
});
