import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { holdMs, holdUntilOutbox, LONG_POLL_CAP_SECONDS, LONG_POLL_CHECK_MS, LONG_POLL_SESSION_SECONDS } from '../../src/transport/long-poll';
import { readPollChain } from '../../src/transport/poll-chain';
import { postEnvelope } from '../../src/transport/http';
import { keyringOf } from '../../src/transport/keyring';
import { newEnvelope } from '../../src/transport/envelopes';
import { getConnection } from '../../src/connections/store';
import { connectPrivate } from '../connections/helpers';
import { markerOf, replicaBody, type Site, World } from './world';

// The long poll of a busy private connection, on the injected clock: a site's
// `sleep` moves the world's clock, and a hook lets a test queue a message
// while the public side holds a poll.

/** Sleeps move the shared clock; `during` runs before the sleep numbered `at` (1-based) on this site. */
function sleepsOnClock(world: World, site: Site, during?: { at: number; run: () => Promise<void> }) {
  let sleeps = 0;
  site.sleep = async (ms: number) => {
    sleeps++;
    if (during && sleeps === during.at) await during.run();
    world.clock.advance(ms);
  };
  return () => sleeps;
}

describe('long poll: the public side holds a busy connection’s poll', () => {
  it('caps the hold whatever the private side asks, and inside what the invocation has left', () => {
    expect(holdMs(3_600, undefined)).toBe(LONG_POLL_CAP_SECONDS * 1000);
    expect(holdMs(1e12, 55_000)).toBe(LONG_POLL_CAP_SECONDS * 1000);
    expect(holdMs(5, 55_000)).toBe(5_000);
    expect(holdMs(20, 15_000)).toBe(5_000); // 10 s kept back for answering
    expect(holdMs(20, 4_000)).toBe(0);
    expect(holdMs(undefined, 55_000)).toBe(0);
    expect(holdMs(-3, 55_000)).toBe(0);
    expect(holdMs(Number.NaN, 55_000)).toBe(0);
  });

  it('a hold with nothing to send ends at its end, having looked every check interval; without sleep it does not hold', async () => {
    const world = new World();
    const { publicSide, id } = await connectPrivate(world);
    const start = world.clock.now();
    const plain = await holdUntilOutbox(publicSide.platform(), id, 20_000);
    expect(plain).toEqual({ found: false, checks: 0, waitedMs: 0 });
    sleepsOnClock(world, publicSide);
    const held = await holdUntilOutbox(publicSide.platform(), id, 20_000);
    expect(held).toEqual({ found: false, checks: 20_000 / LONG_POLL_CHECK_MS, waitedMs: 20_000 });
    expect(world.clock.now() - start).toBe(20_000);
  });

  it('a message queued during a busy link’s held poll reaches the private side within one check interval', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    let queuedAt = 0;
    sleepsOnClock(world, privateSide);
    const sleeps = sleepsOnClock(world, publicSide, {
      at: 7,
      run: async () => {
        queuedAt = world.clock.now();
        await sendMessage(publicSide.platform(), id, 'replica', replicaBody('held'));
      },
    });
    const seen: number[] = [];
    const recv = privateSide.received;
    const push = recv.push.bind(recv);
    recv.push = (...items) => {
      seen.push(world.clock.now());
      return push(...items);
    };
    await world.advance(30_000);
    expect(sleeps()).toBeGreaterThanOrEqual(7);
    expect(privateSide.received.map((r) => markerOf(r.envelope))).toEqual(['held']);
    expect(seen[0]! - queuedAt).toBeLessThanOrEqual(LONG_POLL_CHECK_MS);
    // Confirmed at once: the public side's outbox is empty again.
    expect(await publicSide.kvs.query(`outbox:${id}:`, { limit: 1 }).then((p) => p.results.length)).toBe(0);
  });

  it('a busy link long-polls until its next link, which is pushed one session later: one event per session', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    sleepsOnClock(world, privateSide);
    const publicSleeps = sleepsOnClock(world, publicSide);
    const polls = () => world.network.log.filter((r) => r.url.startsWith(publicSide.exalateUrl)).length;
    await world.advance(5_000);
    const before = polls();
    const hopBefore = (await readPollChain(privateSide.platform(), id))!.hop;
    await world.advance(60_000);
    const hops = (await readPollChain(privateSide.platform(), id))!.hop - hopBefore;
    // A minute of a busy connection: about 60 / 20 links (not 30 two-second polls), each about two calls.
    expect(hops).toBeLessThanOrEqual(Math.ceil(60 / LONG_POLL_SESSION_SECONDS) + 1);
    expect(polls() - before).toBeLessThanOrEqual(3 * (Math.ceil(60 / LONG_POLL_SESSION_SECONDS) + 1));
    expect(publicSleeps()).toBeGreaterThan(60);
  });

  it('against a public side that does not hold polls (earlier version), the private side polls plainly every 2 s and still gets messages', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    // The private side can wait; the public side answers at once, without saying it held the poll.
    let sentAt = 0;
    sleepsOnClock(world, privateSide, {
      at: 3,
      run: async () => {
        sentAt = world.clock.now();
        await sendMessage(publicSide.platform(), id, 'replica', replicaBody('plain'));
      },
    });
    const times: number[] = [];
    const recv = privateSide.received;
    const push = recv.push.bind(recv);
    recv.push = (...items) => {
      times.push(world.clock.now());
      return push(...items);
    };
    await world.advance(30_000);
    expect(privateSide.received.map((r) => markerOf(r.envelope))).toEqual(['plain']);
    expect(times[0]! - sentAt).toBeLessThanOrEqual(2_000);
  });

  it('a partner asking to be held for an hour is held for the cap, and the hold ends there whether or not anyone still waits for it', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    sleepsOnClock(world, publicSide);
    const connection = (await getConnection(privateSide.platform(), id))!;
    const keyring = (await keyringOf(privateSide.platform(), id))!;
    const start = world.clock.now();
    const envelope = newEnvelope(privateSide.platform(), { connectionId: connection.remote.connectionId }, 'poll', { messages: [], confirms: [], waitSeconds: 3_600 });
    // The caller is gone at once (killed): nothing awaits the answer, the public side's invocation still ends at the cap.
    const answer = postEnvelope(privateSide.platform(), connection.remote.url!, envelope, keyring);
    privateSide.restart();
    const reply = await answer;
    expect(reply.kind).toBe('answered');
    expect((reply as { body: { waitedMs: number; messages: unknown[] } }).body).toMatchObject({ waitedMs: LONG_POLL_CAP_SECONDS * 1000, messages: [] });
    expect(world.clock.now() - start).toBe(LONG_POLL_CAP_SECONDS * 1000);
    // The wait rides in the signed envelope: a request that is not one is refused before anything waits.
    const again = await world.network.client().fetch(connection.remote.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBeGreaterThanOrEqual(400);
  });
});
