import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { connect, invoke, jira, twoSites, withClockMoving } from '../integration/helpers';
import { createIssue, drain, failure, issuesUnderSync, searchAll, syncStatus } from './helpers';

// Bulk Exalate and Unbulk Exalate of 300 issues through a trigger, with a
// restart of the whole process in the middle of the first run.

const COUNT = 300;

interface Job {
  id: string;
  kind: string;
  triggerId: string;
  connectionId: string;
  status: string;
  done: number;
  total: number;
  failed: number;
  startedAt: number;
  finishedAt: number | null;
}

let rt: LocalRuntime;
let dataDir: string;
let blueConnectionId: string;
let greenConnectionId: string;
let triggerId: string;
const keys: string[] = [];

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  const sites = await twoSites();
  ({ dataDir } = sites);
  rt = sites;
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
  for (let i = 0; i < COUNT; i++) keys.push((await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: `bulk ${i}`, labels: ['bulk'] })).key);
  // Left alone by the query.
  await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'outsider', labels: ['other'] });
  await drain(rt);
  // Inactive: only the bulk runs bring issues in, not their events.
  ({ trigger: { id: triggerId } } = await invoke<{ trigger: { id: string } }>(rt, 'blue', 'saveTrigger', {
    connectionId: blueConnectionId,
    entityType: 'issue',
    jql: 'labels = bulk',
    notes: 'bulk test',
    active: false,
  }));
}, 120_000);
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const getJob = (id: string) => invoke<Job>(rt, 'blue', 'getJob', { id });

/**
 * Run queued events one at a time until `reached`; when nothing is due, let the fake clock move on (a second,
 * or to the next delayed event), as time passes on Forge while a page of 50 syncs waits out a storage limit.
 */
async function stepUntil(reached: () => Promise<boolean>, maxSteps = 5_000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    if (await reached()) return;
    // (An invocation that waits out a storage refusal waits on the clock: it moves to the wake-up.)
    if ((await withClockMoving(rt, rt.forge.runDue(1))) === 0) vi.setSystemTime(Math.max(Date.now() + 1_000, rt.forge.queue.nextDueAt() ?? 0));
  }
  throw new Error(`not reached after ${maxSteps} steps`);
}

const greenCopies = async () => (await searchAll(rt, 'green', 'project = SC AND labels = bulk')).map((i) => i.summary);
const statsTotals = async (site: string, connectionId: string) =>
  (await invoke<{ connections: { totals: { out: number; in: number; created: number } }[] }>(rt, site, 'getStatistics', { connectionId, period: 'day' })).connections[0]!.totals;

describe('Bulk Exalate', () => {
  it('brings every matching issue under sync as a job in pages, with progress, surviving a restart', async () => {
    const started = await invoke<Job>(rt, 'blue', 'bulkExalate', { triggerId });
    expect(started).toMatchObject({ kind: 'bulk-exalate', triggerId, connectionId: blueConnectionId, status: 'running', done: 0, total: COUNT, failed: 0, finishedAt: null });
    // A second run of the same trigger while this one runs is refused.
    expect(await failure(invoke(rt, 'blue', 'bulkExalate', { triggerId }))).toContain('already running');

    // The first page.
    await stepUntil(async () => (await getJob(started.id)).done >= 50);
    expect(await getJob(started.id)).toMatchObject({ status: 'running', done: 50, total: COUNT });
    // Some of what it queued, then the second page.
    await stepUntil(async () => (await getJob(started.id)).done >= 100);
    expect((await getJob(started.id)).done).toBe(100);

    // The process dies, with one event claimed but never finished; a new one opens the same data.
    rt.forge.queue.take(Date.now(), 1, 60_000);
    rt.close();
    rt = await createLocalRuntime({ dataDir, baseUrl: rt.baseUrl });
    await drain(rt, 15_000);

    const job = await getJob(started.id);
    expect(job).toMatchObject({ status: 'done', done: COUNT, total: COUNT, failed: 0 });
    expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt);
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(COUNT);
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(COUNT);
    const copies = await greenCopies();
    expect(copies).toHaveLength(COUNT);
    expect(new Set(copies).size).toBe(COUNT);
    for (const key of [keys[0]!, keys[149]!, keys[COUNT - 1]!]) {
      expect((await syncStatus(rt, 'blue', key)).twins).toEqual([expect.objectContaining({ status: 'synchronized' })]);
    }
    expect(await searchAll(rt, 'green', 'project = SC AND summary ~ "outsider"')).toEqual([]);
    expect(await statsTotals('blue', blueConnectionId)).toMatchObject({ out: COUNT, created: COUNT });
    expect(await statsTotals('green', greenConnectionId)).toMatchObject({ in: COUNT, created: COUNT });
    expect((await invoke<{ items: unknown[] }>(rt, 'blue', 'listQueue', {})).items).toEqual([]);
  });

  it('run again, re-checks every issue and creates nothing twice', async () => {
    await jira(rt, 'blue', 'PUT', `/issue/${keys[7]}`, { fields: { summary: 'bulk 7, changed while not synced by events' } });
    const again = await invoke<Job>(rt, 'blue', 'bulkExalate', { triggerId });
    await drain(rt);
    expect(await getJob(again.id)).toMatchObject({ status: 'done', done: COUNT, failed: 0 });
    const copies = await greenCopies();
    expect(copies).toHaveLength(COUNT);
    expect(copies).toContain('bulk 7, changed while not synced by events');
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(COUNT);
    // Only the changed issue was sent again; the others were unchanged.
    expect(await statsTotals('blue', blueConnectionId)).toMatchObject({ out: COUNT + 1, created: COUNT });
    const { jobs } = await invoke<{ jobs: Job[] }>(rt, 'blue', 'listJobs', {});
    expect(jobs.map((j) => j.id).slice(0, 2)).toEqual([again.id, expect.any(String)]);
  });

  it('can be cancelled between pages', async () => {
    const job = await invoke<Job>(rt, 'blue', 'bulkExalate', { triggerId });
    await stepUntil(async () => (await getJob(job.id)).done >= 50);
    const cancelled = await invoke<Job>(rt, 'blue', 'cancelJob', { id: job.id });
    expect(cancelled.status).toBe('cancelled');
    await drain(rt);
    expect(await getJob(job.id)).toMatchObject({ status: 'cancelled', done: 50 });
  });
});

describe('Unbulk Exalate', () => {
  it('stops syncing every matching issue on both sides and keeps all issues', async () => {
    const job = await invoke<Job>(rt, 'blue', 'unbulkExalate', { triggerId });
    expect(job).toMatchObject({ kind: 'unbulk-exalate', total: COUNT, status: 'running' });
    // Ending 300 twins on both sides takes minutes of (fake) time under the storage limits: blue delivers its
    // notices faster than green's storage may take them, so green answers "busy" and blue backs off.
    await drain(rt, 5_000, 400);
    expect(await getJob(job.id)).toMatchObject({ status: 'done', done: COUNT, failed: 0 });
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(0);
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(0);
    expect(await greenCopies()).toHaveLength(COUNT);
    expect(await searchAll(rt, 'blue', 'project = UD AND labels = bulk')).toHaveLength(COUNT);
    expect((await syncStatus(rt, 'blue', keys[3]!)).twins).toEqual([]);

    // No longer synced: an edit stays on its side.
    await jira(rt, 'blue', 'PUT', `/issue/${keys[3]}`, { fields: { summary: 'bulk 3, after unbulk' } });
    await drain(rt);
    expect(await greenCopies()).not.toContain('bulk 3, after unbulk');
  });
});
