import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { laneOf, SIDE_BY_SIDE } from '../../src/transport/deliver';
import type { OutboxEntry } from '../../src/transport/outbox';
import type { Envelope } from '../../src/domain/messages';
import { connectPublic } from '../connections/helpers';
import { markerOf, World, type Site } from './world';

// The outbox sends replicas of different issues, and the file chunks among them, side by side (a window of
// calls under way that moves on as each ends); two replicas of one issue, and every other kind of message,
// one after another.

const entry = (type: string, body: unknown, seq: number): OutboxEntry => ({ envelope: { type, body, seq } as unknown as Envelope, enqueuedAt: 0 });

describe('how a message may go beside others', () => {
  it('file chunks beside anything, replicas beside those of other issues, the rest alone', () => {
    expect(laneOf(entry('attachment', { attachmentId: 'a1', sha256: 'x', index: 0, total: 1, data: '' }, 1))).toEqual({ kind: 'chunk' });
    expect(laneOf(entry('replica', { issueId: '10001', issueKey: 'UD-1', seq: 1, cause: 'event', replica: {} }, 2))).toEqual({ kind: 'replica', issue: '10001' });
    // A replica that names no issue, and every other kind of message, go alone.
    expect(laneOf(entry('replica', { replica: {} }, 3))).toEqual({ kind: 'alone' });
    for (const type of ['configure', 'unexalate', 'ack', 'connect']) expect(laneOf(entry(type, {}, 4))).toEqual({ kind: 'alone' });
  });
});

/** Makes each message `site` receives take a few turns of the event loop, and counts how many overlap at most. */
function overlapOf(site: Site): { most: number } {
  const calls = { most: 0 };
  let inFlight = 0;
  site.holdInbound = async () => {
    inFlight++;
    calls.most = Math.max(calls.most, inFlight);
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    inFlight--;
  };
  return calls;
}

describe('delivery side by side', () => {
  it('sends replicas of ten issues at once, each issue’s own in order, and a configure message alone between them', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    const calls = overlapOf(green);
    for (let n = 0; n < 30; n++) {
      if (n === 15) await sendMessage(blue.platform(), id, 'configure', { kind: 'upgrade' });
      await sendMessage(blue.platform(), id, 'replica', { issueId: `1000${n % 10}`, issueKey: `UD-${n % 10}`, seq: 1 + Math.floor(n / 10), cause: 'event', replica: { n } });
    }
    await world.runDue();

    const arrived = green.received.map((r) => r.envelope);
    expect(arrived).toHaveLength(31);
    const markers = arrived.filter((e) => e.type === 'replica').map((e) => markerOf(e) as number);
    expect([...markers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // Each issue's replicas arrive in the order they were sent.
    for (let issue = 0; issue < 10; issue++) {
      const own = markers.filter((n) => n % 10 === issue);
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
    // Everything sent before the configure message arrived before it, everything after it after.
    const at = arrived.findIndex((e) => e.type === 'configure');
    expect(arrived.slice(0, at).map((e) => markerOf(e) as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, n) => n));
    // Side by side: up to ten at once (ten issues), never more than the cap.
    expect(calls.most).toBe(10);
    expect(calls.most).toBeLessThanOrEqual(SIDE_BY_SIDE);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('moves on past a slow answer: the others go on while one issue waits, and file chunks end before replicas start', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    const order: string[] = [];
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    green.holdInbound = async (envelope) => {
      if (envelope.type === 'replica' && markerOf(envelope) === 0) await slow;
      order.push(envelope.type === 'attachment' ? 'chunk' : `r${String(markerOf(envelope))}`);
    };
    await sendMessage(blue.platform(), id, 'attachment', { attachmentId: 'a1', sha256: 'x'.repeat(64), index: 0, total: 1, data: 'AA==' });
    for (let n = 0; n < 40; n++) await sendMessage(blue.platform(), id, 'replica', { issueId: `3000${n}`, issueKey: `UD-${n}`, seq: 1, cause: 'event', replica: { n } });
    const delivering = world.runDue();
    // Replica 0 is held; the window moves on past it: more than a window's worth of the others arrive meanwhile.
    for (let i = 0; i < 200 && order.length < 39; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(order[0]).toBe('chunk');
    expect(order).toHaveLength(40);
    expect(order).not.toContain('r0');
    releaseSlow();
    await delivering;
    expect(order).toContain('r0');
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('slows down while the partner queues what it is sent instead of applying it, and speeds up again', async () => {
    // (The window is held per installation and connection, across runs of one container.)
    const world = new World({ installations: true });
    const { blue, green, id } = await connectPublic(world);
    const calls = overlapOf(green);
    const send = async (from: number, count: number) => {
      for (let n = from; n < from + count; n++) await sendMessage(blue.platform(), id, 'replica', { issueId: `4${n}`, issueKey: `UD-${n}`, seq: 1, cause: 'event', replica: { n } });
      await world.runDue();
    };
    // Its own limits make the partner queue each message ("queued"): the window halves with each answer.
    green.answerInbound = () => ({ queued: true, takesFiles: true });
    await send(0, 60);
    expect(calls.most).toBeGreaterThan(10);
    calls.most = 0;
    await send(100, 30);
    expect(calls.most).toBeLessThanOrEqual(2);
    // Applied again: the window grows by one an answer.
    green.answerInbound = undefined;
    calls.most = 0;
    await send(200, 60);
    expect(calls.most).toBeGreaterThan(10);
    expect(green.received).toHaveLength(150);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('keeps what a refused message’s neighbours did: they are taken once, it stays and goes again later', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    let failing = true;
    green.failInbound = (envelope) => failing && markerOf(envelope) === 3;
    for (let n = 0; n < 6; n++) await sendMessage(blue.platform(), id, 'replica', { issueId: `2000${n}`, issueKey: `UD-${n}`, seq: 1, cause: 'event', replica: { n } });
    await world.runDue();
    // The other five went through side by side; the refused one waits in the outbox.
    expect(green.received.map((r) => markerOf(r.envelope)).sort()).toEqual([0, 1, 2, 4, 5]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    failing = false;
    await world.advance(10 * 60_000);
    expect(green.received.map((r) => markerOf(r.envelope)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });
});
