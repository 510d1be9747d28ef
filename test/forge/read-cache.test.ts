import { describe, expect, it } from 'vitest';
import { withReadCache } from '../../src/forge/read-cache';
import { KvsData, MemoryKvs } from '../support/memory-platform';

describe('the per-invocation read cache', () => {
  const setup = () => {
    const data = new KvsData();
    const store = new MemoryKvs(data);
    const reads: string[] = [];
    store.beforeOp = (op, key) => {
      if (op === 'get' || op === 'getSecret') reads.push(key);
    };
    return { store, reads, kvs: withReadCache(store) };
  };

  it('reads a stable record once, absent ones too, and hands out copies', async () => {
    const { store, reads, kvs } = setup();
    await store.set('connection:c1', { name: 'Blue to Green' });
    for (let i = 0; i < 3; i++) expect(await kvs.get('connection:c1')).toEqual({ name: 'Blue to Green' });
    for (let i = 0; i < 2; i++) expect(await kvs.get('connection:gone')).toBeUndefined();
    const mine = (await kvs.get('connection:c1')) as { name: string };
    mine!.name = 'changed by a caller';
    expect(await kvs.get('connection:c1')).toEqual({ name: 'Blue to Green' });
    expect(reads).toEqual(['connection:c1', 'connection:gone']);
  });

  it('sees its own writes: set, setIfAbsent, delete and transactions replace what it holds', async () => {
    const { kvs } = setup();
    await kvs.get('connection:c1');
    await kvs.set('connection:c1', { state: 'active' });
    expect(await kvs.get('connection:c1')).toEqual({ state: 'active' });
    await kvs.transact([{ kind: 'set', key: 'connection:c1', value: { state: 'deactivated' } }]);
    expect(await kvs.get('connection:c1')).toEqual({ state: 'deactivated' });
    await kvs.delete('connection:c1');
    expect(await kvs.get('connection:c1')).toBeUndefined();
    expect(await kvs.setIfAbsent('connection:c1', { state: 'pending' })).toBe(true);
    expect(await kvs.get('connection:c1')).toEqual({ state: 'pending' });
    await kvs.getSecret('connection-secret:c1');
    await kvs.setSecret('connection-secret:c1', { key: 'k2' });
    expect(await kvs.getSecret('connection-secret:c1')).toEqual({ key: 'k2' });
  });

  it('passes a TTL through to the store', async () => {
    const data = new KvsData();
    let now = 1_000_000;
    const store = new MemoryKvs(data, () => now);
    const kvs = withReadCache(store);
    await kvs.set('seen:c1:m1', 1, { ttlSeconds: 60 });
    expect(await kvs.setIfAbsent('seen:c1:m2', 2, { ttlSeconds: 30 })).toBe(true);
    expect([store.expiresAt('seen:c1:m1'), store.expiresAt('seen:c1:m2')]).toEqual([now + 60_000, now + 30_000]);
    now += 30_000;
    expect(await kvs.get('seen:c1:m2')).toBeUndefined();
    expect(await kvs.get('seen:c1:m1')).toBe(1);
  });

  it('always reads what other workers write often', async () => {
    const { store, reads, kvs } = setup();
    await store.set('delivery:c1', { failures: 0 });
    await kvs.get('delivery:c1');
    await store.set('delivery:c1', { failures: 1 });
    expect(await kvs.get('delivery:c1')).toEqual({ failures: 1 });
    expect(reads).toEqual(['delivery:c1', 'delivery:c1']);
  });
});
