import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInvocation } from '../../src/local/forge/globals';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { jira, withClockMoving } from '../integration/helpers';

// Jira Cloud's rate limits on the app's calls (docs/forge-limits.md, Jira
// section), each hit through the real @forge/api `requestJira` inside an
// invocation of the app, as the app's own client makes them: the points quota
// (one pool for the app on every site), the burst limit per endpoint, and the
// writes per issue. Each refusal must be answered as Jira documents it (429,
// Retry-After, the X-RateLimit-* headers, RateLimit-Reason), counted in the
// usage counters, and lifted when the injected clock says so.

const L = FORGE_LIMITS.jira;
// Half past an hour, so the quota's hour turns 30 minutes on.
const T0 = Date.parse('2026-12-01T10:30:00Z');

let rt: LocalRuntime;
let api: typeof import('@forge/api');
let createJiraClient: typeof import('../../src/jira/client').createJiraClient;
let forgePlatform: typeof import('../../src/forge/platform').forgePlatform;
const keys: string[] = [];

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  rt = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'jira-limits-')), reset: true, baseUrl: 'http://sandbox-jira-limits.test' });
  // Imported after the runtime, as the app's own modules are: @forge/api captures fetch at import.
  api = await import('@forge/api');
  ({ createJiraClient } = await import('../../src/jira/client'));
  ({ forgePlatform } = await import('../../src/forge/platform'));
  // People's own calls, not the app's: held to no limit.
  for (let i = 0; i < 3; i++) {
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `limits ${i}` } });
    expect(created.status).toBe(201);
    keys.push(created.body.key);
  }
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});
// Each test starts a minute later than the last: every burst and per-issue window is empty again.
let minute = 0;
beforeEach(() => {
  vi.setSystemTime(T0 + ++minute * 60_000);
});

/** Run `fn` as an invocation of the app on `site`. */
const onSite = <T>(site: string, fn: () => Promise<T>) => runInvocation(rt.forge.installation(site), 'jira-limits-test', {}, fn);

/** One call of the app, through @forge/api, as the app user. */
const call = (site: string, method: string, path: string, body?: unknown) =>
  onSite(site, async () => {
    const response = await api.asApp().requestJira(api.assumeTrustedRoute(path), {
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    await response.text();
    return response;
  });

const headersOf = (response: { headers: { get(name: string): string | null } }, ...names: string[]) => Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));
const hits = (site: string, limit: string) => rt.usage(site).limitsHit[limit] ?? 0;
const setProperty = (site: string, key: string, n: number) => call(site, 'PUT', `/rest/api/3/issue/${key}/properties/limits-test`, { n });

describe("the burst limit, per endpoint and method", () => {
  it('answers the call over a GET endpoint\'s steady rate 429 jira-burst-based, then serves it once a token is back', async () => {
    for (let i = 0; i < L.burstGetPerSecond; i++) expect((await call('blue', 'GET', '/rest/api/3/myself')).status).toBe(200);
    const before = hits('blue', 'jira.burstGetPerSecond');
    const refused = await call('blue', 'GET', '/rest/api/3/myself');
    expect(refused.status).toBe(429);
    expect(headersOf(refused, 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'ratelimit-reason')).toEqual({
      'retry-after': '1',
      'x-ratelimit-limit': String(L.burstGetPerSecond),
      'x-ratelimit-remaining': '0',
      'ratelimit-reason': 'jira-burst-based',
    });
    expect(refused.headers.get('x-ratelimit-reset')).toBe(new Date(Date.now() + 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(hits('blue', 'jira.burstGetPerSecond')).toBe(before + 1);
    // Another endpoint, and the same endpoint on the other site, have buckets of their own.
    expect((await call('blue', 'GET', `/rest/api/3/issue/${keys[0]}`)).status).toBe(200);
    expect((await call('green', 'GET', '/rest/api/3/myself')).status).toBe(200);
    // Half a token back is not a token; a whole one (1/100 s at 100 a second) is.
    vi.setSystemTime(Date.now() + 5);
    expect((await call('blue', 'GET', '/rest/api/3/myself')).status).toBe(429);
    vi.setSystemTime(Date.now() + 5);
    expect((await call('blue', 'GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('gives GET /issue/{key} its own, larger bucket, as the page lists it', async () => {
    for (let i = 0; i < L.burstGetIssuePerSecond; i++) expect((await call('blue', 'GET', `/rest/api/3/issue/${keys[i % 3]}`)).status).toBe(200);
    const refused = await call('blue', 'GET', `/rest/api/3/issue/${keys[0]}`);
    expect(refused.status).toBe(429);
    expect(headersOf(refused, 'x-ratelimit-limit', 'ratelimit-reason')).toEqual({ 'x-ratelimit-limit': String(L.burstGetIssuePerSecond), 'ratelimit-reason': 'jira-burst-based' });
    expect(hits('blue', 'jira.burstGetIssuePerSecond')).toBeGreaterThan(0);
  });
});

describe('the per-issue write limit', () => {
  it('refuses the 21st write to one issue within 2 s with jira-per-issue-on-write; other issues and reads go on', async () => {
    const [key, other] = [keys[0]!, keys[1]!];
    for (let i = 0; i < L.perIssueWritesPer2Seconds; i++) expect((await setProperty('blue', key, i)).status).toBeLessThan(300);
    const refused = await setProperty('blue', key, 99);
    expect(refused.status).toBe(429);
    expect(headersOf(refused, 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'ratelimit-reason')).toEqual({
      'retry-after': '2',
      'x-ratelimit-limit': String(L.perIssueWritesPer2Seconds),
      'x-ratelimit-remaining': '0',
      'ratelimit-reason': 'jira-per-issue-on-write',
    });
    expect(hits('blue', 'jira.perIssueWritesPer2Seconds')).toBe(1);
    // The refused write was not made.
    const stored = await jira<{ value: { n: number } }>(rt, 'blue', 'GET', `/issue/${key}/properties/limits-test`);
    expect(stored.body.value.n).toBe(L.perIssueWritesPer2Seconds - 1);
    // "You can continue making other API requests normally."
    expect((await setProperty('blue', other, 1)).status).toBeLessThan(300);
    expect((await call('blue', 'GET', `/rest/api/3/issue/${key}`)).status).toBe(200);
    // A person's own edit is not the app's call.
    expect((await jira(rt, 'blue', 'PUT', `/issue/${key}`, { fields: { summary: 'by a person' } })).status).toBe(204);
    vi.setSystemTime(Date.now() + 2_000);
    expect((await setProperty('blue', key, 100)).status).toBeLessThan(300);
  });

  it('refuses the 101st write to one issue within 30 s, though no 2 s held more than 20', async () => {
    const key = keys[2]!;
    const start = Date.now();
    for (let batch = 0; batch < L.perIssueWritesPer30Seconds / L.perIssueWritesPer2Seconds; batch++) {
      vi.setSystemTime(start + batch * 2_000);
      for (let i = 0; i < L.perIssueWritesPer2Seconds; i++) expect((await setProperty('blue', key, batch * 100 + i)).status).toBeLessThan(300);
    }
    vi.setSystemTime(Date.now() + 2_000);
    const refused = await setProperty('blue', key, -1);
    expect(refused.status).toBe(429);
    expect(headersOf(refused, 'x-ratelimit-limit', 'ratelimit-reason')).toEqual({ 'x-ratelimit-limit': String(L.perIssueWritesPer30Seconds), 'ratelimit-reason': 'jira-per-issue-on-write' });
    // The window frees 30 s after its first write: that is what Retry-After says.
    expect(Number(refused.headers.get('retry-after'))).toBe(Math.ceil((start + 30_000 - Date.now()) / 1000));
    expect(hits('blue', 'jira.perIssueWritesPer30Seconds')).toBe(1);
    vi.setSystemTime(start + 30_000);
    expect((await setProperty('blue', key, -2)).status).toBeLessThan(300);
  });

  it('is waited out by the app\'s Jira client when short, and reaches it as a "later" naming a longer Retry-After', async () => {
    const key = keys[1]!;
    for (let i = 0; i < L.perIssueWritesPer2Seconds; i++) await setProperty('blue', key, i);
    const client = createJiraClient(forgePlatform().jira);
    // The per-issue limit asks for 2 s: the app waits them out on the runtime's clock (src/forge/jira-patience.ts)
    // and sends the edit again, which goes through.
    const started = Date.now();
    await withClockMoving(rt, onSite('blue', () => client.issues.edit(key, { fields: { summary: 'a little later' } })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    // A longer wait is the caller's "later", with Jira's Retry-After.
    rt.site('blue').faults.setRateLimit(1, { retryAfterSeconds: 7 });
    const error = await onSite('blue', () => client.issues.edit(key, { fields: { summary: 'too soon' } })).catch((e: unknown) => e);
    rt.site('blue').faults.setRateLimit(0);
    expect(error).toMatchObject({ status: 429, kind: 'rate-limited', retryAfterMs: 7_000 });
  });
});

describe('the points quota', () => {
  it('prices reads by the objects they return and writes at 1, and says so in RateLimit headers', async () => {
    const quota = rt.site('blue').rateLimits!.quota;
    const before = quota.remaining(Date.now());
    const read = await call('blue', 'GET', `/rest/api/3/issue/${keys[0]}`);
    expect(before - quota.remaining(Date.now())).toBe(2); // 1 + one issue
    expect(read.headers.get('ratelimit-policy')).toBe(`"global-app-quota";q=${L.pointsPerHour};w=3600`);
    expect(read.headers.get('ratelimit')).toMatch(/^"global-app-quota";t=\d+$/);
    await setProperty('blue', keys[0]!, 1);
    expect(before - quota.remaining(Date.now())).toBe(3); // a write: 1
    const search = await onSite('blue', () => createJiraClient(forgePlatform().jira).search.jql('project = UD', { maxResults: 100 }));
    expect(before - quota.remaining(Date.now())).toBe(3 + 1 + search.issues.length);
  });

  it('refuses every call of the app on every site once the hour\'s pool is spent, until the top of the hour', async () => {
    const quota = rt.site('blue').rateLimits!.quota;
    // Spent from outside the app, all but 100 points (the last 20 % say how much is left).
    quota.charge(Date.now(), quota.remaining(Date.now()) - 100);
    const near = await call('blue', 'GET', '/rest/api/3/myself');
    expect(near.status).toBe(200);
    expect(headersOf(near, 'x-ratelimit-nearlimit')).toEqual({ 'x-ratelimit-nearlimit': 'true' });
    expect(near.headers.get('ratelimit')).toMatch(/^"global-app-quota";r=9[0-9];t=\d+$/);
    quota.charge(Date.now(), quota.remaining(Date.now()));

    const toTheHour = Math.ceil((quota.resetAt(Date.now()) - Date.now()) / 1000);
    for (const site of ['blue', 'green']) {
      const refused = await call(site, 'GET', '/rest/api/3/myself');
      expect(refused.status).toBe(429);
      expect(headersOf(refused, 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-nearlimit', 'ratelimit-reason')).toEqual({
        'retry-after': String(toTheHour),
        'x-ratelimit-limit': String(L.pointsPerHour),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-nearlimit': 'true',
        'ratelimit-reason': 'jira-quota-global-based',
      });
      expect(refused.headers.get('ratelimit')).toBe(`"global-app-quota";r=0;t=${toTheHour}`);
      expect(hits(site, 'jira.pointsPerHour')).toBe(1);
    }
    // Writes too, and a refused call charges nothing and changes nothing.
    expect((await setProperty('blue', keys[0]!, 7)).status).toBe(429);
    // People's own calls are not the app's quota.
    expect((await jira(rt, 'blue', 'GET', `/issue/${keys[0]}`)).status).toBe(200);

    vi.setSystemTime(quota.resetAt(Date.now()) - 1);
    expect((await call('blue', 'GET', '/rest/api/3/myself')).status).toBe(429);
    vi.setSystemTime(Date.now() + 1);
    const served = await call('green', 'GET', '/rest/api/3/myself');
    expect(served.status).toBe(200);
    expect(served.headers.get('ratelimit')).toBe('"global-app-quota";t=3600');
  });
});

describe('with the limits off (--no-limits, debugging only)', () => {
  it('holds the app to none of them', async () => {
    const off = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'jira-nolimits-')), reset: true, baseUrl: 'http://sandbox-jira-nolimits.test', limits: false });
    try {
      expect(off.site('blue').rateLimits).toBeUndefined();
      const created = await jira<{ key: string }>(off, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'free' } });
      const statuses: number[] = [];
      for (let i = 0; i <= L.perIssueWritesPer30Seconds; i++) {
        const response = await runInvocation(off.forge.installation('blue'), 'jira-limits-test', {}, () =>
          api.asApp().requestJira(api.assumeTrustedRoute(`/rest/api/3/issue/${created.body.key}/properties/free`), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ i }) }),
        );
        statuses.push(response.status);
      }
      expect(statuses.filter((s) => s === 429)).toEqual([]);
      expect(off.usage('blue').limitsHit).toEqual({});
    } finally {
      off.close();
    }
  });
});
