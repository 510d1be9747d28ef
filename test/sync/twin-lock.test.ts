import { describe, expect, it } from 'vitest';
import { leaseReleaseOp, lockKey, withTwinLock } from '../../src/sync/twin-lock';
import { createMemoryPlatform, MemoryKvs, type KvsOp } from '../support/memory-platform';

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
