import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { sign } from '../../src/transport/signing';
import { adf, connect, invoke, jira } from '../integration/helpers';
import { connectionSecret } from './scenarios';

// The security suite against the whole local runtime served over real HTTP
// (127.0.0.1, so requests leave the process's fetch router and go through
// the socket): everything hostile must be refused with a clear error, change
// nothing, and leave the runtime serving. Each block prints what it tried.

let rt: StartedRuntime;
let origin: string;
let blueConnectionId: string;
let greenConnectionId: string;
let greenSecret: Buffer;
let pair: { blue: string; green: string };
const tried: Record<string, Record<string, number>> = {};

const count = (block: string, outcome: string) => {
  tried[block] ??= {};
  tried[block]![outcome] = (tried[block]![outcome] ?? 0) + 1;
};

async function overHttp(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${origin}${path}`, init);
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: response.status, body };
}

const toPartner = (site: string, body: string, headers: Record<string, string> = {}) =>
  overHttp(`/${site}/x/partner-endpoint`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const resolver = (site: string, key: string, payload: unknown) =>
  overHttp(`/${site}/bridge/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, payload, context: {} }) });

function envelope(messageId: string, body: unknown = { forged: true }) {
  return { v: 1, connectionId: greenConnectionId, messageId, seq: 1, sentAt: Date.now(), type: 'replica', body };
}

function signedHeaders(key: Buffer, messageId: string, raw: string, timestamp = Date.now()) {
  return { 'x-sync-timestamp': String(timestamp), 'x-sync-signature': sign(key, String(timestamp), messageId, raw) };
}

const greenSummary = async () => (await jira<{ fields: { summary: string } }>(rt, 'green', 'GET', `/issue/${pair.green}?fields=summary`)).body.fields.summary;

beforeAll(async () => {
  rt = await startLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'faults-security-')), reset: true, port: 0 });
  origin = rt.url.replace('localhost', '127.0.0.1');
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
  const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'guarded' } });
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
  await rt.settle();
  const status = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
  pair = { blue: created.body.key, green: status.twins[0]!.remoteKey };
  greenSecret = await connectionSecret({ rt }, 'green', greenConnectionId);
});

afterAll(async () => {
  console.log(`[security] ${JSON.stringify(tried, null, 1)}`);
  await rt?.stop();
});

describe('partner endpoint over HTTP', () => {
  it('refuses forged envelopes: no signature, a made-up one, a wrong key, a signature over other content', async () => {
    const env = envelope('forged-1', { summary: 'pwned' });
    const raw = JSON.stringify(env);
    const ts = String(Date.now());
    const attempts: [string, Record<string, string>, string][] = [
      ['no signature', { 'x-sync-timestamp': ts }, raw],
      ['made-up signature', { 'x-sync-timestamp': ts, 'x-sync-signature': 'A'.repeat(43) }, raw],
      ['wrong key', signedHeaders(Buffer.alloc(32, 9), env.messageId, raw), raw],
      ['signed, then body changed', signedHeaders(greenSecret, env.messageId, raw), raw.replace('pwned', 'pwnd!')],
      ['unknown connection', signedHeaders(greenSecret, 'forged-2', JSON.stringify({ ...envelope('forged-2'), connectionId: 'no-such-connection' })), JSON.stringify({ ...envelope('forged-2'), connectionId: 'no-such-connection' })],
    ];
    for (const [label, headers, body] of attempts) {
      const answer = await toPartner('green', body, headers);
      count('forged', `${answer.status} ${String(answer.body.code)}`);
      expect(answer.status, label).toBeGreaterThanOrEqual(400);
      expect(answer.status, label).toBeLessThan(500);
      expect(String(answer.body.error ?? ''), label).not.toBe('');
    }
    expect(await greenSummary()).toBe('guarded');
  });

  it('answers a replayed request with the stored answer once, and refuses stale or future timestamps', async () => {
    // A genuine, harmless message: a ping signed with the connection's key.
    const ping = { ...envelope('replay-ping-1'), type: 'ping', seq: 0, body: {} };
    const raw = JSON.stringify(ping);
    const headers = signedHeaders(greenSecret, ping.messageId, raw);
    const first = await toPartner('green', raw, headers);
    const again = await toPartner('green', raw, headers);
    count('replayed', `first ${first.status}`);
    count('replayed', `replay ${again.status}`);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    for (const [label, shift] of [['stale', -5 * 60_000 - 1_000], ['future', 5 * 60_000 + 1_000]] as const) {
      const env = { ...ping, messageId: `replay-${label}` };
      const body = JSON.stringify(env);
      const answer = await toPartner('green', body, signedHeaders(greenSecret, env.messageId, body, Date.now() + shift));
      count('replayed', `${label} ${answer.status} ${String(answer.body.code)}`);
      expect(answer).toMatchObject({ status: 401, body: { code: 'bad-timestamp' } });
    }
  });

  it('refuses an oversized body before reading it as JSON', async () => {
    const big = JSON.stringify(envelope('big-1', { blob: 'x'.repeat(2 * 1024 * 1024) }));
    const answer = await toPartner('green', big, signedHeaders(greenSecret, 'big-1', big));
    count('oversized', `${answer.status} ${String(answer.body.code)}`);
    expect(answer).toMatchObject({ status: 413, body: { code: 'too-large' } });
  });

  const bomb = (depth: number, messageId: string) =>
    `{"v":1,"connectionId":"${greenConnectionId}","messageId":"${messageId}","seq":1,"sentAt":0,"type":"replica","body":${'['.repeat(depth)}${']'.repeat(depth)}}`;

  it('bounces unsigned JSON bombs before parsing and keeps serving', async () => {
    const answers: number[] = [];
    for (const depth of [1_000, 100_000, 500_000]) {
      const answer = await toPartner('green', bomb(depth, `bomb-${depth}`), { 'x-sync-timestamp': String(Date.now()), 'x-sync-signature': 'A'.repeat(43) });
      count('json bombs', `unsigned depth ${depth} → ${answer.status} ${String(answer.body.code)}`);
      answers.push(answer.status);
    }
    const unbalanced = await toPartner('green', '['.repeat(900_000));
    count('json bombs', `unbalanced 900k → ${unbalanced.status} ${String(unbalanced.body.code)}`);
    answers.push(unbalanced.status);
    for (const status of answers) expect(status >= 400 && status < 500).toBe(true);
    expect((await overHttp('/green/rest/api/3/myself')).status).toBe(200);
    expect(await greenSummary()).toBe('guarded');
  });

  it('refuses a signed but deeply nested message as unreadable (4xx, not retryable), and keeps serving', async () => {
    const answers: { depth: number; status: number; retryable: unknown }[] = [];
    for (const depth of [1, 40, 1_000, 100_000]) {
      const body = bomb(depth, `signed-bomb-${depth}`);
      const answer = await toPartner('green', body, signedHeaders(greenSecret, `signed-bomb-${depth}`, body));
      count('json bombs', `signed depth ${depth} → ${answer.status} ${String(answer.body.code)} retryable=${String(answer.body.retryable)}`);
      answers.push({ depth, status: answer.status, retryable: answer.body.retryable });
    }
    expect((await overHttp('/green/rest/api/3/myself')).status).toBe(200);
    expect(await greenSummary()).toBe('guarded');
    // A 5xx would make the sender retry a message that can never be read.
    for (const a of answers) expect(a.status >= 400 && a.status < 500, `depth ${a.depth} answered ${a.status}`).toBe(true);
  });
});

describe('invitation codes over HTTP', () => {
  it('refuses tampered, truncated, garbage and used codes, each with its own message', async () => {
    const greenSite = String((await resolver('green', 'getInstance', {})).body.siteUrl);
    const initiated = await resolver('blue', 'initiateConnection', { destinationUrl: null, mode: 'script', localName: 'Blue2', remoteName: 'Green2', projectKey: 'UD', partnerSiteUrl: greenSite });
    expect(initiated.status).toBe(200);
    const code = String(initiated.body.invitationCode);
    const decoded = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as Record<string, unknown>;
    const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const attempts: [string, string][] = [
      ['garbage', 'not-a-code!!'],
      ['truncated', code.slice(0, Math.floor(code.length / 2))],
      ['one character flipped', flip(code, Math.floor(code.length / 3))],
      ['token changed', reencode({ ...decoded, token: flip(String(decoded.token), 3) })],
      ['expiry pushed out', reencode({ ...decoded, expiresAt: Number(decoded.expiresAt) + 365 * 86_400_000 })],
      ['other inviter', reencode({ ...decoded, inviter: { ...(decoded.inviter as object), url: 'https://evil.example/x' } })],
      ['huge', 'A'.repeat(200_000)],
    ];
    const messages = new Set<string>();
    for (const [label, attempt] of attempts) {
      const answer = await resolver('green', 'acceptInvitation', { invitationCode: attempt, projectKey: 'SC' });
      count('invitation codes', `${label} → ${answer.status}`);
      expect(answer.status, label).toBeGreaterThanOrEqual(400);
      // A code naming another inviter is only caught by that inviter (it holds the token's digest), so the
      // acceptor reports that it could not reach it (502), and nothing is made.
      expect(answer.status, label).toBeLessThan(label === 'other inviter' ? 503 : 500);
      expect(String(answer.body.error ?? ''), label).not.toBe('');
      messages.add(String(answer.body.error));
    }
    const connections = await resolver('green', 'listConnections', {});
    count('invitation codes', `connections on green after the attempts: ${(connections.body.connections as unknown[]).length} (1 expected before the genuine accept)`);
    expect(connections.body.connections as unknown[]).toHaveLength(1);
    const accepted = await resolver('green', 'acceptInvitation', { invitationCode: code, projectKey: 'SC' });
    expect(accepted.status).toBe(200);
    const reused = await resolver('green', 'acceptInvitation', { invitationCode: code, projectKey: 'SC' });
    count('invitation codes', `used twice → ${reused.status}`);
    expect(reused.status).toBeGreaterThanOrEqual(400);
    expect(messages.size).toBeGreaterThan(2);
  });
});

describe('hostile rule scripts in the running app', () => {
  const hostile: [string, string, string][] = [
    ['infinite loop', 'while (true) {}', 'timeout'],
    ['memory growth', 'var s = "x";\nwhile (true) { s = s + s; }', 'memory'],
    ['deep recursion', 'function down(n) { return down(n + 1) + 1; }\ndown(0);', 'stack'],
    ['JSON bomb inside', 'JSON.parse("[".repeat(200000));', 'stack'],
    ['host object via constructor', 'constructor.constructor("return process")().exit(1);', 'runtime'],
    ['network', 'fetch("https://example.com");', 'runtime'],
    ['require', 'require("child_process").execSync("id");', 'runtime'],
  ];

  it('contains each through testRules over HTTP with an error of its kind', async () => {
    for (const [label, script, kind] of hostile) {
      const started = Date.now();
      const answer = await resolver('blue', 'testRules', { connectionId: blueConnectionId, issueKey: pair.blue, outgoing: script });
      count('hostile scripts', `${label} → ${String((answer.body.error as { kind?: string } | undefined)?.kind)} in ${Date.now() - started} ms`);
      expect(answer.status, label).toBe(200);
      expect(answer.body, label).toMatchObject({ ok: false, error: { kind } });
      expect(String((answer.body.error as { message: string }).message), label).not.toBe('');
    }
  });

  it('keeps prototype tricks inside the run', async () => {
    const polluter = 'Object.prototype.polluted = "yes"; Array.prototype.map = function () { return ["hijacked"]; }; replica.summary = "p";';
    const answer = await resolver('blue', 'testRules', { connectionId: blueConnectionId, issueKey: pair.blue, outgoing: `${polluter}` });
    expect(answer.body).toMatchObject({ ok: true });
    const after = await resolver('blue', 'testRules', { connectionId: blueConnectionId, issueKey: pair.blue, outgoing: 'replica.summary = String(({}).polluted) + [1].map(function (x) { return x + 1; });' });
    count('hostile scripts', `prototype pollution leaked: ${JSON.stringify((after.body.replica as { summary: string }).summary)}`);
    expect((after.body.replica as { summary: string }).summary).toBe('undefined2');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('turns a published endless loop into a sync error on that twin only; the rest keeps syncing', async () => {
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
    await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing: `if (issue.summary === "loop") { while (true) {} }\n${rules.outgoing}`, incoming: rules.incoming });
    const looping = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'loop', description: adf('x') } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: looping.body.key });
    await jira(rt, 'blue', 'PUT', `/issue/${pair.blue}`, { fields: { summary: 'still syncing' } });
    await rt.settle();
    const status = await invoke<{ twins: { status: string; error: { message: string } | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: looping.body.key });
    count('hostile scripts', `published loop → twin ${status.twins[0]?.status}: ${status.twins[0]?.error?.message}`);
    expect(status.twins[0]).toMatchObject({ status: 'error' });
    expect(status.twins[0]!.error!.message).toMatch(/step budget|ms|time/i);
    expect(await greenSummary()).toBe('still syncing');
    await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, ...rules });
  });
});
