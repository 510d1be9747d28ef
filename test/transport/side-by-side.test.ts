import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { SIDE_BY_SIDE, sideBySide } from '../../src/transport/deliver';
import type { OutboxEntry } from '../../src/transport/outbox';
import type { Envelope } from '../../src/domain/messages';
import { connectPublic } from '../connections/helpers';
import { markerOf, World } from './world';

// The outbox sends replicas of different issues, and the file chunks among them, side by side; two replicas
// of one issue, and every other kind of message, one after another.

const entry = (type: string, body: unknown, seq: number): OutboxEntry => ({ envelope: { type, body, seq } as unknown as Envelope, enqueuedAt: 0 });
const replica = (issueId: string, seq: number) => entry('replica', { issueId, issueKey: `UD-${issueId}`, seq: 1, cause: 'event', replica: {} }, seq);
const chunk = (seq: number) => entry('attachment', { attachmentId: `a${seq}`, sha256: 'x', index: 0, total: 1, data: '' }, seq);
const seqs = (entries: OutboxEntry[]) => entries.map((e) => e.envelope.seq);

describe('which messages go side by side', () => {
  it('takes replicas of different issues and file chunks, up to the most allowed', () => {
    const outbox = [replica('1', 1), chunk(2), replica('2', 3), replica('3', 4), chunk(5)];
    expect(seqs(sideBySide(outbox, 0, 25))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(sideBySide(outbox, 1, 2))).toEqual([2, 3]);
  });

  it('stops before a second replica of an issue, and before any other kind of message', () => {
    expect(seqs(sideBySide([replica('1', 1), replica('2', 2), replica('1', 3), replica('4', 4)], 0, 25))).toEqual([1, 2]);
    expect(seqs(sideBySide([replica('1', 1), entry('configure', { kind: 'upgrade' }, 2), replica('2', 3)], 0, 25))).toEqual([1]);
    // A message of another kind goes alone, and so does a replica that names no issue.
    expect(seqs(sideBySide([entry('unexalate', {}, 1), replica('2', 2)], 0, 25))).toEqual([1]);
    expect(seqs(sideBySide([entry('replica', { replica: {} }, 1), replica('2', 2)], 0, 25))).toEqual([1]);
  });
});

describe('delivery side by side', () => {
  it('sends replicas of ten issues at once, each issue’s own in order, and a configure message alone between them', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    // Each received message takes a few turns of the event loop, so calls made side by side overlap.
    let inFlight = 0;
    let most = 0;
    green.holdInbound = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      inFlight--;
    };
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
    expect(most).toBe(10);
    expect(most).toBeLessThanOrEqual(SIDE_BY_SIDE);
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
