import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Caller, JiraSite } from '../../src/local/contracts';
import { installForgeGlobals } from '../../src/local/forge/globals';
import { LocalForge } from '../../src/local/forge/local-forge';
import { readManifest } from '../../src/local/forge/manifest';
import { openJiraSite } from '../../src/local/jira/site';

// The local Forge platform, exercised through a small test app that uses the
// real SDKs: queue delay and retry, at-least-once across a restart, web
// trigger shapes, scheduled triggers, product events and ignoreSelf.

installForgeGlobals();
type TestApp = typeof import('./fixtures/app');
let app: TestApp;
beforeAll(async () => {
  app = await import('./fixtures/app');
});

const manifest = readManifest(join(import.meta.dirname, 'fixtures/manifest.yml'));
const T0 = Date.parse('2026-11-23T10:00:00Z');

function boot(dir = mkdtempSync(join(tmpdir(), 'forge-'))) {
  const site: JiraSite = openJiraSite({ name: 'blue', dataDir: dir, baseUrl: 'http://local.test/blue', clock: { now: () => Date.now() } });
  const db = new Database(join(dir, 'forge.sqlite'));
  const forge = new LocalForge({ db, manifest, app: app as unknown as Record<string, unknown>, baseUrl: 'http://local.test', sites: [site], leaseMs: 30_000 });
  const close = () => {
    forge.close();
    site.close();
    db.close();
  };
  return { dir, site, forge, close };
}

const pushEvents = (forge: LocalForge, events: { body: Record<string, unknown>; delayInSeconds?: number }[]) =>
  forge.invokeResolver('blue', { moduleKey: 'admin', key: 'push', payload: { events } }) as Promise<{ jobId: string }>;

afterEach(() => {
  app.calls.length = 0;
  app.budgets.length = 0;
  app.failuresBeforeSuccess.clear();
  vi.useRealTimers();
});

describe('async queue', () => {
  it('holds a delayed event until its time, then delivers it to the consumer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { forge, close } = boot();
    await pushEvents(forge, [{ body: { id: 'later' }, delayInSeconds: 60 }]);
    await forge.settle();
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(0);
    vi.setSystemTime(T0 + 59_000);
    await forge.settle();
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(0);
    vi.setSystemTime(T0 + 60_000);
    await forge.settle();
    const work = app.calls.filter((c) => c.kind === 'work');
    expect(work).toHaveLength(1);
    expect(work[0]!.data).toMatchObject({ body: { id: 'later' }, queueName: 'work' });
    close();
  });

  it('retries an event whose consumer answers InvocationError, honouring retryAfter, with retryContext', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { forge, close } = boot();
    app.failuresBeforeSuccess.set('flaky', 2);
    const { jobId } = await pushEvents(forge, [{ body: { id: 'flaky' } }]);
    await forge.settle();
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(1);
    vi.setSystemTime(T0 + 10_000);
    await forge.settle();
    vi.setSystemTime(T0 + 20_000);
    await forge.settle();
    const attempts = app.calls.filter((c) => c.kind === 'work').map((c) => (c.data as { retryContext?: { retryCount: number } }).retryContext?.retryCount ?? 0);
    expect(attempts).toEqual([0, 1, 2]);
    expect(forge.queue.stats(jobId)).toEqual({ success: 1, inProgress: 0, failed: 0 });
    close();
  });

  it('gives up after four retries, as Forge does, and keeps the event in the dead letters', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { forge, close } = boot();
    app.failuresBeforeSuccess.set('hopeless', 99);
    await pushEvents(forge, [{ body: { id: 'hopeless' } }]);
    for (let i = 0; i <= 5; i++) {
      vi.setSystemTime(T0 + i * 10_000);
      await forge.settle();
    }
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(5);
    expect(forge.queue.deadLetters()).toHaveLength(1);
    expect(forge.queue.pendingCount()).toBe(0);
    close();
  });

  it('redelivers an event taken by a process that died before finishing it (at least once)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const first = boot();
    await pushEvents(first.forge, [{ body: { id: 'survivor' } }]);
    // The event is claimed, then the process dies before the consumer finishes.
    expect(first.forge.queue.take(Date.now(), 10, 30_000)).toHaveLength(1);
    first.close();

    const second = boot(first.dir);
    await second.forge.settle();
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(0); // still leased to the dead process
    vi.setSystemTime(T0 + 30_000);
    await second.forge.settle();
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(1);
    second.close();
  });
});

describe('web triggers', () => {
  it("passes Forge's request shape to the handler and maps its response", async () => {
    const { forge, close } = boot();
    const response = await forge.invokeWebTrigger('blue', 'echo', {
      method: 'POST',
      headers: { 'content-type': ['application/json'], 'x-sync-signature': ['abc'] },
      body: '{"hello":"world"}',
      path: '/blue/x/echo',
      queryParameters: { a: ['1', '2'] },
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers).toEqual({ 'Content-Type': ['application/json'], 'X-Echo': ['yes'] });
    const body = JSON.parse(response.body!);
    expect(body.got).toEqual({
      method: 'POST',
      headers: { 'content-type': ['application/json'], 'x-sync-signature': ['abc'] },
      body: '{"hello":"world"}',
      path: '/blue/x/echo',
      queryParameters: { a: ['1', '2'] },
    });
    expect(body.url).toBe('http://local.test/blue/x/echo');
    close();
  });

  it('answers 404 for a web trigger the manifest does not declare', async () => {
    const { forge, close } = boot();
    const response = await forge.invokeWebTrigger('blue', 'nope', { method: 'GET', headers: {}, body: '', path: '/blue/x/nope', queryParameters: {} });
    expect(response.statusCode).toBe(404);
    close();
  });
});

describe('scheduled triggers and resolvers', () => {
  it('runs every scheduled trigger with its module key and storage', async () => {
    const { forge, close } = boot();
    forge.fireScheduledTriggers();
    await forge.settle();
    forge.fireScheduledTriggers();
    await forge.settle();
    expect(app.calls.filter((c) => c.kind === 'tick').map((c) => c.moduleKey)).toEqual(['tick', 'tick']);
    close();
  });

  it('gives a resolver the calling person and its module key', async () => {
    const { site, forge, close } = boot();
    const who = await forge.invokeResolver('blue', { moduleKey: 'admin', key: 'whoami', payload: {} });
    expect(who).toEqual({ accountId: site.adminAccountId, moduleKey: 'admin' });
    close();
  });
});

describe('product events', () => {
  const createIssue = (site: JiraSite, caller: Caller) =>
    site.handle(
      new Request('http://local.test/rest/api/3/issue', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Event test' } }),
      }),
      caller,
    );

  it("delivers a person's change to every matching trigger, marked not self-generated", async () => {
    const { site, forge, close } = boot();
    const created = await createIssue(site, { kind: 'user', accountId: site.adminAccountId });
    expect(created.status).toBe(201);
    await forge.settle();
    const events = app.calls.filter((c) => c.kind === 'event');
    expect(events.map((c) => c.moduleKey).sort()).toEqual(['loud-trigger', 'quiet-trigger']);
    for (const e of events) expect(e.data).toMatchObject({ eventType: 'avi:jira:created:issue', selfGenerated: false, issue: { key: expect.stringMatching(/^UD-/) } });
    close();
  });

  it("withholds the app's own changes from ignoreSelf triggers and marks them selfGenerated elsewhere", async () => {
    const { site, forge, close } = boot();
    expect((await createIssue(site, { kind: 'app' })).status).toBe(201);
    await forge.settle();
    const events = app.calls.filter((c) => c.kind === 'event');
    expect(events.map((c) => c.moduleKey)).toEqual(['loud-trigger']);
    expect(events[0]!.data).toMatchObject({ selfGenerated: true });
    close();
  });
});

describe('invocation budgets', () => {
  it("tells each invocation the time Forge gives its kind, through the runtime's remaining time", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { site, forge, close } = boot();
    await forge.invokeResolver('blue', { moduleKey: 'admin', key: 'budget', payload: {} });
    await forge.invokeWebTrigger('blue', 'echo', { method: 'GET', headers: {}, body: '', path: '/blue/x/echo', queryParameters: {} });
    await pushEvents(forge, [{ body: { id: 'timed' } }]);
    forge.fireScheduledTriggers();
    await site.handle(
      new Request('http://local.test/rest/api/3/issue', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Budget test' } }),
      }),
      { kind: 'user', accountId: site.adminAccountId },
    );
    await forge.settle();
    const byKind = Object.fromEntries(app.budgets.map((b) => [b.kind, b.remainingMs]));
    expect(byKind).toEqual({
      resolver: 25_000,
      webtrigger: 55_000,
      // The fixture's consumer function declares timeoutSeconds: 120.
      consumer: 120_000,
      // The fixture's scheduled function declares no timeoutSeconds: Forge's default, 55 s.
      scheduled: 55_000,
      trigger: 25_000,
    });
    close();
  });
});
