import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JiraSite } from '../../src/local/contracts';
import { installForgeGlobals, InvocationTimeoutError, type InvocationScope } from '../../src/local/forge/globals';
import { InvocationRateLimitError } from '../../src/local/forge/invocation-rates';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { LocalForge } from '../../src/local/forge/local-forge';
import { readManifest } from '../../src/local/forge/manifest';
import { installOutboundFetch, registerLocalOrigin } from '../../src/local/forge/outbound';
import { openJiraSite } from '../../src/local/jira/site';

// Forge's async-event, invocation-time, invocation-rate, egress and web
// trigger limits, each hit through the real SDK call a Forge app makes
// (Queue.push, a resolver invoke, a web trigger request, @forge/api fetch),
// with the SDK's own error for it, and counted in the site's `limitsHit`.
// Time is the fake Date: the clock is moved, nothing sleeps.

installForgeGlobals();
// Before the app is loaded: @forge/api captures `fetch` when it is imported.
installOutboundFetch();
type TestApp = typeof import('./fixtures/app');
type Events = typeof import('@forge/events');
let app: TestApp;
let events: Events;
beforeAll(async () => {
  app = await import('./fixtures/app');
  events = await import('@forge/events');
});

const manifest = readManifest(join(import.meta.dirname, 'fixtures/manifest.yml'));
// On a whole minute, so the fixed one-minute invocation windows start with the test.
const T0 = Date.parse('2026-11-23T10:00:00Z');
const E = FORGE_LIMITS.events;
const I = FORGE_LIMITS.invocations;

function boot() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  const dir = mkdtempSync(join(tmpdir(), 'forge-limits-'));
  const site: JiraSite = openJiraSite({ name: 'blue', dataDir: dir, baseUrl: 'http://local.test/blue', clock: { now: () => Date.now() } });
  // In memory: the chain test runs a thousand invocations, and nothing here outlives the test.
  const db = new Database(':memory:');
  const forge = new LocalForge({ db, manifest, app: app as unknown as Record<string, unknown>, baseUrl: 'http://local.test', sites: [site], leaseMs: 30_000 });
  const close = () => {
    forge.close();
    site.close();
    db.close();
  };
  const limitsHit = () => forge.usage('blue').limitsHit;
  const push = (list: { body: Record<string, unknown>; delayInSeconds?: number }[]) => forge.invokeResolver('blue', { moduleKey: 'admin', key: 'push', payload: { events: list } });
  const pushRaw = (list: unknown[]) => forge.invokeResolver('blue', { moduleKey: 'admin', key: 'push-raw', payload: { events: list } }) as Promise<{ status: number }>;
  const stored = (key: string) => forge.kvs.handle('local-blue', '/api/v1/get', { method: 'POST', body: JSON.stringify({ key }) }).then((r) => r.status === 200);
  return { site, forge, close, limitsHit, push, pushRaw, stored };
}

/** `n` events whose push request (the JSON array @forge/events measures) is exactly `bytes` long. */
function eventsOfSize(n: number, bytes: number) {
  const empty = Buffer.byteLength(JSON.stringify(Array.from({ length: n }, () => ({ body: { pad: '' } }))));
  const per = Math.floor((bytes - empty) / n);
  const list = Array.from({ length: n }, () => ({ body: { pad: 'x'.repeat(per) } }));
  list[0]!.body.pad += 'x'.repeat(bytes - empty - per * n);
  expect(Buffer.byteLength(JSON.stringify(list))).toBe(bytes);
  return list;
}

afterEach(() => {
  app.calls.length = 0;
  app.budgets.length = 0;
  vi.useRealTimers();
});

describe('async events: one push', () => {
  it(`refuses more than ${E.eventsPerPush} events: TooManyEventsError from the SDK, and 413 from the platform below it`, async () => {
    const { push, pushRaw, forge, limitsHit, close } = boot();
    const many = Array.from({ length: E.eventsPerPush + 1 }, (_, i) => ({ body: { id: `e${i}` } }));
    await expect(push(many)).rejects.toBeInstanceOf(events.TooManyEventsError);
    expect((await pushRaw(many)).status).toBe(413);
    expect(forge.queue.pendingCount()).toBe(0);
    expect(limitsHit()).toEqual({ 'events.eventsPerPush': 1 });
    await push(many.slice(0, E.eventsPerPush));
    expect(forge.queue.pendingCount()).toBe(E.eventsPerPush);
    close();
  });

  it(`refuses a push over ${E.pushMaxBytes} bytes with PayloadTooBigError, and takes one of exactly that size`, async () => {
    const { push, forge, limitsHit, close } = boot();
    // The SDK's own check is 200 KiB; the platform holds the documented 200 KB, the smaller reading.
    await expect(push(eventsOfSize(3, E.pushMaxBytes + 1))).rejects.toBeInstanceOf(events.PayloadTooBigError);
    expect(forge.queue.pendingCount()).toBe(0);
    expect(limitsHit()).toEqual({ 'events.pushMaxBytes': 1 });
    await push(eventsOfSize(3, E.pushMaxBytes));
    expect(forge.queue.pendingCount()).toBe(3);
    close();
  });

  it(`refuses an event over ${E.longRunningEventMaxBytes} bytes for a consumer whose timeout is over ${E.longRunningAboveSeconds} s`, async () => {
    const { push, forge, limitsHit, close } = boot();
    // The fixture's consumer declares timeoutSeconds: 120.
    const big = { body: { pad: 'x'.repeat(E.longRunningEventMaxBytes) } };
    await expect(push([big])).rejects.toBeInstanceOf(events.PayloadTooBigError);
    expect(limitsHit()).toEqual({ 'events.longRunningEventMaxBytes': 1 });
    await push([{ body: { pad: 'x'.repeat(E.longRunningEventMaxBytes - 100) } }]);
    expect(forge.queue.pendingCount()).toBe(1);
    close();
  });

  it(`refuses a delay over ${E.delayMaxSeconds} s: InvalidPushSettingsError from the SDK, 400 from the platform`, async () => {
    const { push, pushRaw, forge, limitsHit, close } = boot();
    await expect(push([{ body: { id: 'late' }, delayInSeconds: E.delayMaxSeconds + 1 }])).rejects.toBeInstanceOf(events.InvalidPushSettingsError);
    expect((await pushRaw([{ body: { id: 'late' }, delayInSeconds: E.delayMaxSeconds + 1 }])).status).toBe(400);
    expect(limitsHit()).toEqual({ 'events.delayMaxSeconds': 1 });
    await push([{ body: { id: 'late' }, delayInSeconds: E.delayMaxSeconds }]);
    expect(forge.queue.nextDueAt()).toBe(T0 + E.delayMaxSeconds * 1000);
    close();
  });
});

describe('async events: per installation', () => {
  it(`refuses the push that would make more than ${E.eventsPerMinute} events in a minute with RateLimitError; a minute later it goes`, async () => {
    const { push, forge, limitsHit, close } = boot();
    const fifty = Array.from({ length: 50 }, (_, i) => ({ body: { id: `e${i}` } }));
    for (let i = 0; i < E.eventsPerMinute / 50; i++) {
      await push(fifty);
      vi.setSystemTime(Date.now() + 1_000);
    }
    await expect(push([{ body: { id: 'one-more' } }])).rejects.toBeInstanceOf(events.RateLimitError);
    expect(forge.queue.pendingCount()).toBe(E.eventsPerMinute);
    expect(limitsHit()).toEqual({ 'events.eventsPerMinute': 1 });
    // The first fifty leave the sliding minute 60 s after they were pushed.
    vi.setSystemTime(T0 + 60_000);
    await expect(push([{ body: { id: 'one-more' } }])).resolves.toBeDefined();
    close();
  });

  it(`stops a chain of invocations at its ${E.cyclicPushesPerChain}th push with InvocationLimitReachedError`, async () => {
    const { push, forge, limitsHit, close } = boot();
    // One push from a resolver starts the chain; each consumer pushes the next (well under 500 a minute).
    await push([{ body: { id: 'chain', relay: E.cyclicPushesPerChain + 10 } }]);
    for (let step = 0; step < E.cyclicPushesPerChain + 5; step++) {
      vi.setSystemTime(Date.now() + 200);
      if ((await forge.runDue()) === 0) break;
    }
    const refused = app.calls.filter((c) => c.kind === 'relay-refused');
    expect(refused.map((c) => c.data)).toEqual(['InvocationLimitReachedError']);
    // The resolver's push was the chain's first; its consumers made the other 999.
    expect(app.calls.filter((c) => c.kind === 'work')).toHaveLength(E.cyclicPushesPerChain);
    expect(limitsHit()).toEqual({ 'events.cyclicPushesPerChain': 1 });
    // A new initial invocation starts a chain of its own.
    await push([{ body: { id: 'fresh' } }]);
    close();
  }, 60_000);
});

describe('invocation time limits', () => {
  it(`ends a resolver over ${I.resolverSeconds} s: the caller gets an error, its writes so far stay, later ones are refused`, async () => {
    const { forge, stored, limitsHit, close } = boot();
    // The first write "takes" 26 s (the hook makes this invocation late as it calls), so the second never happens.
    let calls = 0;
    forge.onPlatformCall = (scope: InvocationScope) => {
      if (++calls === 2) scope.lateByMs = 26_000;
    };
    await expect(forge.invokeResolver('blue', { moduleKey: 'admin', key: 'write-twice', payload: {} })).rejects.toBeInstanceOf(InvocationTimeoutError);
    forge.onPlatformCall = undefined;
    expect(await stored('first-write')).toBe(true);
    expect(await stored('second-write')).toBe(false);
    expect(limitsHit()).toEqual({ 'invocations.resolverSeconds': 1 });
    close();
  });

  it("ends a consumer stuck past its declared timeoutSeconds and retries its event, as Forge retries a timed-out invocation", async () => {
    const { forge, push, stored, limitsHit, close } = boot();
    app.closeGate();
    await push([{ body: { id: 'stuck', gate: true } }]);
    const first = forge.runDue();
    // The consumer has written and now waits; 121 s pass on the clock (it declares 120).
    for (let i = 0; !(await stored('before-gate:stuck:0')); i++) { if (i > 200) throw new Error('never wrote: ' + JSON.stringify(app.calls)); await new Promise((resolve) => setImmediate(resolve)); }
    vi.setSystemTime(T0 + 121_000);
    await forge.settle();
    await first;
    expect(limitsHit()).toEqual({ 'invocations.maxTimeoutSeconds': 1 });
    // Let the ended one go on: the platform refuses what it still tries, so its late write never lands.
    app.gate.open!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await stored('done:stuck')).toBe(false);
    // The event comes back (retryContext 1) and this time finishes.
    vi.setSystemTime(T0 + 200_000);
    await forge.settle();
    const work = app.calls.filter((c) => c.kind === 'work').map((c) => (c.data as { retryContext?: { retryCount: number } }).retryContext?.retryCount ?? 0);
    expect(work).toEqual([0, 1]);
    expect(await stored('done:stuck')).toBe(true);
    expect(forge.queue.pendingCount()).toBe(0);
    close();
  });

  it(`answers a web trigger whose function runs over ${I.webTriggerSeconds} s with 424, as Forge does`, async () => {
    const { forge, limitsHit, close } = boot();
    forge.onPlatformCall = (scope) => {
      scope.lateByMs = 56_000;
    };
    // The echo trigger asks the platform for its own URL: that call is when it turns out to be late.
    const answer = await forge.invokeWebTrigger('blue', 'echo', { method: 'POST', headers: {}, body: '{}', path: '/blue/x/echo', queryParameters: {} });
    expect(answer.statusCode).toBe(424);
    expect(limitsHit()).toEqual({ 'invocations.webTriggerSeconds': 1 });
    close();
  });
});

describe('web trigger sizes', () => {
  it(`refuses a request over ${I.webTriggerRequestMaxBytes} bytes without invoking, and loses an answer over ${I.webTriggerResponseMaxBytes}`, async () => {
    const { forge, limitsHit, close } = boot();
    const big = await forge.invokeWebTrigger('blue', 'echo', { method: 'POST', headers: {}, body: 'x'.repeat(I.webTriggerRequestMaxBytes + 1), path: '/blue/x/echo', queryParameters: {} });
    expect(big.statusCode).toBe(413);
    expect(app.calls.filter((c) => c.kind === 'web')).toHaveLength(0);
    const bigAnswer = await forge.invokeWebTrigger('blue', 'echo', { method: 'POST', headers: {}, body: 'big answer', path: '/blue/x/echo', queryParameters: {} });
    expect(bigAnswer.statusCode).toBe(502);
    expect(limitsHit()).toEqual({ 'invocations.webTriggerRequestMaxBytes': 1, 'invocations.webTriggerResponseMaxBytes': 1 });
    close();
  });
});

describe('user-led invocation rates', () => {
  const whoami = (forge: LocalForge, accountId: string) => forge.invokeResolver('blue', { moduleKey: 'admin', key: 'whoami', payload: {}, accountId });

  it(`refuses a person's ${I.userLedPerUserPerMinute + 1}th call in a fixed minute, and takes it in the next`, async () => {
    const { forge, limitsHit, close } = boot();
    for (let i = 0; i < I.userLedPerUserPerMinute; i++) {
      await whoami(forge, 'ann');
      vi.setSystemTime(Date.now() + 10);
    }
    await expect(whoami(forge, 'ann')).rejects.toBeInstanceOf(InvocationRateLimitError);
    // Someone else on the installation is not held by Ann's count.
    await whoami(forge, 'bob');
    vi.setSystemTime(T0 + 60_000);
    await whoami(forge, 'ann');
    expect(limitsHit()).toEqual({ 'invocations.userLedPerUserPerMinute': 1 });
    close();
  }, 30_000);

  it(`refuses the installation's ${I.userLedPerInstallationPerMinute + 1}th call in a minute, whoever makes it`, async () => {
    const { forge, limitsHit, close } = boot();
    for (let i = 0; i < I.userLedPerInstallationPerMinute; i++) {
      await whoami(forge, `person-${i % 5}`);
      vi.setSystemTime(Date.now() + 5);
    }
    const refused = await whoami(forge, 'newcomer').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvocationRateLimitError);
    expect((refused as InvocationRateLimitError).limit).toBe('invocations.userLedPerInstallationPerMinute');
    expect(limitsHit()).toEqual({ 'invocations.userLedPerInstallationPerMinute': 1 });
    close();
  }, 60_000);

  it(`refuses more than ${I.userLedPerInstallationPerSecond} calls in one second`, async () => {
    const { forge, limitsHit, close } = boot();
    for (let i = 0; i < I.userLedPerInstallationPerSecond; i++) await whoami(forge, `person-${i % 10}`);
    await expect(whoami(forge, 'person-0')).rejects.toBeInstanceOf(InvocationRateLimitError);
    vi.setSystemTime(T0 + 1_000);
    await whoami(forge, 'person-0');
    expect(limitsHit()).toEqual({ 'invocations.userLedPerInstallationPerSecond': 1 });
    close();
  });
});

describe('egress fetches', () => {
  it(`answers a resolver's fetch beyond ${I.fetchesPerRuntimeMinute} (its 25 s start one minute) with 429 FETCH_LIMIT_EXCEEDED`, async () => {
    const { forge, limitsHit, close } = boot();
    // This runtime's own web trigger stands in for a partner: reachable, and egress all the same.
    const unregister = registerLocalOrigin({ base: 'http://local.test', handle: async () => new Response('ok'), servesWebTrigger: () => true });
    const answers = (await forge.invokeResolver('blue', {
      moduleKey: 'admin',
      key: 'fetch-many',
      payload: { url: 'http://local.test/blue/x/echo', times: I.fetchesPerRuntimeMinute + 1 },
    })) as { status: number; proxyError: string | null }[];
    unregister();
    expect(answers.slice(0, -1).every((a) => a.status === 200)).toBe(true);
    expect(answers.at(-1)).toEqual({ status: 429, proxyError: 'FETCH_LIMIT_EXCEEDED' });
    expect(limitsHit()).toEqual({ 'invocations.fetchesPerRuntimeMinute': 1 });
    expect(forge.usage('blue').fetches).toBe(I.fetchesPerRuntimeMinute + 1);
    close();
  });
});
