import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, invoke, jira, twoSites } from '../integration/helpers';

// What a person without the rights tries, step by step, and what stays as it
// was. The path: a plain user opens the issue panel and tries to send another
// project's issues to a site of their choosing.

const BEN = '712020:b1e00000-2222-4000-8000-000000000002'; // a plain user on blue
const DAN = '712020:b1e00000-4444-4000-8000-000000000004'; // administers UD on blue, a developer in TEST
const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003'; // a developer in UD, may only browse and comment in TEST
const HUGO = '712020:96ee0000-2222-4000-8000-000000000002'; // administers SC on green, cannot see CM

let rt: Awaited<ReturnType<typeof twoSites>>;
let connectionId: string;
let udIssue: string;
let testIssue: string;

function storageDigest(site: string): string {
  const db = new Database(join(rt.dataDir, 'forge.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT space, key, value FROM kvs WHERE installation = ? ORDER BY space, key').all(`local-${site}`);
    const queued = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get();
    return createHash('sha256').update(JSON.stringify([rows, queued])).digest('hex');
  } finally {
    db.close();
  }
}

async function firstIssue(project: string): Promise<string> {
  const found = await jira<{ issues: { key: string }[] }>(rt, 'blue', 'POST', '/search/jql', { jql: `project = ${project} ORDER BY key`, maxResults: 1, fields: ['summary'] });
  return found.body.issues[0]!.key;
}

const panel = (issueKey: string) => ({ moduleKey: 'exalate-issue-panel', extension: { issue: { key: issueKey } } });
const projectPage = (projectKey: string) => ({ moduleKey: 'exalate-project-settings', extension: { project: { key: projectKey } } });

beforeAll(async () => {
  rt = await twoSites();
  ({ blueConnectionId: connectionId } = await connect(rt));
  udIssue = await firstIssue('UD');
  testIssue = await firstIssue('TEST');
  await rt.settle();
});

afterAll(() => rt?.close());

describe('a plain user trying to send issues elsewhere', () => {
  it('is refused at every step, and nothing is written or sent', async () => {
    const blueBefore = storageDigest('blue');
    const greenBefore = storageDigest('green');
    const greenIssues = (await jira(rt, 'green', 'POST', '/search/jql', { jql: 'project = SC', maxResults: 100, fields: ['summary'] })).body.issues.length;

    const attempts: [string, string, unknown, Record<string, unknown>, RegExp][] = [
      // Make a private connection of their own, from any page.
      [BEN, 'initiateConnection', { destinationUrl: null, mode: 'script', localName: 'Blue', remoteName: 'Mine', projectKey: 'TEST' }, panel(udIssue), /"initiateConnection" cannot be called from the module exalate-issue-panel/],
      [BEN, 'initiateConnection', { destinationUrl: null, mode: 'script', localName: 'Blue', remoteName: 'Mine', projectKey: 'TEST' }, { moduleKey: 'exalate-admin' }, /\(ADMINISTER\)/],
      [BEN, 'initiateConnection', { destinationUrl: null, mode: 'basic', localName: 'Blue', remoteName: 'Mine', projectKey: 'TEST' }, projectPage('TEST'), /\(ADMINISTER_PROJECTS\) on project TEST/],
      // Change what an existing connection sends, or switch it off.
      [BEN, 'publishRules', { connectionId, outgoing: 'replica.summary = issue.summary;', incoming: '' }, panel(udIssue), /"publishRules" cannot be called from the module exalate-issue-panel/],
      [BEN, 'publishRules', { connectionId, outgoing: 'replica.summary = issue.summary;', incoming: '' }, { moduleKey: 'exalate-admin' }, /\(ADMINISTER\)/],
      [BEN, 'setConnectionActive', { connectionId, active: false }, { moduleKey: 'exalate-admin' }, /\(ADMINISTER\)/],
      [BEN, 'deleteConnection', { connectionId }, projectPage('UD'), /\(ADMINISTER_PROJECTS\) on project UD/],
      // Exalate an issue of another project: by naming it in the payload, from a panel they cannot see or may not edit,
      // or from its own panel into a connection of another project.
      [BEN, 'exalateIssue', { connectionId, issueKey: testIssue }, panel(udIssue), new RegExp(`This panel belongs to ${udIssue}; it cannot act on ${testIssue}`)],
      [BEN, 'exalateIssue', { connectionId }, panel(testIssue), new RegExp(`\\(EDIT_ISSUES\\) on ${testIssue}`)],
      [CHLOE, 'exalateIssue', { connectionId }, panel(testIssue), new RegExp(`\\(EDIT_ISSUES\\) on ${testIssue}`)],
      [DAN, 'exalateIssue', { connectionId }, panel(testIssue), /syncs project UD, not .*'s project TEST/],
      [DAN, 'connectIssue', { connectionId, remoteIssueKey: 'SC-1' }, panel(testIssue), /syncs project UD, not .*'s project TEST/],
      // Connect with an initial sync (which would overwrite an issue on one side): the same rights as any Connect.
      [BEN, 'connectIssue', { connectionId, remoteIssueKey: 'SC-1', initialSync: 'this-side' }, panel(testIssue), new RegExp(`\\(EDIT_ISSUES\\) on ${testIssue}`)],
      [CHLOE, 'connectIssue', { connectionId, remoteIssueKey: 'SC-1', initialSync: 'other-side' }, panel(testIssue), new RegExp(`\\(EDIT_ISSUES\\) on ${testIssue}`)],
      [DAN, 'connectIssue', { connectionId, remoteIssueKey: 'SC-1', initialSync: 'this-side' }, panel(testIssue), /syncs project UD, not .*'s project TEST/],
      [BEN, 'exalateIssue', { connectionId, issueKey: testIssue }, { moduleKey: 'exalate-admin' }, /\(ADMINISTER\)/],
      // Read another issue's sync history through the panel, or one they cannot see at all.
      [BEN, 'getIssueHistory', { issueKey: testIssue }, panel(udIssue), new RegExp(`This panel belongs to ${udIssue}`)],
      [BEN, 'getIssueSyncStatus', {}, panel(testIssue), new RegExp(`\\(BROWSE_PROJECTS\\) on ${testIssue}`)],
    ];
    for (const [person, key, payload, context, message] of attempts) {
      await expect(invoke(rt, 'blue', key, payload, { ...context, accountId: person }), `${key} ${JSON.stringify(context)}`).rejects.toThrow(message);
    }
    await rt.settle();
    expect(storageDigest('blue')).toBe(blueBefore);
    expect(storageDigest('green')).toBe(greenBefore);
    expect((await jira(rt, 'green', 'POST', '/search/jql', { jql: 'project = SC', maxResults: 100, fields: ['summary'] })).body.issues.length).toBe(greenIssues);
  });

  it('still lets the same user see and sync the issue their panel is open on, through a connection of its project', async () => {
    const status = await invoke<{ issueKey: string; operations: { exalate: { connectionId: string }[] } }>(rt, 'blue', 'getIssueSyncStatus', {}, { ...panel(udIssue), accountId: BEN });
    expect(status.issueKey).toBe(udIssue);
    expect(status.operations.exalate.map((c) => c.connectionId)).toContain(connectionId);
    await invoke(rt, 'blue', 'exalateIssue', { connectionId }, { ...panel(udIssue), accountId: BEN });
    await rt.settle();
    const after = await invoke<{ twins: { status: string; remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', {}, { ...panel(udIssue), accountId: BEN });
    expect(after.twins).toEqual([expect.objectContaining({ status: 'synchronized', remoteKey: expect.stringMatching(/^SC-/) })]);
  });
});

describe('the sync engine', () => {
  it('never sends an issue outside the connection\'s project, whatever queued the work', async () => {
    const test = await jira<{ id: string }>(rt, 'blue', 'GET', `/issue/${testIssue}?fields=project`);
    const greenCount = async () => (await jira(rt, 'green', 'POST', '/search/jql', { jql: 'project = SC', maxResults: 100, fields: ['summary'] })).body.issues.length;
    const before = await greenCount();
    // As if a stale or forged work item named it: the engine itself checks the scope.
    rt.forge.queue.push('local-blue', 'sync-work', 'scope-test', [{ eventId: 'scope-test-1', body: { kind: 'sync.outgoing', connectionId, localIssueId: test.body.id, cause: 'manual' }, deliverAt: Date.now() }]);
    await rt.settle();
    expect(await greenCount()).toBe(before);
    const status = await invoke<{ twins: unknown[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: testIssue });
    expect(status.twins).toEqual([]);
  });
});

describe('reads for a person', () => {
  it('show what Jira shows that person: the panel without actions for a reader, pickers without hidden projects', async () => {
    const asReader = await invoke<{ twins: unknown[]; operations: { exalate: unknown[]; unexalate: unknown[] } }>(rt, 'blue', 'getIssueSyncStatus', {}, { ...panel(testIssue), accountId: CHLOE });
    expect(asReader.operations.exalate).toEqual([]);
    expect(asReader.operations.unexalate).toEqual([]);
    const projects = await invoke<{ projects: { key: string }[] }>(rt, 'green', 'listProjects', {}, { ...projectPage('SC'), accountId: HUGO });
    expect(projects.projects.map((p) => p.key)).toEqual(['SC']);
    const asAdmin = await invoke<{ projects: { key: string }[] }>(rt, 'green', 'listProjects');
    expect(asAdmin.projects.map((p) => p.key)).toEqual(['CM', 'SC', 'SUP']);
  });
});

describe('a project admin', () => {
  it('manages only their project, and a local connection reaching another project needs its admin too', async () => {
    await expect(invoke(rt, 'blue', 'initiateConnection', { destinationUrl: (await invoke<{ exalateUrl: string }>(rt, 'blue', 'getInstance')).exalateUrl, mode: 'basic', localName: 'UD', remoteName: 'TEST', projectKey: 'UD', remoteProjectKey: 'TEST' }, { ...projectPage('UD'), accountId: DAN }))
      .rejects.toThrow(/\(ADMINISTER_PROJECTS\) on project TEST to connect it to this project/);
    const listed = await invoke<{ connections: unknown[] }>(rt, 'blue', 'listConnections', {}, { ...projectPage('UD'), accountId: DAN });
    // The Script connection of UD belongs to the Jira admin: not shown on the project page.
    expect(listed.connections).toEqual([]);
    await expect(invoke(rt, 'blue', 'setConnectionActive', { connectionId, active: false }, { ...projectPage('UD'), accountId: DAN })).rejects.toThrow(/Project settings manage Basic connections only/);
  });
});

describe('checks that cannot be made', () => {
  it('refuse (fail closed) when Jira cannot answer who the caller is, and do nothing', async () => {
    const before = storageDigest('blue');
    rt.site('blue').faults.setDown('unavailable');
    try {
      await expect(invoke(rt, 'blue', 'listConnections')).rejects.toThrow(/403: Your permissions could not be checked .*nothing was done/);
      await expect(invoke(rt, 'blue', 'deleteConnection', { connectionId })).rejects.toThrow(/403: Your permissions could not be checked/);
    } finally {
      rt.site('blue').faults.setDown(null);
    }
    expect(storageDigest('blue')).toBe(before);
    expect((await invoke<{ connections: { id: string }[] }>(rt, 'blue', 'listConnections')).connections.map((c) => c.id)).toContain(connectionId);
  });

  it('asks Jira once per call for the same permissions (cached for the invocation only)', async () => {
    const counters = rt.site('blue').counters;
    const before = counters.byOperation.getMyPermissions ?? 0;
    await invoke(rt, 'blue', 'getIssueSyncStatus', {}, { ...panel(udIssue), accountId: BEN });
    expect((counters.byOperation.getMyPermissions ?? 0) - before).toBe(1);
    await invoke(rt, 'blue', 'getIssueSyncStatus', {}, { ...panel(udIssue), accountId: BEN });
    expect((counters.byOperation.getMyPermissions ?? 0) - before).toBe(2);
  });
});
