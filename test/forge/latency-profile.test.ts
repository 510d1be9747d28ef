import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORGE_LATENCY, LATENCY_OPERATIONS, LatencyProfile, seededRandom } from '../../src/local/forge/latency-profile';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { percentile } from '../../bench/stats';
import { connect, jira } from '../integration/helpers';

// The Forge latency profile: its distributions, drawn from a seeded source,
// and the runtime taking each delay at its boundary (storage, Jira REST, web
// triggers, queue pickup, product events, search). Delays move the fake
// clock, so nothing here waits in real time.

const moveFakeClock = async (ms: number) => {
  vi.setSystemTime(Date.now() + ms);
};

describe('distributions', () => {
  it('draw each operation around its median and 99th percentile, never above its cap', () => {
    const profile = new LatencyProfile('forge', { seed: 7 });
    for (const operation of LATENCY_OPERATIONS) {
      const draws = Array.from({ length: 20_000 }, () => profile.sample(operation)).sort((a, b) => a - b);
      const d = FORGE_LATENCY[operation];
      expect(percentile(draws, 50), operation).toBeGreaterThan(d.medianMs * 0.9);
      expect(percentile(draws, 50), operation).toBeLessThan(d.medianMs * 1.1);
      const p99 = Math.min(d.p99Ms, d.maxMs ?? Infinity);
      expect(percentile(draws, 99), operation).toBeGreaterThan(p99 * 0.8);
      expect(percentile(draws, 99), operation).toBeLessThan(p99 * 1.25);
      expect(draws[draws.length - 1]!, operation).toBeLessThanOrEqual(d.maxMs ?? Infinity);
      expect(draws[0]!, operation).toBeGreaterThanOrEqual(0);
    }
  });

  it('product events: a realistic median, a long tail, and never more than the 3 minutes Forge allows', () => {
    const profile = new LatencyProfile('forge', { seed: 3 });
    const draws = Array.from({ length: 50_000 }, () => profile.sample('productEvent')).sort((a, b) => a - b);
    expect(percentile(draws, 50)).toBeLessThan(3_000);
    expect(percentile(draws, 99.9)).toBeGreaterThan(100_000);
    expect(draws[draws.length - 1]).toBe(180_000);
  });

  it('repeat with the same seed and differ with another; the local profile draws nothing', () => {
    const draw = (seed: number) => {
      const profile = new LatencyProfile('forge', { seed });
      return LATENCY_OPERATIONS.map((operation) => profile.sample(operation));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    const local = new LatencyProfile('local');
    expect(LATENCY_OPERATIONS.map((operation) => local.sample(operation))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(local.searchVisibleAt('1', 1_000)).toBe(1_000);
    const random = seededRandom(1);
    expect(random()).toBeGreaterThanOrEqual(0);
  });
});

describe('docs/forge-limits.md', () => {
  it('lists every operation of the profile with the figures the runtime draws from', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/forge-limits.md'), 'utf8');
    const ms = (cell: string) => {
      if (cell === '—') return undefined;
      const [, n, unit] = /^([\d,]+) (ms|s)$/.exec(cell) ?? [];
      return Number(n!.replace(/,/g, '')) * (unit === 's' ? 1_000 : 1);
    };
    for (const operation of LATENCY_OPERATIONS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${operation}\` |`));
      expect(row, operation).toBeDefined();
      const [, , median, p99, cap] = row!.split('|').map((c) => c.trim());
      const d = FORGE_LATENCY[operation];
      expect({ medianMs: ms(median!), p99Ms: ms(p99!), maxMs: ms(cap!) }, operation).toEqual({ medianMs: d.medianMs, p99Ms: d.p99Ms, maxMs: d.maxMs });
    }
  });
});

describe('the runtime under the Forge profile', () => {
  let rt: LocalRuntime;
  let profileName: 'local' | 'forge';
  const open = async (profile: 'local' | 'forge') => {
    profileName = profile;
    rt = await createLocalRuntime({
      dataDir: mkdtempSync(join(tmpdir(), 'latency-')),
      reset: true,
      baseUrl: `http://latency-${profile}.test`,
      profile,
      latency: { seed: 11, wait: moveFakeClock },
    });
  };
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  });
  afterEach(() => {
    rt?.close();
    vi.useRealTimers();
  });

  it('takes a storage delay for every storage call and a Jira delay for every REST call, on the clock', async () => {
    await open('forge');
    const before = Date.now();
    await connect(rt);
    const drawn = rt.forge.latency.drawn;
    const calls = (site: string) => rt.usage(site).kvs.calls.total;
    expect(drawn.get('storage')?.count).toBe(calls('blue') + calls('green'));
    expect(drawn.get('storage')!.count).toBeGreaterThan(0);
    expect(drawn.get('jira')?.count).toBe(rt.usage('blue').jira.calls + rt.usage('green').jira.calls);
    // Connecting calls green's web trigger from blue: one more delay, on the caller's clock.
    expect(drawn.get('webTrigger')?.count).toBeGreaterThan(0);
    const taken = ['storage', 'jira', 'webTrigger'].reduce((sum, op) => sum + (drawn.get(op as 'storage')?.totalMs ?? 0), 0);
    expect(taken).toBeGreaterThan(0);
    expect(Date.now() - before).toBeGreaterThanOrEqual(taken);
  });

  it('delivers a product event only once its drawn delay has passed', async () => {
    await open('forge');
    await connect(rt);
    const triggersBefore = rt.usage('blue').invocations.trigger;
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'late event' } });
    expect(created.status).toBe(201);
    const due = rt.forge.queue.nextDueAt()!;
    expect(due).toBeGreaterThan(Date.now());
    await rt.settle();
    expect(rt.usage('blue').invocations.trigger).toBe(triggersBefore);
    vi.setSystemTime(due);
    await rt.settle();
    expect(rt.usage('blue').invocations.trigger).toBeGreaterThan(triggersBefore);
  });

  it('holds a pushed async event back by the queue pickup delay', async () => {
    await open('forge');
    const installation = rt.forge.installation('blue');
    const pushedAt = Date.now();
    const response = await installation.fetchPlatform(
      { type: 'fpp', remote: 'stargate' } as never,
      '/webhook/queue/publish/test',
      { method: 'POST', body: JSON.stringify({ queueName: 'sync-work', jobId: 'job-1', payload: [{ body: { kind: 'noop' } }] }) },
      { accountId: undefined } as never,
    );
    expect(response.status).toBe(201);
    expect(rt.forge.latency.drawn.get('queuePickup')?.count).toBe(1);
    expect(rt.forge.queue.nextDueAt()).toBe(pushedAt + rt.forge.latency.drawn.get('queuePickup')!.totalMs);
  });

  it('hides a fresh write from JQL search until the index has it; the local profile shows it at once', async () => {
    for (const profile of ['forge', 'local'] as const) {
      await open(profile);
      const created = await jira<{ key: string; id: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `indexed ${profile}` } });
      const found = async () => (await jira<{ issues: { id: string }[] }>(rt, 'blue', 'POST', '/search/jql', { jql: `key = ${created.body.key}` })).body.issues.length;
      expect(await found(), profileName).toBe(profile === 'forge' ? 0 : 1);
      vi.setSystemTime(Date.now() + FORGE_LATENCY.searchVisibility.maxMs!);
      expect(await found(), profileName).toBe(1);
      rt.close();
    }
  });
});
