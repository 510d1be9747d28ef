import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { readDeliveryState } from '../../src/transport';
import { backoffSeconds } from '../../src/transport/delivery-state';
import { DEFAULT_SETTINGS } from '../../src/transport/types';
import { seenExpiryKey, seenKey } from '../../src/transport/keys';
import { REPLAY_RECORD_MS } from '../../src/transport/receive';
import { SeededRandom, SimulatedCrash } from '../support/memory-platform';
import { bodies, connectLocal, connectPrivate, connectPublic, row } from '../connections/helpers';
import { markerOf, replicaBody, World, type Site } from './world';
import { z } from 'zod';
import { listQueue } from '../../src/operations/queue-view';
import { adjustIssuesUnderSync, countStepPrefix, getStats, setIssuesUnderSync } from '../../src/connections/store';
import { newTwin, twinStore } from '../../src/sync/twins';
import { runSyncMaintenance } from '../../src/sync/twins-maintenance';

const ids = (site: Site, connectionId?: string) => site.replicasFrom(connectionId).map((e) => e.messageId);

describe('delivery when the partner is away', () => {
  it('keeps 50 messages while the partner is down, shows the error, and delivers all exactly once, in order, when it is back', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'refused');
    const sent: number[] = [];
    for (let n = 0; n < 50; n++) {
      await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
      sent.push(n);
    }
    await world.advance(30 * 60_000);
    expect(bodies(green)).toEqual([]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(50);
    const down = await row(blue, id);
    expect(down?.status).toBe('Error');
    expect(down?.statusReason).toMatch(/^The partner could not be reached \(fetch failed \(connection refused\)\)\. \(\d+ failed attempts in a row since .*messages stay queued/);

    world.network.setDown(green.exalateUrl, null);
    await world.advance(20 * 60_000);
    expect(bodies(green)).toEqual(sent);
    expect(new Set(ids(green)).size).toBe(50);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
    expect((await row(blue, id))?.status).toBe('Active');
    expect(blue.delivered).toHaveLength(50);
  });

  it('sets a message the partner can never read aside, delivers the rest, and shows it in the Sync queue with the reason', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    // The partner's engine cannot read the message marked 2: the transport refuses it for good (4xx unreadable).
    green.failInbound = (envelope) => (markerOf(envelope) === 2 ? z.object({ n: z.string() }).safeParse(envelope.body).error! : false);
    for (const n of [1, 2, 3]) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    await world.runDue();
    expect(bodies(green)).toEqual([1, 3]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
    expect((await row(blue, id))?.status).toBe('Active');
    expect(await listQueue(blue.platform(), { connectionId: id })).toEqual([
      expect.objectContaining({ direction: 'outgoing', type: 'replica', seq: 2, status: 'refused by the partner; not sent again', lastError: expect.stringContaining('cannot be read') }),
    ]);
  });

  it('coalesces nudges: a burst of messages costs a few queue events, and an outage one retry chain', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    const pushesBefore = blue.queueData.pushes;
    for (let n = 0; n < 200; n++) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    expect(blue.queueData.pushes - pushesBefore).toBe(1);
    await world.runDue();
    expect(bodies(green)).toHaveLength(200);
    expect(blue.queueData.pushes - pushesBefore).toBeLessThanOrEqual(3);

    world.network.setDown(green.exalateUrl, 'refused');
    await sendMessage(blue.platform(), id, 'replica', replicaBody('first'));
    await world.runDue();
    for (let n = 0; n < 50; n++) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    await world.advance(30 * 60_000);
    expect(blue.queue.pending('transport.deliver').length).toBeLessThanOrEqual(1);
  });

  it('shows Error only after the configured number of failures', async () => {
    const world = new World({ settings: { failuresBeforeError: 3 } });
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'unavailable');
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    expect((await readDeliveryState(blue.platform(), id)).failures).toBe(1);
    expect((await row(blue, id))?.status).toBe('Active');
    while ((await readDeliveryState(blue.platform(), id)).failures < 3) {
      const next = blue.queue.nextAvailableAt()!;
      await world.advance(next - world.clock.now());
    }
    expect((await row(blue, id))?.status).toBe('Error');
  });

  it('backs off exponentially with jitter and honours Retry-After', async () => {
    const random = { bytes: new SeededRandom(3).bytes.bind(new SeededRandom(3)), uuid: () => 'x' };
    const platform = { random } as never;
    for (let failures = 1; failures <= 10; failures++) {
      const step = Math.min(900, 5 * 2 ** (failures - 1));
      const delay = backoffSeconds(platform, failures, DEFAULT_SETTINGS);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
      expect(delay).toBeLessThanOrEqual(step);
    }
    expect(backoffSeconds(platform, 1, DEFAULT_SETTINGS, 120)).toBe(120);
    expect(backoffSeconds(platform, 1, DEFAULT_SETTINGS, 5000)).toBe(900);

    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    await green.call('setConnectionActive', { connectionId: id, active: false });
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    const [retry] = blue.queue.pending('transport.deliver');
    expect(retry!.availableAt - world.clock.now()).toBeGreaterThanOrEqual(300_000);
  });

  it('loses and doubles nothing when answers are lost on the way back', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.loseResponses(green.exalateUrl, 3);
    for (let n = 0; n < 5; n++) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    await world.advance(10 * 60_000);
    expect(bodies(green)).toEqual([0, 1, 2, 3, 4]);
    expect(blue.delivered.map((d) => markerOf(d.envelope))).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a message the engine could not take yet and delivers it once it can', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    let failing = true;
    green.failInbound = (e) => failing && markerOf(e) === 1;
    for (let n = 0; n < 3; n++) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    await world.advance(60_000);
    expect(bodies(green)).toEqual([0]);
    failing = false;
    await world.advance(10 * 60_000);
    expect(bodies(green)).toEqual([0, 1, 2]);
  });

  it('private side: 50 messages each way across an outage of the public side', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    world.network.setDown(publicSide.exalateUrl, 'refused');
    for (let n = 0; n < 50; n++) {
      await sendMessage(privateSide.platform(), id, 'replica', replicaBody(n));
      await sendMessage(publicSide.platform(), id, 'replica', replicaBody(n));
    }
    await world.advance(10 * 60_000);
    expect((await row(privateSide, id))?.status).toBe('Error');
    world.network.setDown(publicSide.exalateUrl, null);
    await world.advance(5 * 60_000);
    const all = Array.from({ length: 50 }, (_, n) => n);
    expect(bodies(publicSide)).toEqual(all);
    expect(bodies(privateSide)).toEqual(all);
    expect((await row(privateSide, id))?.status).toBe('Active');
    expect(publicSide.kvs.keys(`outbox:${id}:`)).toEqual([]);
    expect(privateSide.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('refuses a message too large for the outbox, saying how large it may be', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const chunk = (data: string) => ({ attachmentId: '10100', sha256: '0'.repeat(64), index: 0, total: 1, data });
    await expect(sendMessage(blue.platform(), id, 'attachment', chunk('x'.repeat(250 * 1024)))).rejects.toThrow(
      /^This attachment message is 25\d KiB; a message may be at most 240 KiB\. Send attachments in chunks\.$/,
    );
    await sendMessage(blue.platform(), id, 'attachment', chunk('x'.repeat(230 * 1024)));
    await expect(sendMessage(blue.platform(), id, 'poll' as never, {} as never)).rejects.toThrow(/not a message type the sync engine can send/);
  });
});

describe('restarts', () => {
  /** Crash the sender at its n-th storage operation while it delivers, restart it, let maintenance pick up. */
  async function crashSenderAt(n: number): Promise<{ crashed: boolean; received: unknown[]; delivered: number }> {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    for (let m = 0; m < 5; m++) await sendMessage(blue.platform(), id, 'replica', replicaBody(m));
    let count = 0;
    blue.kvs.beforeOp = () => {
      if (++count === n) throw new SimulatedCrash(`storage operation ${n}`);
    };
    let crashed = false;
    try {
      await world.runDue();
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) throw e;
      crashed = true;
    }
    blue.restart();
    // The crashed worker's lease runs out; the five-minute maintenance re-drives the outbox.
    await world.advance(5 * 60_000);
    await blue.maintenance();
    await world.advance(5 * 60_000);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
    return { crashed, received: bodies(green), delivered: blue.delivered.length };
  }

  it('a sender crashing at any point of a delivery run loses and doubles nothing', async () => {
    let n = 1;
    for (;; n++) {
      const { crashed, received } = await crashSenderAt(n);
      expect(received, `crash at operation ${n}`).toEqual([0, 1, 2, 3, 4]);
      if (!crashed) break;
    }
    // Every storage operation of the run was a crash point (the run itself needs a fair number of them).
    expect(n).toBeGreaterThan(15);
  });

  it('a receiver crashing after it recorded a message but before answering does not double it', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    let armed = true;
    green.kvs.afterWrite = (op, key) => {
      if (armed && op === 'set' && key.startsWith(`seen:${id}:`)) {
        armed = false;
        throw new SimulatedCrash('after recording, before answering');
      }
    };
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    expect(armed).toBe(false);
    green.restart();
    await world.advance(10 * 60_000);
    expect(bodies(green)).toEqual([1]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  // Between the engine's handler returning and the dedupe record being written
  // there is a window no storage can close (the handler's effects are Jira
  // calls). A crash there hands the message to the engine once more, with the
  // same message id, which the engine uses to apply it once.
  it('a receiver crashing at any point loses nothing and repeats at most the one message it was handling, same id', async () => {
    let repeats = 0;
    for (let n = 1; n <= 60; n++) {
      const world = new World();
      const { blue, green, id } = await connectPublic(world);
      for (let m = 0; m < 4; m++) await sendMessage(blue.platform(), id, 'replica', replicaBody(m));
      let count = 0;
      green.kvs.beforeOp = () => {
        if (++count === n) throw new SimulatedCrash(`receiver operation ${n}`);
      };
      // The crash surfaces in the sender as a failed call (the web trigger died).
      await world.runDue();
      green.restart();
      await world.advance(15 * 60_000);
      const seen = ids(green);
      const firsts = [...new Set(seen)];
      expect(firsts.map((mid) => markerOf(green.received.find((r) => r.envelope.messageId === mid)!.envelope)), `crash at ${n}`).toEqual([0, 1, 2, 3]);
      expect(seen.length - firsts.length, `crash at ${n}`).toBeLessThanOrEqual(1);
      repeats += seen.length - firsts.length;
      expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
    }
    // The window exists (the test would notice if it silently grew or vanished).
    expect(repeats).toBeGreaterThan(0);
    expect(repeats).toBeLessThan(10);
  });

  it('a restart of both sides of a private connection mid-exchange loses nothing, repeats at most one message by id', async () => {
    const setUp = async () => {
      const world = new World();
      const { publicSide, privateSide, id } = await connectPrivate(world);
      for (let n = 0; n < 10; n++) {
        await sendMessage(publicSide.platform(), id, 'replica', replicaBody(n));
        await sendMessage(privateSide.platform(), id, 'replica', replicaBody(n));
      }
      return { world, publicSide, privateSide, id };
    };
    // How many storage operations the private side's exchange takes, so every stretch of it gets a crash.
    const dry = await setUp();
    const before = dry.privateSide.kvs.ops;
    await dry.world.runDue();
    const span = dry.privateSide.kvs.ops - before;
    expect(span).toBeGreaterThan(30);

    for (let crashAt = 1; crashAt <= span; crashAt += Math.ceil(span / 12)) {
      const { world, publicSide, privateSide } = await setUp();
      let count = 0;
      privateSide.kvs.beforeOp = () => {
        if (++count === crashAt) throw new SimulatedCrash('private side mid-poll');
      };
      await expect(world.runDue()).rejects.toBeInstanceOf(SimulatedCrash);
      privateSide.restart();
      publicSide.restart();
      await world.advance(5 * 60_000);
      await privateSide.maintenance();
      await world.advance(5 * 60_000);
      const all = Array.from({ length: 10 }, (_, n) => n);
      expect(bodies(publicSide), `crash at ${crashAt}`).toEqual(all);
      const firsts = [...new Set(ids(privateSide))];
      expect(firsts.map((mid) => markerOf(privateSide.received.find((r) => r.envelope.messageId === mid)!.envelope)), `crash at ${crashAt}`).toEqual(all);
      expect(ids(privateSide).length - firsts.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('secret rotation', () => {
  it('agrees a new secret by a signed exchange, with messages in flight both ways, none lost', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    const secret = (site: Site) => (site.snapshot().secrets[`connection-secret:${id}`] as { current: string; pending?: string; previous?: unknown });
    const old = secret(blue).current;
    await sendMessage(green.platform(), id, 'replica', replicaBody('g1'));
    expect(await blue.call('rotateSecret', { connectionId: id })).toMatchObject({ ok: true, status: 'requested' });
    await sendMessage(blue.platform(), id, 'replica', replicaBody('b1'));
    await world.runDue();
    expect(secret(blue).current).not.toBe(old);
    // Green keeps the new one pending until blue signs with it, which b1 already did.
    expect(secret(green).current).toBe(secret(blue).current);
    await sendMessage(green.platform(), id, 'replica', replicaBody('g2'));
    await sendMessage(blue.platform(), id, 'replica', replicaBody('b2'));
    await world.runDue();
    expect(bodies(green)).toEqual(['b1', 'b2']);
    expect(bodies(blue)).toEqual(['g1', 'g2']);
    // Never on the wire, never in a log.
    const wire = JSON.stringify([world.network.log, blue.log.entries, green.log.entries]);
    expect(wire).not.toContain(secret(blue).current);
  });

  it('accepts the old secret during the grace period only', async () => {
    const world = new World({ settings: { secretGraceSeconds: 600 } });
    const { blue, green, id } = await connectPublic(world);
    await blue.call('rotateSecret', { connectionId: id });
    await world.runDue();
    await sendMessage(blue.platform(), id, 'replica', replicaBody('promote'));
    await world.runDue();
    const { sign } = await import('../../src/transport/signing');
    const { handlePartnerRequest } = await import('../../src/transport');
    const oldKey = Buffer.from((blue.snapshot().secrets[`connection-secret:${id}`] as { previous: { secret: string } }).previous.secret, 'base64url');
    const post = async (messageId: string) => {
      const raw = JSON.stringify({ v: 1, connectionId: id, messageId, seq: 9, sentAt: 0, type: 'replica', body: replicaBody(messageId) });
      const ts = String(world.clock.now());
      return (await handlePartnerRequest(blue.platform(), blue.deps, { method: 'POST', headers: { 'x-sync-timestamp': [ts], 'x-sync-signature': [sign(oldKey, ts, messageId, raw)] }, body: raw, path: '/', queryParameters: {} })).statusCode;
    };
    expect(await post('late-but-in-grace')).toBe(200);
    world.clock.advance(601_000);
    expect(await post('after-grace')).toBe(401);
    expect(green).toBeDefined();
  });

  it('rotation requested by the public side of a private connection completes through polls', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    const current = (site: Site) => (site.snapshot().secrets[`connection-secret:${id}`] as { current: string }).current;
    const old = current(publicSide);
    await publicSide.call('rotateSecret', { connectionId: id });
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody(1));
    await world.advance(2 * 60_000);
    expect(current(publicSide)).not.toBe(old);
    expect(current(privateSide)).toBe(current(publicSide));
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody(2));
    await world.advance(60_000);
    expect(bodies(publicSide)).toEqual([1]);
    expect(bodies(privateSide)).toEqual([2]);
  });
});

describe('bookkeeping', () => {
  it('forgets message ids by themselves shortly after the clock window, with nothing to sweep', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    for (let n = 0; n < 3; n++) await sendMessage(blue.platform(), id, 'replica', replicaBody(n));
    await world.runDue();
    expect(green.kvs.keys(`seen:${id}:`)).toHaveLength(3);
    expect(green.kvs.keys(`seen-expiry:${id}:`)).toEqual([]);
    expect(REPLAY_RECORD_MS).toBe(15 * 60_000);
    world.clock.advance(REPLAY_RECORD_MS - 1_000);
    expect(green.kvs.keys(`seen:${id}:`)).toHaveLength(3);
    world.clock.advance(1_000);
    expect(green.kvs.keys(`seen:${id}:`)).toEqual([]);
  });

  it('still sweeps the replay records an earlier version kept for 30 days through its expiry index', async () => {
    const world = new World();
    const { green, id } = await connectPublic(world);
    const now = world.clock.now();
    for (const [messageId, expiresAt] of [['old-1', now + 1_000], ['old-2', now + 30 * 86_400_000]] as const) {
      await green.kvs.set(seenKey(id, messageId), { state: 'done', at: now, expiresAt, outcome: { status: 'ok', result: null } });
      await green.kvs.set(seenExpiryKey(id, expiresAt, messageId), 1);
    }
    world.clock.advance(2_000);
    await green.maintenance();
    expect(green.kvs.keys(`seen:${id}:`)).toEqual([seenKey(id, 'old-2')]);
    expect(green.kvs.keys(`seen-expiry:${id}:`)).toHaveLength(1);
  });

  it('local connections survive a restart mid-delivery too', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    for (let n = 0; n < 5; n++) await sendMessage(site.platform(), first, 'replica', replicaBody(n));
    let count = 0;
    site.kvs.beforeOp = () => {
      if (++count === 25) throw new SimulatedCrash('local');
    };
    await expect(world.runDue()).rejects.toBeInstanceOf(SimulatedCrash);
    site.restart();
    await world.advance(5 * 60_000);
    await site.maintenance();
    await world.runDue();
    expect(bodies(site, second)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('issues under sync', () => {
  it('is set from the twins by the scheduled maintenance, once an hour per connection', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const platform = blue.platform();
    const twins = twinStore(platform.kvs);
    for (const n of [1, 2, 3]) await twins.save(newTwin({ connectionId: id, localIssueId: `100${n}`, localKey: `UD-${n}`, origin: 'local', now: world.clock.now() }));
    // The counter was off (a crash between a twin's removal and its step, say).
    await setIssuesUnderSync(platform, id, async () => 2);
    await runSyncMaintenance(platform);
    expect((await getStats(platform, id)).issuesUnderSync).toBe(3);
    await setIssuesUnderSync(platform, id, async () => 7);
    await runSyncMaintenance(platform);
    expect((await getStats(platform, id)).issuesUnderSync).toBe(7);
    await world.advance(60 * 60_000);
    await runSyncMaintenance(platform);
    expect((await getStats(platform, id)).issuesUnderSync).toBe(3);
  });

  it('loses no step when many workers step it at once, and folds the steps into the counter', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const platform = blue.platform();
    // Forty new twins and five ended ones, all at once (a bulk page side by side, parallel web triggers).
    await Promise.all([...Array.from({ length: 40 }, () => adjustIssuesUnderSync(platform, id, 1)), ...Array.from({ length: 5 }, () => adjustIssuesUnderSync(platform, id, -1))]);
    expect((await getStats(platform, id)).issuesUnderSync).toBe(35);
    const steps = async () => (await platform.kvs.query(countStepPrefix(id), { limit: 100 })).results.length;
    expect(await steps()).toBe(45);
    // Within the hour, the maintenance pass folds them (two transactions of 24 and 21) and the count stays.
    await world.advance(60_000);
    await runSyncMaintenance(platform); // the hourly recount: no twins were saved here, so it sets 0 and drops the steps read
    expect((await getStats(platform, id)).issuesUnderSync).toBe(0);
    await Promise.all(Array.from({ length: 30 }, () => adjustIssuesUnderSync(platform, id, 1)));
    await world.advance(5 * 60_000);
    await runSyncMaintenance(platform);
    expect(await steps()).toBe(0);
    expect((await getStats(platform, id)).issuesUnderSync).toBe(30);
  });
});
