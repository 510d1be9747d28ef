import { describe, expect, it } from 'vitest';
import { HANDED_LEASE_MS, HANDED_MARGIN_MS, leaseHandOp, leaseReleaseOp, lockKey, withTwinLock } from '../../src/sync/twin-lock';
import { PlatformRateLimited } from '../../src/domain/errors';
import { createMemoryPlatform, MemoryKvs, type KvsOp } from '../support/memory-platform';

/** A step's last transaction under the lease `name`: `key` written and the lease let go with it; `result` then. */
async function writeAndLetGo<T>(platform: ReturnType<typeof createMemoryPlatform>, name: string, key: string, value: unknown, result: T): Promise<T> {
  const release = leaseReleaseOp(platform.kvs, name)!;
  await platform.kvs.transact([{ kind: 'set', key, value }, release.op]);
  release.committed();
  return result;
}

// Twin leases taken side by side in one invocation (a bulk page syncs 25 issues
// at once): each lease is let go in its step's own transaction, none by a delete
// of its own, and each step that holds its lease sees it held.

describe('twin leases taken side by side in one invocation', () => {
  it('lets each go in its own transaction: no separate deletes', async () => {
    const platform = createMemoryPlatform();
    const ops: [KvsOp, string][] = [];
    platform.kvs.beforeOp = (op, key) => void ops.push([op, key]);
    const names = Array.from({ length: 10 }, (_, i) => `twin:c1:${10_000 + i}`);
    const results = await Promise.all(
      names.map((name) =>
        withTwinLock(platform, name, async () => {
          // The step's own reads first (Jira, the twin), while the other leases are being taken.
          await new Promise((resolve) => setImmediate(resolve));
          const release = leaseReleaseOp(platform.kvs, name);
          // Held: its release can ride in the step's transaction.
          expect(release).toBeDefined();
          await platform.kvs.transact([{ kind: 'set', key: `twin-of:${name}`, value: 1 }, release!.op]);
          release!.committed();
          return name;
        }),
      ),
    );
    expect(results.every((r) => r.ran)).toBe(true);
    expect(ops.filter(([op]) => op === 'delete')).toEqual([]);
    expect(ops.filter(([op]) => op === 'setIfAbsent').map(([, key]) => key)).toEqual(names.map(lockKey));
    for (const name of names) expect(await platform.kvs.get(lockKey(name))).toBeUndefined();
  });

  it('still lets go by a delete a lease whose step made no transaction', async () => {
    const platform = createMemoryPlatform();
    const names = ['twin:c1:1', 'twin:c1:2'];
    await Promise.all(names.map((name) => withTwinLock(platform, name, async () => undefined)));
    for (const name of names) expect(await platform.kvs.get(lockKey(name))).toBeUndefined();
  });

  it('refuses a lease another invocation holds', async () => {
    const first = createMemoryPlatform();
    // Another invocation: its own storage view over the same stored data.
    const second = createMemoryPlatform({ clock: first.clock, kvs: new MemoryKvs(first.kvs.data, () => first.clock.now()) });
    const inner = await withTwinLock(first, 'twin:c1:9', () => withTwinLock(second, 'twin:c1:9', async () => 'taken twice'));
    expect(inner).toEqual({ ran: true, value: { ran: false } });
  });
});

// A queue worker's outgoing step (a bulk page's issue) hands its lease on to the ack of the replica it sent:
// the worker that takes the partner's answer writes the twin under it without a lease write of its own, and
// no one else gets the twin meanwhile.
describe('a twin lease handed on to the ack of a replica', () => {
  const name = 'twin:c1:10001';

  /** A step in one invocation that sends replica `seq` and hands its lease on; the other invocations' views. */
  async function handedAt(seq: number) {
    const sender = createMemoryPlatform();
    const other = () => {
      const platform = createMemoryPlatform({ clock: sender.clock, kvs: new MemoryKvs(sender.kvs.data, () => sender.clock.now()) });
      const ops: [KvsOp, string][] = [];
      platform.kvs.beforeOp = (op, key) => void ops.push([op, key]);
      return { platform, ops };
    };
    await withTwinLock(sender, name, async () => {
      const hand = leaseHandOp(sender.kvs, name, seq, sender.clock.now())!;
      await sender.kvs.transact([{ kind: 'set', key: 'twin:c1:10001', value: { outSeq: seq } }, hand.op]);
      hand.committed();
    });
    return { sender, other };
  }

  it('is taken by the ack of that replica with a read, no write, and let go in the ack\'s transaction', async () => {
    const { other } = await handedAt(7);
    expect(await other().platform.kvs.get(lockKey(name))).toMatchObject({ awaitsAck: 7 });
    const { platform, ops } = other();
    const taken = await withTwinLock(
      platform,
      name,
      () => writeAndLetGo(platform, name, 'twin:c1:10001', { outSeq: 7, acked: true }, 'acked'),
      { ackOf: 7 },
    );
    expect(taken).toEqual({ ran: true, value: 'acked' });
    expect(ops.filter(([op, key]) => key === lockKey(name) && op !== 'get')).toEqual([]);
    expect(await platform.kvs.get(lockKey(name))).toBeUndefined();
  });

  it('is refused to other work on the twin, and to the ack of another replica', async () => {
    const { other } = await handedAt(7);
    expect(await withTwinLock(other().platform, name, async () => 'outgoing')).toEqual({ ran: false });
    expect(await withTwinLock(other().platform, name, async () => 'older ack', { ackOf: 6 })).toEqual({ ran: false });
    expect(await other().platform.kvs.get(lockKey(name))).toMatchObject({ awaitsAck: 7 });
  });

  it('is renewed by a late ack, refused with only seconds of it left, and once it ran out anyone takes it the usual way', async () => {
    const { sender, other } = await handedAt(7);
    sender.clock.advance(HANDED_LEASE_MS - HANDED_MARGIN_MS + 1);
    const late = other();
    expect(await withTwinLock(late.platform, name, async () => 'late ack', { ackOf: 7 })).toEqual({ ran: true, value: 'late ack' });
    // Renewed (one write) before the ack's work, let go after it.
    expect(late.ops.filter(([, key]) => key === lockKey(name)).map(([op]) => op)).toEqual(['get', 'set', 'delete']);

    const again = await handedAt(8);
    again.sender.clock.advance(HANDED_LEASE_MS - 2_000);
    expect(await withTwinLock(again.other().platform, name, async () => 'too late', { ackOf: 8 })).toEqual({ ran: false });
    again.sender.clock.advance(2_000);
    const { platform, ops } = again.other();
    expect(await withTwinLock(platform, name, async () => 'outgoing')).toEqual({ ran: true, value: 'outgoing' });
    expect(ops.some(([op, key]) => op === 'setIfAbsent' && key === lockKey(name))).toBe(true);
  });

  it('still awaits its ack with no write a minute and a half on: an answer that waited behind a storage limit', async () => {
    const { sender, other } = await handedAt(7);
    sender.clock.advance(90_000);
    // Other work on the twin still finds it held.
    expect(await withTwinLock(other().platform, name, async () => 'outgoing')).toEqual({ ran: false });
    const { platform, ops } = other();
    const taken = await withTwinLock(
      platform,
      name,
      () => writeAndLetGo(platform, name, 'twin:c1:10001', { outSeq: 7, acked: true }, 'acked'),
      { ackOf: 7 },
    );
    expect(taken).toEqual({ ran: true, value: 'acked' });
    expect(ops.filter(([op, key]) => key === lockKey(name) && op !== 'get')).toEqual([]);
  });

  it('is taken over with one write by its ack once it ran out, when no one took it since (an answer after a long wait)', async () => {
    const { sender, other } = await handedAt(7);
    sender.clock.advance(HANDED_LEASE_MS + 30_000);
    const late = other();
    expect(await withTwinLock(late.platform, name, async () => 'very late ack', { ackOf: 7 })).toEqual({ ran: true, value: 'very late ack' });
    // No only-if-absent write that must fail first, no delete before the new lease: read, written, let go.
    expect(late.ops.filter(([, key]) => key === lockKey(name)).map(([op]) => op)).toEqual(['get', 'set', 'delete']);
    // An ack of another replica finds it run out too, but not handed to it: taken the usual way.
    const next = await handedAt(8);
    next.sender.clock.advance(HANDED_LEASE_MS + 30_000);
    const stranger = next.other();
    expect(await withTwinLock(stranger.platform, name, async () => 'other ack', { ackOf: 9 })).toEqual({ ran: true, value: 'other ack' });
    expect(stranger.ops.filter(([, key]) => key === lockKey(name)).map(([op]) => op)).toEqual(['get', 'setIfAbsent', 'get', 'set', 'delete']);
  });

  it('is not written over by a worker that found it run out and then free again: only-if-absent, and refused when another took it first', async () => {
    const { sender, other } = await handedAt(7);
    sender.clock.advance(HANDED_LEASE_MS + 30_000);
    const slow = other();
    const stored = sender.kvs.data.values;
    // Between the slow worker's failed take and its read, the lease is let go; before its next write, a
    // fast worker takes it.
    slow.platform.kvs.beforeOp = (op, key) => {
      slow.ops.push([op, key]);
      if (key !== lockKey(name)) return;
      if (op === 'get') stored.delete(key);
      if (op === 'setIfAbsent' && slow.ops.filter(([o]) => o === 'setIfAbsent').length === 2) stored.set(key, JSON.stringify({ until: sender.clock.now() + 60_000 }));
    };
    expect(await withTwinLock(slow.platform, name, async () => 'slow')).toEqual({ ran: false });
    expect(slow.ops.filter(([op]) => op === 'set')).toEqual([]);
  });
});

// A storage rate limit refuses a step's writes and then the delete that lets its lease go: the lease stays
// in storage, this invocation's own until it runs out. The same invocation trying the issue again (a bulk
// page after the limit's wait) takes it back without a write, rather than finding it held for a minute.
describe('a twin lease whose release storage refused', () => {
  const name = 'twin:c1:10002';

  it('is taken back by the same invocation without a write, still refused to others, and let go after', async () => {
    const platform = createMemoryPlatform();
    const ops: [KvsOp, string][] = [];
    let limited = true;
    platform.kvs.beforeOp = (op, key) => {
      ops.push([op, key]);
      if (limited && (op === 'transact' || op === 'delete')) throw new PlatformRateLimited('over kvs.writeUnitsPerMinute');
    };
    const step = () =>
      withTwinLock(platform, name, () => writeAndLetGo(platform, name, 'twin:c1:10002', { outSeq: 1 }, 'sent'));
    await expect(step()).rejects.toThrow(/writeUnitsPerMinute/);
    expect(await platform.kvs.get(lockKey(name))).toBeDefined();

    // Another invocation finds it held, as it must while this one may still write the twin.
    const other = createMemoryPlatform({ clock: platform.clock, kvs: new MemoryKvs(platform.kvs.data, () => platform.clock.now()) });
    expect(await withTwinLock(other, name, async () => 'other')).toEqual({ ran: false });

    limited = false;
    platform.clock.advance(10_000);
    ops.length = 0;
    expect(await step()).toEqual({ ran: true, value: 'sent' });
    // Taken back with no write of its own; let go in the step's transaction.
    expect(ops.filter(([op, key]) => key === lockKey(name) && op !== 'get')).toEqual([]);
    expect(await platform.kvs.get(lockKey(name))).toBeUndefined();
  });

  it('is renewed with one write when taken back with little of it left, and stays stranded while the renewal is refused', async () => {
    const platform = createMemoryPlatform();
    let limited = true;
    const ops: [KvsOp, string][] = [];
    platform.kvs.beforeOp = (op, key) => {
      ops.push([op, key]);
      if (limited && (op === 'delete' || op === 'set')) throw new PlatformRateLimited('over kvs.writeUnitsPerMinute');
    };
    await expect(withTwinLock(platform, name, async () => 'read only')).rejects.toThrow(/writeUnitsPerMinute/);
    platform.clock.advance(60_000 - HANDED_MARGIN_MS + 1_000);
    // The renewal is refused too: still this invocation's, for the next try.
    await expect(withTwinLock(platform, name, async () => 'refused')).rejects.toThrow(/writeUnitsPerMinute/);
    limited = false;
    platform.clock.advance(1_000);
    ops.length = 0;
    expect(await withTwinLock(platform, name, async () => 'again')).toEqual({ ran: true, value: 'again' });
    expect(ops.filter(([, key]) => key === lockKey(name)).map(([op]) => op)).toEqual(['set', 'delete']);
  });
});
