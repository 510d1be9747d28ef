import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';
import { create, edit, exalate, history, listed, read, type Runtime, type Site } from './fields-support';

// Issue links, worklogs, components and fix versions under the default Script
// rules, between blue WEB and green SUP (both have components and versions:
// Frontend, Backend on both; Content only on blue, Billing only on green).

let rt: Runtime;
let web: { blueConnectionId: string; greenConnectionId: string };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  rt = await twoSites();
  web = await connect(rt, { blueProject: 'WEB', greenProject: 'SUP' });
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

type Link = { id: string; type: { name: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } };
const linksOf = async (site: Site, key: string) => ((await read(rt, site, key)).fields.issuelinks ?? []) as Link[];
const describeLinks = (links: Link[]) => links.map((l) => `${l.type.name} ${l.outwardIssue ? `→ ${l.outwardIssue.key}` : `← ${l.inwardIssue!.key}`}`).sort();
const worklogsOf = async (site: Site, key: string) =>
  (await jira(rt, site, 'GET', `/issue/${key}/worklog`)).body.worklogs as { id: string; timeSpentSeconds: number; started: string; comment?: unknown }[];
const names = (items: { name: string }[] | undefined) => (items ?? []).map((i) => i.name).sort();

async function link(site: Site, type: string, from: string, to: string) {
  const made = await jira(rt, site, 'POST', '/issueLink', { type: { name: type }, inwardIssue: { key: from }, outwardIssue: { key: to } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
}

describe('issue links', () => {
  it('mirrors a link between two synced issues, and its deletion, from either side', async () => {
    const a = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Login page broken' });
    const b = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Session cookie expires early' });
    const twinA = await exalate(rt, web.blueConnectionId, a.key);
    const twinB = await exalate(rt, web.blueConnectionId, b.key);

    await link('blue', 'Blocks', b.key, a.key);
    await drain(rt);
    expect(describeLinks(await linksOf('green', twinB.remoteKey))).toEqual([`Blocks → ${twinA.remoteKey}`]);
    expect(describeLinks(await linksOf('green', twinA.remoteKey))).toEqual([`Blocks ← ${twinB.remoteKey}`]);

    // Green removes the mirror: blue's link goes too.
    const mirrored = (await linksOf('green', twinA.remoteKey))[0]!;
    expect((await jira(rt, 'green', 'DELETE', `/issueLink/${mirrored.id}`)).status).toBe(204);
    await drain(rt);
    expect(await linksOf('blue', a.key)).toEqual([]);
    expect(await linksOf('blue', b.key)).toEqual([]);

    // Green links them the other way round: blue follows.
    await link('green', 'Relates', twinA.remoteKey, twinB.remoteKey);
    await drain(rt);
    expect(describeLinks(await linksOf('blue', a.key))).toEqual([`Relates → ${b.key}`]);
    // Nothing echoes: both sides hold one link each, and no errors are listed.
    expect(await linksOf('green', twinA.remoteKey)).toHaveLength(1);
    expect(await listed(rt, 'blue', web.blueConnectionId)).toEqual([]);
    expect(await listed(rt, 'green', web.greenConnectionId)).toEqual([]);
  });

  it('records a link to an issue that is not synced, without an error, and mirrors it once that issue is synced', async () => {
    const a = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Footer overlaps' });
    const other = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Not synced yet' });
    const twinA = await exalate(rt, web.blueConnectionId, a.key);
    await link('blue', 'Blocks', a.key, other.key);
    await drain(rt);
    expect(await linksOf('green', twinA.remoteKey)).toEqual([]);
    const notes = (await history(rt, 'green', twinA.remoteKey)).flatMap((h) => h.warnings ?? []);
    expect(notes.some((w) => /not mirrored: that issue is not synced/.test(w))).toBe(true);
    expect((await listed(rt, 'green', web.greenConnectionId)).filter((e) => e.issueKey === twinA.remoteKey)).toEqual([]);

    const twinOther = await exalate(rt, web.blueConnectionId, other.key);
    expect(describeLinks(await linksOf('green', twinOther.remoteKey))).toEqual([`Blocks ← ${twinA.remoteKey}`]);
  });

  it('skips a link whose type the other side lacks, with a warning, unless the connection may create it', async () => {
    // Green has no "Causes" type; blue gets one from its admin.
    const made = await jira(rt, 'blue', 'POST', '/issueLinkType', { name: 'Causes', inward: 'is caused by', outward: 'causes' });
    expect(made.status).toBe(201);
    const a = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Cache stale' });
    const b = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Prices wrong' });
    const twinA = await exalate(rt, web.blueConnectionId, a.key);
    await exalate(rt, web.blueConnectionId, b.key);
    await link('blue', 'Causes', a.key, b.key);
    await drain(rt);
    expect(await linksOf('green', twinA.remoteKey)).toEqual([]);
    const errors = await listed(rt, 'green', web.greenConnectionId);
    expect(errors.some((e) => e.kind === 'value-refused' && /Link type "Causes" does not exist here/.test(e.message))).toBe(true);

    // Allowed to create it: the app asks Jira, which needs Administer Jira for link types; the emulator's app
    // user holds project permissions only, so Jira refuses and the warning names that refusal.
    await expect(invoke(rt, 'green', 'setCreateMissing', { connectionId: web.greenConnectionId, create: true }, { accountId: '712020:96ee0000-2222-4000-8000-000000000002' })).rejects.toThrow(/403/);
    // Refused, and nothing written: the switch is still off.
    const rows = await invoke<{ connections: { id: string; createMissing: boolean }[] }>(rt, 'green', 'listConnections', {});
    expect(rows.connections.find((c) => c.id === web.greenConnectionId)?.createMissing).toBe(false);
    await invoke(rt, 'green', 'setCreateMissing', { connectionId: web.greenConnectionId, create: true });
    try {
      await link('blue', 'Causes', b.key, a.key);
      await drain(rt);
    } finally {
      await invoke(rt, 'green', 'setCreateMissing', { connectionId: web.greenConnectionId, create: false });
    }
    const after = await listed(rt, 'green', web.greenConnectionId);
    expect(after.some((e) => /Link type "Causes" does not exist here and Jira refused to create it/.test(e.message))).toBe(true);
    expect(await linksOf('green', twinA.remoteKey)).toEqual([]);
  });
});

describe('worklogs', () => {
  it('copies worklogs with time spent, start and comment; edits and deletions follow; copies never come back', async () => {
    const a = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Measure page speed' });
    const twinA = await exalate(rt, web.blueConnectionId, a.key);
    const logged = await jira(rt, 'blue', 'POST', `/issue/${a.key}/worklog`, { timeSpentSeconds: 5400, started: '2026-11-30T10:00:00.000+0000', comment: adf('Profiling') });
    expect(logged.status).toBe(201);
    await drain(rt);
    let copies = await worklogsOf('green', twinA.remoteKey);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.timeSpentSeconds).toBe(5400);
    expect(Date.parse(copies[0]!.started.replace(/(\d\d)(\d\d)$/, '$1:$2'))).toBe(Date.parse('2026-11-30T10:00:00Z'));
    expect(JSON.stringify(copies[0]!.comment)).toContain('Profiling');
    // The copy is written by the app, so it names its author and the site it was logged on.
    expect(JSON.stringify(copies[0]!.comment)).toContain('Ava Blue, on BlueJira:');

    // Edited on blue: the copy follows. Green then edits its summary: blue's worklogs stay one.
    await jira(rt, 'blue', 'PUT', `/issue/${a.key}/worklog/${logged.body.id}`, { timeSpentSeconds: 7200, started: '2026-11-30T10:00:00.000+0000', comment: adf('Profiling, twice') });
    await drain(rt);
    copies = await worklogsOf('green', twinA.remoteKey);
    expect(copies.map((w) => w.timeSpentSeconds)).toEqual([7200]);
    expect(JSON.stringify(copies[0]!.comment)).toContain('twice');
    await edit(rt, 'green', twinA.remoteKey, { summary: 'Measure page speed (green)' });
    await drain(rt);
    expect(await worklogsOf('blue', a.key)).toHaveLength(1);

    // Green logs its own: it travels to blue; deleted on blue's side of origin, its copy goes.
    const own = await jira(rt, 'green', 'POST', `/issue/${twinA.remoteKey}/worklog`, { timeSpentSeconds: 600, started: '2026-12-01T08:00:00.000+0000' });
    expect(own.status).toBe(201);
    await drain(rt);
    expect((await worklogsOf('blue', a.key)).map((w) => w.timeSpentSeconds).sort()).toEqual([600, 7200]);
    expect((await jira(rt, 'blue', 'DELETE', `/issue/${a.key}/worklog/${logged.body.id}`)).status).toBe(204);
    await drain(rt);
    expect((await worklogsOf('green', twinA.remoteKey)).map((w) => w.timeSpentSeconds)).toEqual([600]);
    expect((await worklogsOf('blue', a.key)).map((w) => w.timeSpentSeconds)).toEqual([600]);
  });
});

describe('components and fix versions', () => {
  it('syncs them by name; a name the other project lacks is skipped with a warning, or created when allowed', async () => {
    const a = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'New checkout', components: [{ name: 'Frontend' }], fixVersions: [{ name: '1.1' }] });
    const twinA = await exalate(rt, web.blueConnectionId, a.key);
    let there = (await read(rt, 'green', twinA.remoteKey)).fields;
    expect(names(there.components)).toEqual(['Frontend']);
    expect(names(there.fixVersions)).toEqual(['1.1']);

    // Changed on green: blue follows.
    await edit(rt, 'green', twinA.remoteKey, { components: [{ name: 'Backend' }, { name: 'Frontend' }], fixVersions: [{ name: '2.0' }] });
    await drain(rt);
    const here = (await read(rt, 'blue', a.key)).fields;
    expect(names(here.components)).toEqual(['Backend', 'Frontend']);
    expect(names(here.fixVersions)).toEqual(['2.0']);

    // "Content" and version "3.0" exist only on blue: green keeps the rest and lists a warning for each.
    await jira(rt, 'blue', 'POST', '/version', { project: 'WEB', name: '3.0' });
    await edit(rt, 'blue', a.key, { components: [{ name: 'Content' }, { name: 'Frontend' }], fixVersions: [{ name: '3.0' }] });
    await drain(rt);
    there = (await read(rt, 'green', twinA.remoteKey)).fields;
    expect(names(there.components)).toEqual(['Frontend']);
    expect(names(there.fixVersions)).toEqual([]);
    const warnings = (await listed(rt, 'green', web.greenConnectionId)).map((e) => e.message);
    expect(warnings.some((m) => /Component "Content" does not exist in project SUP/.test(m))).toBe(true);
    expect(warnings.some((m) => /Fix version "3.0" does not exist in project SUP/.test(m))).toBe(true);

    // Allowed to create missing values, green makes them (the app administers its projects) and sets them.
    await invoke(rt, 'green', 'setCreateMissing', { connectionId: web.greenConnectionId, create: true });
    await edit(rt, 'blue', a.key, { components: [{ name: 'Content' }], fixVersions: [{ name: '3.0' }, { name: '1.0' }] });
    await drain(rt);
    there = (await read(rt, 'green', twinA.remoteKey)).fields;
    expect(names(there.components)).toEqual(['Content']);
    expect(names(there.fixVersions)).toEqual(['1.0', '3.0']);
    const projectComponents = (await jira(rt, 'green', 'GET', '/project/SUP/components')).body as unknown as { name: string }[];
    expect(projectComponents.map((c) => c.name)).toContain('Content');
    await invoke(rt, 'green', 'setCreateMissing', { connectionId: web.greenConnectionId, create: false });
  });
});
