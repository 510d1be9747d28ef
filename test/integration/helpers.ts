import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { RATE_LIMIT_WAITS_MS } from '../../src/forge/kvs';
import { DEFERRED_PREFIX } from '../../src/forge/kept-pushes';

// Two emulated sites with the app installed, in one process. Everything a
// test does goes through HTTP as a user or the UI would: the sites' REST APIs
// and the resolvers behind the app's pages.

export async function twoSites(options: { siteNames?: string[] } = {}): Promise<LocalRuntime & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sync-'));
  const runtime = await createLocalRuntime({
    dataDir,
    reset: true,
    baseUrl: `http://sandbox-${Math.random().toString(36).slice(2, 8)}.test`,
    ...(options.siteNames ? { siteNames: options.siteNames } : {}),
  });
  return Object.assign(runtime, { dataDir });
}

/**
 * Call a resolver as the UI does. `context.accountId` names the person asking; like the host page, the
 * helper sends it as that person's credentials (the server takes who is asking from those alone);
 * without one the call acts as the site's admin person.
 */
export async function invoke<T = Record<string, unknown>>(rt: LocalRuntime, site: string, key: string, payload: unknown = {}, context: Record<string, unknown> = {}): Promise<T> {
  const { accountId, ...platformContext } = context;
  const authorization = typeof accountId === 'string' ? rt.site(site).credentialsFor(accountId) : null;
  if (typeof accountId === 'string' && !authorization) throw new Error(`No person ${accountId} on ${site}`);
  for (let waited = 0; ; waited++) {
    const response = await rt.fetch(`/${site}/bridge/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ key, payload, context: platformContext }),
    });
    const body = (await response.json()) as T & { error?: string };
    // "Busy, try again" (the site's storage is over Forge's rate limit): as a person would, wait a
    // second and ask again, for at most two minutes: of the fake clock in tests, of real time in the
    // benches (which share these helpers and run outside vitest).
    if (response.status === 429 && waited < 120) {
      if (!process.env.VITEST) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (vi.isFakeTimers()) {
        vi.setSystemTime(Date.now() + 1_000);
        continue;
      }
    }
    if (response.status >= 400) throw new Error(`${key} → ${response.status}: ${body.error}`);
    return body;
  }
}

/**
 * Run queued work as the platform would over time: what is due runs, then the
 * fake clock moves on a second (Forge's storage counts requests per second and
 * units per minute, so a burst in one frozen instant is more than Forge would
 * ever see) or to the next delayed work (a retry, a "later" after a rate
 * limit), until nothing is queued. Needs `vi.useFakeTimers({ toFake: ['Date'] })`.
 */
export async function drain(rt: LocalRuntime, maxRounds = 1_000): Promise<void> {
  if (!vi.isFakeTimers()) throw new Error('drain moves the fake clock: call vi.useFakeTimers({ toFake: [\'Date\'] }) first');
  for (let round = 0; round < maxRounds; round++) {
    await rt.settle();
    vi.setSystemTime(Date.now() + 1_000);
    // An invocation that waits out a storage refusal on the clock (src/forge/kvs.ts) is not done either, and
    // the clock goes no further than its wake-up: a jump past it would take it past its time limit.
    const wake = rt.forge.nextWakeAt();
    if (rt.forge.queue.pendingCount() === 0 && wake === undefined) return;
    const next = wake ?? rt.forge.queue.nextDueAt();
    if (next !== undefined && next > Date.now()) vi.setSystemTime(next);
  }
  throw new Error(`work still queued after ${maxRounds} rounds: ${rt.forge.queue.pendingCount()} events`);
}

/** Queue pushes Forge refused (500 events a minute) that the sites keep in storage to push again (src/forge/queue.ts). */
export function keptPushes(rt: LocalRuntime): number {
  let kept = 0;
  for (const site of ['blue', 'green']) kept += rt.forge.kvs.storedKeys(rt.forge.installation(site).installationId).filter((k) => k.key.startsWith(DEFERRED_PREFIX)).length;
  return kept;
}

/** How many times `rt.forge.kvs.refuseNext` must refuse for a refusal to outlast the app's own waits (src/forge/kvs.ts) and reach its "later" path. */
export const OUTLASTS_WAITS = 1 + RATE_LIMIT_WAITS_MS.length;

/** `rt.settle()`, with the fake clock moved to each wake-up of an invocation waiting out a storage refusal; delayed queue work stays queued. */
export async function settleThroughWaits(rt: LocalRuntime): Promise<void> {
  for (;;) {
    await rt.settle();
    const wake = rt.forge.nextWakeAt();
    if (wake === undefined) return;
    if (wake > Date.now()) vi.setSystemTime(wake);
  }
}

/**
 * `work`, an invocation the test awaits itself, with the fake clock moved to each wake-up it waits for: one
 * that meets a storage refusal waits it out on the runtime's clock before it answers (src/forge/kvs.ts).
 */
export async function withClockMoving<T>(rt: LocalRuntime, work: Promise<T>): Promise<T> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  finished.catch(() => undefined);
  while (!done) {
    await Promise.race([finished, new Promise((resolve) => setImmediate(resolve))]);
    const wake = rt.forge.nextWakeAt();
    if (!done && wake !== undefined) {
      if (wake > Date.now()) vi.setSystemTime(wake);
      rt.forge.wakeSleepers();
    }
  }
  return finished;
}

export async function jira<T = Record<string, any>>(rt: LocalRuntime, site: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await rt.fetch(`/${site}/rest/api/3${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A public Script-mode connection blue UD ↔ green SC, made with an invitation code. */
export async function connect(rt: LocalRuntime, options: { mode?: 'script' | 'basic' | 'visual'; blueProject?: string; greenProject?: string; destination?: 'public' | 'private' } = {}) {
  const greenInstance = await invoke<{ exalateUrl: string; siteUrl: string }>(rt, 'green', 'getInstance');
  const initiated = await invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', {
    destinationUrl: options.destination === 'private' ? null : greenInstance.exalateUrl,
    // A private partner cannot be looked up: the code is bound to the site the admin names.
    ...(options.destination === 'private' ? { partnerSiteUrl: greenInstance.siteUrl } : {}),
    mode: options.mode ?? 'script',
    localName: 'BlueJira',
    remoteName: 'GreenJira',
    projectKey: options.blueProject ?? 'UD',
  });
  const accepted = await invoke<{ connectionId: string }>(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: options.greenProject ?? 'SC' });
  await rt.settle();
  return { blueConnectionId: initiated.connectionId, greenConnectionId: accepted.connectionId };
}
