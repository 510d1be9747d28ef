import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { handlePartnerRequest } from '../../src/transport';
import { sign } from '../../src/transport/signing';
import { REPLAY_RECORD_MS } from '../../src/transport/receive';
import type { Envelope } from '../../src/domain/messages';
import { connectPublic, initiate } from '../connections/helpers';
import { replicaBody, World, type Site } from './world';

// The partner endpoint is open to the internet: everything not signed with
// the connection's secret, current, and new must bounce off without a trace.

function secretOf(site: Site, connectionId: string): Buffer {
  const stored = site.snapshot().secrets[`connection-secret:${connectionId}`] as { current: string };
  return Buffer.from(stored.current, 'base64url');
}

function envelope(connectionId: string, messageId: string, body: unknown = replicaBody('forged')): Envelope {
  return { v: 1, connectionId, messageId, seq: 1, sentAt: 0, type: 'replica', body };
}

async function post(site: Site, raw: string, headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]]));
  return handlePartnerRequest(site.platform(), site.deps, { method: 'POST', headers: lower, body: raw, path: '/blue/x/partner-endpoint', queryParameters: {} });
}

function signed(key: Buffer, env: Envelope, timestamp: number) {
  const raw = JSON.stringify(env);
  return { raw, headers: { 'X-Sync-Timestamp': String(timestamp), 'X-Sync-Signature': sign(key, String(timestamp), env.messageId, raw) } };
}

async function expectBounced(site: Site, request: Promise<{ statusCode: number; body?: string }>, status: number, code: string) {
  const before = JSON.stringify(site.snapshot());
  const received = site.received.length;
  const queued = site.queue.size;
  const answer = await request;
  expect(answer.statusCode).toBe(status);
  expect(JSON.parse(answer.body ?? '{}')).toMatchObject({ code });
  expect(JSON.stringify(site.snapshot())).toBe(before);
  expect(site.received.length).toBe(received);
  expect(site.queue.size).toBe(queued);
}

describe('partner endpoint security', () => {
  it('takes a correctly signed message', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const { raw, headers } = signed(secretOf(blue, id), envelope(id, 'm-ok'), world.clock.now());
    expect((await post(blue, raw, headers)).statusCode).toBe(200);
    expect(blue.received).toHaveLength(1);
  });

  it('refuses a forged signature, a wrong secret and a missing signature', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const env = envelope(id, 'm-1');
    const raw = JSON.stringify(env);
    const ts = String(world.clock.now());
    await expectBounced(blue, post(blue, raw, { 'X-Sync-Timestamp': ts, 'X-Sync-Signature': 'A'.repeat(43) }), 401, 'bad-signature');
    await expectBounced(blue, post(blue, raw, { 'X-Sync-Timestamp': ts, 'X-Sync-Signature': sign(Buffer.alloc(32, 7), ts, env.messageId, raw) }), 401, 'bad-signature');
    await expectBounced(blue, post(blue, raw, { 'X-Sync-Timestamp': ts }), 401, 'bad-signature');
    // A valid signature over another body or another message id does not carry over.
    const other = signed(secretOf(blue, id), envelope(id, 'm-2'), world.clock.now());
    await expectBounced(blue, post(blue, raw, other.headers), 401, 'bad-signature');
    await expectBounced(blue, post(blue, JSON.stringify(envelope(id, 'm-2', replicaBody('changed'))), other.headers), 401, 'bad-signature');
  });

  it('refuses a stale or a future timestamp, and a malformed one', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const key = secretOf(blue, id);
    const old = signed(key, envelope(id, 'm-old'), world.clock.now() - 5 * 60_000 - 1);
    await expectBounced(blue, post(blue, old.raw, old.headers), 401, 'bad-timestamp');
    const future = signed(key, envelope(id, 'm-future'), world.clock.now() + 5 * 60_000 + 1);
    await expectBounced(blue, post(blue, future.raw, future.headers), 401, 'bad-timestamp');
    const edge = signed(key, envelope(id, 'm-edge'), world.clock.now() - 5 * 60_000);
    expect((await post(blue, edge.raw, edge.headers)).statusCode).toBe(200);
    const raw = JSON.stringify(envelope(id, 'm-x'));
    await expectBounced(blue, post(blue, raw, { 'X-Sync-Timestamp': 'yesterday', 'X-Sync-Signature': sign(key, 'yesterday', 'm-x', raw) }), 401, 'bad-timestamp');
  });

  it('answers a replayed message with the stored result and no second effect', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const key = secretOf(blue, id);
    const first = signed(key, envelope(id, 'm-replay', replicaBody(1)), world.clock.now());
    const answer1 = await post(blue, first.raw, first.headers);
    // The very same request again, then the same id re-signed later (a sender's retry).
    const answer2 = await post(blue, first.raw, first.headers);
    world.clock.advance(60_000);
    const again = signed(key, envelope(id, 'm-replay', replicaBody(1)), world.clock.now());
    const answer3 = await post(blue, again.raw, again.headers);
    expect(blue.received).toHaveLength(1);
    const outcomes = [answer1, answer2, answer3].map((a) => JSON.parse(a.body!).outcome);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
    // A replay outside the timestamp window is refused outright.
    world.clock.advance(10 * 60_000);
    await expectBounced(blue, post(blue, first.raw, first.headers), 401, 'bad-timestamp');
  });

  it('keeps no replay record for a type the engine tells by sequence: a repeat reaches its handler again; other types keep theirs', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    blue.deps = { ...blue.deps, toldBySequence: new Set(['replica']) };
    const key = secretOf(blue, id);
    const first = signed(key, envelope(id, 'm-seq', replicaBody(1)), world.clock.now());
    expect((await post(blue, first.raw, first.headers)).statusCode).toBe(200);
    expect((await post(blue, first.raw, first.headers)).statusCode).toBe(200);
    // The handler sees both (the engine's seq check makes the second change nothing) and nothing was written for them.
    expect(blue.received.map((r) => r.envelope.messageId)).toEqual(['m-seq', 'm-seq']);
    expect(Object.keys(blue.snapshot().values).filter((k) => k.startsWith('seen:'))).toEqual([]);
    // An ack is still handled once by its id.
    const ack = signed(key, { ...envelope(id, 'm-ack'), type: 'ack', body: { yourIssueId: '1', issueId: '2', issueKey: 'SC-1', url: null, seq: 1 } }, world.clock.now());
    await post(blue, ack.raw, ack.headers);
    await post(blue, ack.raw, ack.headers);
    expect(blue.received.filter((r) => r.envelope.type === 'ack')).toHaveLength(1);
    expect(Object.keys(blue.snapshot().values).filter((k) => k.startsWith('seen:'))).toHaveLength(1);
    // Outside the time window a replay is refused outright, as for every type.
    world.clock.advance(11 * 60_000);
    await expectBounced(blue, post(blue, first.raw, first.headers), 401, 'bad-timestamp');
  });

  it('keeps a replay record as long as a request could still be replayed inside the window, and not much longer', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const key = secretOf(blue, id);
    const start = world.clock.now();
    // Stamped a full window ahead of our clock: still acceptable two windows after it arrives.
    const ahead = signed(key, envelope(id, 'm-ahead', replicaBody(1)), start + 5 * 60_000);
    const first = await post(blue, ahead.raw, ahead.headers);
    expect(first.statusCode).toBe(200);
    world.clock.set(start + 10 * 60_000);
    const replayed = await post(blue, ahead.raw, ahead.headers);
    expect(JSON.parse(replayed.body!).outcome).toEqual(JSON.parse(first.body!).outcome);
    expect(blue.received).toHaveLength(1);
    world.clock.set(start + 10 * 60_000 + 1);
    await expectBounced(blue, post(blue, ahead.raw, ahead.headers), 401, 'bad-timestamp');
    // Minutes, not days: the record goes by itself 15 minutes after the last request carrying it was taken.
    world.clock.set(start + 10 * 60_000 + REPLAY_RECORD_MS - 1);
    expect(blue.kvs.keys(`seen:${id}:`)).toEqual([`seen:${id}:m-ahead`]);
    world.clock.set(start + 10 * 60_000 + REPLAY_RECORD_MS);
    expect(blue.kvs.keys(`seen:${id}:`)).toEqual([]);
  });

  it('keeps the record longer when a repeat is answered from it, so the repeat cannot be replayed for a second effect', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const key = secretOf(blue, id);
    const start = world.clock.now();
    const original = signed(key, envelope(id, 'm-retried', replicaBody(1)), start);
    const first = JSON.parse((await post(blue, original.raw, original.headers)).body!).outcome;
    // The sender's retry, re-signed late in the record's life, is answered from the record...
    world.clock.set(start + 12 * 60_000);
    const retry = signed(key, envelope(id, 'm-retried', replicaBody(1)), world.clock.now() + 5 * 60_000);
    expect(JSON.parse((await post(blue, retry.raw, retry.headers)).body!).outcome).toEqual(first);
    // ...and a replay of that retry, still inside its window after the original record would have gone, is too.
    world.clock.set(start + 22 * 60_000);
    expect(JSON.parse((await post(blue, retry.raw, retry.headers)).body!).outcome).toEqual(first);
    expect(blue.received).toHaveLength(1);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const big = signed(secretOf(blue, id), envelope(id, 'm-big', replicaBody('x'.repeat(1024 * 1024))), world.clock.now());
    await expectBounced(blue, post(blue, big.raw, big.headers), 413, 'too-large');
  });

  it('refuses an unknown connection, a connection not yet accepted, and malformed requests', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const key = secretOf(blue, id);
    const unknown = signed(key, envelope('4d9c1e43-0000-4000-8000-000000000000', 'm-u'), world.clock.now());
    await expectBounced(blue, post(blue, unknown.raw, unknown.headers), 404, 'unknown-connection');
    const pending = await initiate(blue, world.site('green'));
    const early = signed(key, envelope(pending.connectionId, 'm-p'), world.clock.now());
    await expectBounced(blue, post(blue, early.raw, early.headers), 409, 'not-established');
    await expectBounced(blue, post(blue, '{not json', {}), 400, 'not-json');
    await expectBounced(blue, post(blue, JSON.stringify({ hello: 'world' }), {}), 400, 'not-an-envelope');
    await expectBounced(blue, post(blue, JSON.stringify({ ...envelope(id, 'bad id!'), v: 1 }), {}), 400, 'not-an-envelope');
    const put = await handlePartnerRequest(blue.platform(), blue.deps, { method: 'PUT', headers: {}, body: '', path: '/', queryParameters: {} });
    expect(put.statusCode).toBe(405);
  });

  it('answers GET with who it is, and nothing secret', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const info = await handlePartnerRequest(blue.platform(), blue.deps, { method: 'GET', headers: {}, body: '', path: '/', queryParameters: {} });
    expect(JSON.parse(info.body!)).toMatchObject({ app: 'exalate-forge-sync', name: 'blue', exalateUrl: blue.exalateUrl, acceptPage: blue.acceptPageUrl });
    expect(info.body).not.toContain(secretOf(blue, id).toString('base64url'));
  });

  it('a sender ignores an answer that is not signed by the partner and keeps the message', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    // Someone answers in green's place with a plausible, unsigned success.
    world.network.register(green.exalateUrl, async (request) => ({
      statusCode: 200,
      body: JSON.stringify({ messageId: JSON.parse(request.body).messageId, outcome: { status: 'ok', result: null } }),
    }));
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    expect(blue.delivered).toEqual([]);
  });
});
