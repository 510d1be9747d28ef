import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, twoSites } from './helpers';
import { addRules, create, edit, exalate, history, listed, read, transition, twinOf, type Runtime } from './fields-support';

// Status through drawn workflows: blue WEB (Backlog → To Do → In Progress →
// In Review → Done → Reopened → To Do) and green SUP (the same from Triage and
// Open, plus a global Close into Done). A status the other side reached in
// one step may take several here, or none may lead there; priority and status
// changed on one side and changed back on the other converge (UD ↔ SC).

let rt: Runtime;
let web: { blueConnectionId: string; greenConnectionId: string };
let ud: { blueConnectionId: string; greenConnectionId: string };

const statusLine = (map: Record<string, string>) => `
var statusMap = ${JSON.stringify(map)};
if (replica.status) issue.setStatus(statusMap[replica.status.name] ?? replica.status.name);
issue.priority = nodeHelper.getPriority(replica.priority?.name) ?? issue.priority;
if (replica.labels?.includes("back-to-triage")) issue.setStatus("Triage");
`;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  rt = await twoSites();
  web = await connect(rt, { blueProject: 'WEB', greenProject: 'SUP' });
  ud = await connect(rt);
  await addRules(rt, 'blue', web.blueConnectionId, { incoming: statusLine({ Triage: 'Backlog', Open: 'To Do' }) });
  await addRules(rt, 'green', web.greenConnectionId, { incoming: statusLine({ Backlog: 'Triage', 'To Do': 'Open' }) });
  await addRules(rt, 'blue', ud.blueConnectionId, { incoming: statusLine({ Open: 'To Do' }) });
  await addRules(rt, 'green', ud.greenConnectionId, { incoming: statusLine({ 'To Do': 'Open' }) });
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const statusOf = async (site: 'blue' | 'green', key: string) => (await read(rt, site, key)).fields.status.name as string;

describe('status through workflows', () => {
  it('reaches a status that takes several transitions here, in whichever number of steps each workflow needs', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Checkout button hidden' });
    const twin = await exalate(rt, web.blueConnectionId, issue.key);
    expect(await statusOf('green', twin.remoteKey)).toBe('Triage');

    // Blue walks the whole review: green gets there by its global Close, in one step.
    for (const to of ['To Do', 'In Progress', 'In Review', 'Done']) await transition(rt, 'blue', issue.key, to);
    await drain(rt);
    expect(await statusOf('green', twin.remoteKey)).toBe('Done');

    // Green reopens and sends it back to work in two steps; blue follows through Reopened.
    await transition(rt, 'green', twin.remoteKey, 'Reopened');
    await drain(rt);
    expect(await statusOf('blue', issue.key)).toBe('Reopened');
    await transition(rt, 'green', twin.remoteKey, 'Open');
    await transition(rt, 'green', twin.remoteKey, 'In Progress');
    await transition(rt, 'green', twin.remoteKey, 'In Review');
    await drain(rt);
    // Reopened → To Do → In Progress → In Review: three transitions on blue for one replica.
    expect(await statusOf('blue', issue.key)).toBe('In Review');
    const statusLines = (await history(rt, 'blue', issue.key)).flatMap((e) => e.changes).filter((c) => c.field === 'status');
    expect(statusLines.at(0)).toMatchObject({ from: 'Reopened', to: 'In Review' });
    expect((await twinOf(rt, 'blue', issue.key)).status).toBe('synchronized');
  });

  it('records on the issue, and in the errors list, a status no transition leads to, and syncs the rest', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'WEB' }, summary: 'Footer links' });
    const twin = await exalate(rt, web.blueConnectionId, issue.key);
    await transition(rt, 'blue', issue.key, 'To Do');
    await drain(rt);
    expect(await statusOf('green', twin.remoteKey)).toBe('Open');

    // Blue starts work; green's script asks for Triage instead, which no status of its workflow leads back to.
    await edit(rt, 'blue', issue.key, { labels: ['back-to-triage'], summary: 'Footer links, again' });
    await transition(rt, 'blue', issue.key, 'In Progress');
    await drain(rt);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.status.name).toBe('Open');
    expect(green.fields.summary).toBe('Footer links, again');
    expect(green.fields.labels).toEqual(['back-to-triage']);

    const warning = (await history(rt, 'green', twin.remoteKey)).find((e) => e.direction === 'in' && e.warnings?.length)!;
    expect(warning.warnings!.join('\n')).toMatch(/No sequence of transitions .* from "Open" to "Triage".*left as it was/);
    const errors = await listed(rt, 'green', web.greenConnectionId);
    const entry = errors.find((e) => e.kind === 'status-unreachable' && e.issueKey === twin.remoteKey);
    expect(entry).toMatchObject({ severity: 'warning' });
    // A warning pauses nothing: the next change still syncs.
    expect((await twinOf(rt, 'green', twin.remoteKey)).status).toBe('synchronized');
    await edit(rt, 'blue', issue.key, { summary: 'Footer links, third take' });
    await drain(rt);
    expect((await read(rt, 'green', twin.remoteKey)).fields.summary).toBe('Footer links, third take');
  });

  it('converges when priority and status change on one side and change back on the other', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Back and forth', priority: { name: 'Medium' } });
    const twin = await exalate(rt, ud.blueConnectionId, issue.key);
    await edit(rt, 'blue', issue.key, { priority: { name: 'High' } });
    await transition(rt, 'blue', issue.key, 'In Progress');
    await drain(rt);
    expect((await read(rt, 'green', twin.remoteKey)).fields.priority.name).toBe('High');
    expect(await statusOf('green', twin.remoteKey)).toBe('In Progress');

    await edit(rt, 'green', twin.remoteKey, { priority: { name: 'Medium' } });
    await transition(rt, 'green', twin.remoteKey, 'Open');
    await drain(rt);
    const blue = await read(rt, 'blue', issue.key);
    expect(blue.fields.priority.name).toBe('Medium');
    expect(blue.fields.status.name).toBe('To Do');
    expect((await read(rt, 'green', twin.remoteKey)).fields.priority.name).toBe('Medium');
    expect(await statusOf('green', twin.remoteKey)).toBe('Open');
  });
});
