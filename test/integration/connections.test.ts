import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adf, invoke, jira, twoSites } from './helpers';

// Connections of every kind, made through the resolvers of the two emulated
// sites, as the admin pages make them: public (invitation code and admin
// access), private ("I don't have a URL") and local (two projects of one
// site); a ping both ways; deactivate, reactivate and delete.

let rt: Awaited<ReturnType<typeof twoSites>>;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites();
});
afterEach(() => {
  rt?.close();
  vi.useRealTimers();
});

type Row = { id: string; status: string; kind: string; side: string | null; remoteName: string; issuesUnderSync: number };
const rows = async (site: string) => (await invoke<{ connections: Row[] }>(rt, site, 'listConnections')).connections;
const ping = (site: string, connectionId: string) => invoke<{ reachable: boolean | null; queued?: boolean }>(rt, site, 'pingConnection', { connectionId });

/** The private side polls on a chain of delayed queue events: let its interval pass. */
async function letPollsRun(times = 2) {
  for (let i = 0; i < times; i++) {
    vi.setSystemTime(Date.now() + 21_000);
    await rt.settle();
  }
}

describe('connections in the local runtime', () => {
  it('makes a public connection from an invitation code; both sides are Active and ping each other', async () => {
    const green = await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance');
    const initiated = await invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: green.exalateUrl, mode: 'script', localName: 'BlueJira', remoteName: 'GreenJira', projectKey: 'UD',
    });
    expect((await rows('blue'))[0]).toMatchObject({ status: 'Pending', kind: 'public' });
    const accepted = await invoke<{ connectionId: string }>(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: 'SC' });
    await rt.settle();
    expect((await rows('blue'))[0]).toMatchObject({ status: 'Active', remoteName: 'GreenJira' });
    expect((await rows('green'))[0]).toMatchObject({ status: 'Active', remoteName: 'BlueJira' });
    expect(await ping('blue', initiated.connectionId)).toMatchObject({ reachable: true });
    expect(await ping('green', accepted.connectionId)).toMatchObject({ reachable: true });
    // The code is single-use.
    await expect(invoke(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: 'CM' })).rejects.toThrow(/already used/);
  });

  it('makes a public connection through the admin-access flow: the accept page carries the code', async () => {
    const green = await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance');
    const initiated = await invoke<{ connectionId: string; acceptUrl: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: green.exalateUrl, mode: 'basic', localName: 'BlueJira', remoteName: 'GreenJira', projectKey: 'UD', adminAccess: true,
    });
    // Green's admin page where Jira serves Forge admin pages; locally it leads to the same host page.
    const acceptUrl = new URL(initiated.acceptUrl);
    expect(acceptUrl.pathname).toMatch(/^\/green\/jira\/settings\/apps\/[^/]+\/local\/connections$/);
    const redirect = await rt.fetch(initiated.acceptUrl);
    expect(redirect.status).toBe(302);
    const hostPage = new URL(redirect.headers.get('location')!, rt.baseUrl);
    expect(hostPage.pathname).toBe('/green/apps/exalate-admin/connections');
    expect(hostPage.searchParams.get('invitation')).toBe(acceptUrl.searchParams.get('invitation'));
    expect((await rt.fetch(hostPage.toString())).status).toBe(200);
    await invoke(rt, 'green', 'acceptInvitation', { invitationCode: acceptUrl.searchParams.get('invitation'), projectKey: 'SC' });
    await rt.settle();
    expect((await rows('blue'))[0]).toMatchObject({ status: 'Active' });
    expect(await ping('blue', initiated.connectionId)).toMatchObject({ reachable: true });
  });

  it('makes a private connection: the private side is never called, and still hears everything by polling', async () => {
    const greenSite = (await invoke<{ siteUrl: string }>(rt, 'green', 'getInstance')).siteUrl;
    const initiated = await invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: null, mode: 'script', localName: 'BlueJira', remoteName: 'unknown', projectKey: 'UD', partnerSiteUrl: greenSite,
    });
    const accepted = await invoke<{ connectionId: string }>(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: 'SC' });
    await rt.settle();
    expect((await rows('blue'))[0]).toMatchObject({ kind: 'private', side: 'public', status: 'Active' });
    expect((await rows('green'))[0]).toMatchObject({ kind: 'private', side: 'private', status: 'Active' });

    // Nothing may ever reach green's endpoint: take it down and the connection still works.
    rt.site('green').faults.setDown('unavailable');
    const fromPublic = await ping('blue', initiated.connectionId);
    expect(fromPublic).toMatchObject({ queued: true });
    rt.site('green').faults.setDown(null);
    expect(await ping('green', accepted.connectionId)).toMatchObject({ reachable: true });

    // An issue exalated on the public side reaches the private side at its next poll.
    const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Private sync', description: adf('via polling') } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: initiated.connectionId, issueKey: created.body.key });
    await rt.settle();
    await letPollsRun(3);
    const status = await invoke<{ twins: { remoteKey: string; status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    expect(status.twins[0]).toMatchObject({ status: 'synchronized', remoteKey: expect.stringMatching(/^SC-/) });
  });

  it('makes a local connection between two projects of one site, both halves at once', async () => {
    const blue = await invoke<{ exalateUrl: string }>(rt, 'blue', 'getInstance');
    const made = await invoke<{ connectionId: string; invitationCode?: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: blue.exalateUrl, mode: 'script', localName: 'UI', remoteName: 'Test', projectKey: 'UD', remoteProjectKey: 'TEST',
    });
    expect(made.invitationCode).toBeUndefined();
    const local = await rows('blue');
    expect(local).toHaveLength(2);
    expect(local.every((r) => r.kind === 'local' && r.status === 'Active')).toBe(true);
    expect(await ping('blue', made.connectionId)).toMatchObject({ reachable: true });

    const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Local sync' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: made.connectionId, issueKey: created.body.key });
    await rt.settle();
    const status = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    expect(status.twins[0]!.remoteKey).toMatch(/^TEST-/);
  });

  it('holds changes while deactivated and sends them on reactivation; delete stops syncing and keeps the issues', async () => {
    const green = await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance');
    const initiated = await invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: green.exalateUrl, mode: 'script', localName: 'BlueJira', remoteName: 'GreenJira', projectKey: 'UD',
    });
    const accepted = await invoke<{ connectionId: string }>(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: 'SC' });
    await rt.settle();
    const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'before' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: initiated.connectionId, issueKey: created.body.key });
    await rt.settle();
    const remoteKey = (await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key })).twins[0]!.remoteKey;

    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: initiated.connectionId, active: false });
    expect((await rows('blue'))[0]!.status).toBe('Deactivated');
    await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: 'while deactivated' } });
    await rt.settle();
    expect((await jira(rt, 'green', 'GET', `/issue/${remoteKey}`)).body.fields.summary).toBe('before');
    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: initiated.connectionId, active: true });
    await rt.settle();
    expect((await jira(rt, 'green', 'GET', `/issue/${remoteKey}`)).body.fields.summary).toBe('while deactivated');

    await invoke(rt, 'blue', 'deleteConnection', { connectionId: initiated.connectionId });
    await rt.settle();
    expect(await rows('blue')).toEqual([]);
    // Green keeps its row, marked, until its own admin deletes it.
    expect((await rows('green')).find((r) => r.id === accepted.connectionId)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted' });
    expect((await invoke<{ twins: unknown[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key })).twins).toEqual([]);
    expect((await jira(rt, 'green', 'GET', `/issue/${remoteKey}`)).status).toBe(200);
    expect((await jira(rt, 'blue', 'GET', `/issue/${created.body.key}`)).status).toBe(200);
  });
});
