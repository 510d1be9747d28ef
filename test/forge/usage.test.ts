import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageSnapshotSchema, type UsageSnapshot } from '../../src/local/forge/usage';
import { adf, connect, drain, invoke, jira, twoSites, withClockMoving } from '../integration/helpers';

// GET /<site>/_local/usage: each site's platform usage since start, counted
// where the platform answers the SDKs (storage, queue, invocations, Jira, the
// fetch router), so nothing the app does goes around it.

let rt: Awaited<ReturnType<typeof twoSites>>;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  rt = await twoSites();
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

async function usage(site: string): Promise<UsageSnapshot> {
  const response = await rt.fetch(`/${site}/_local/usage`);
  expect(response.status).toBe(200);
  return UsageSnapshotSchema.parse(await response.json());
}

describe('usage counters', () => {
  it('count storage, invocations by kind, events, Jira calls and fetches, per site', async () => {
    const { blueConnectionId } = await connect(rt);
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'counted' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await drain(rt);
    await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf('a comment, counted') });
    await drain(rt);
    rt.forge.fireScheduledTriggers();
    await drain(rt);

    const blue = await usage('blue');
    const green = await usage('green');
    expect(blue).toMatchObject({ site: 'blue', limitsEnforced: true });
    expect(blue.invocations.resolver).toBeGreaterThan(0);
    expect(blue.invocations.trigger).toBeGreaterThan(0);
    expect(blue.invocations.consumer).toBeGreaterThan(0);
    expect(blue.invocations.scheduled).toBe(1);
    expect(green.invocations.webtrigger).toBeGreaterThan(0);
    expect(blue.invocations.total).toBe(blue.invocations.resolver + blue.invocations.trigger + blue.invocations.consumer + blue.invocations.scheduled + blue.invocations.webtrigger);
    // Blue's deliveries reach green's web trigger through the app's fetch.
    expect(blue.fetches).toBeGreaterThan(0);
    expect(blue.events.pushed).toBeGreaterThan(0);
    expect(blue.jira.calls).toBeGreaterThan(0);
    expect(blue.jira.byOperation.getIssue).toBeGreaterThan(0);
    expect(green.jira.byOperation.createIssue).toBe(1);
    expect(blue.kvs.calls.total).toBeGreaterThan(0);
    expect(blue.kvs.calls.secret.get + blue.kvs.calls.secret.set).toBeGreaterThan(0);
    expect(blue.kvs.readUnits).toBeGreaterThan(0);
    expect(blue.kvs.writeUnits).toBeGreaterThan(0);
    expect(blue.kvs.bytesWritten).toBeGreaterThan(0);
    // The in-process accessor (tests, the bench) answers the same.
    expect(rt.usage('blue')).toEqual(blue);
  });

  it('start afresh on POST /<site>/_local/usage/reset, that site only, its Jira counters too', async () => {
    const before = await usage('green');
    const response = await rt.fetch('/blue/_local/usage/reset', { method: 'POST' });
    expect(response.status).toBe(200);
    const blue = await usage('blue');
    expect(blue.kvs.calls.total).toBe(0);
    expect(blue.invocations.total).toBe(0);
    expect(blue.jira.calls).toBe(0);
    expect(blue.jira.points).toBe(0);
    expect(blue.fetches).toBe(0);
    expect(blue.since).toBe(new Date(Date.now()).toISOString());
    expect((await usage('green')).kvs.calls.total).toBe(before.kvs.calls.total);
  });

  it('name every limit that turned a request away', async () => {
    // 1,000 storage requests in this second from elsewhere, then one from the app.
    for (let i = 0; i < 1_000; i++) await rt.forge.kvs.handle('local-blue', '/api/v1/get', { method: 'POST', body: JSON.stringify({ key: `probe:${i}` }) });
    // Refused, waited out on the clock (src/forge/kvs.ts), then served.
    const served = await withClockMoving(rt, rt.fetch('/blue/bridge/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'getInstance', payload: {} }) }));
    expect(served.status).toBe(200);
    expect((await usage('blue')).limitsHit['kvs.requestsPerSecond']).toBeGreaterThan(0);
  });

  it("count the points of Jira's quota the app's calls are charged, and none for a person's own calls", async () => {
    await rt.fetch('/blue/_local/usage/reset', { method: 'POST' });
    // A person's own call: answered and counted as a call, charged no points.
    await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'a person made this' } });
    const byPerson = await usage('blue');
    expect(byPerson.jira.calls).toBe(1);
    expect(byPerson.jira.points).toBe(0);
    // The app reads the instance's projects (a resolver): each of its Jira calls costs at least the base point.
    await invoke(rt, 'blue', 'listProjects');
    const byApp = await usage('blue');
    expect(byApp.jira.calls).toBeGreaterThan(1);
    expect(byApp.jira.points).toBeGreaterThanOrEqual(byApp.jira.calls - 1);
  });

  it('answers 404 for a site that does not exist', async () => {
    expect((await rt.fetch('/purple/_local/usage')).status).toBe(404);
  });
});
