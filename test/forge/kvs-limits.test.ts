import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { installForgeGlobals, runInvocation, type InstallationBackend } from '../../src/local/forge/globals';
import { LocalKvsStore } from '../../src/local/forge/kvs-store';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { SiteUsage } from '../../src/local/forge/usage';
import { Counters } from '../../src/local/jira/counters';

// Forge's storage limits, each hit through the real @forge/kvs SDK inside an
// invocation, against the local store on an injected clock: the SDK must raise
// what a Forge app would see (ForgeKvsAPIError, its code and HTTP status), and
// the usage counters must say what was charged. No sleeps: the clock is moved.

installForgeGlobals();
type Sdk = typeof import('@forge/kvs');
let sdk: Sdk;
beforeAll(async () => {
  sdk = await import('@forge/kvs');
});

const L = FORGE_LIMITS.kvs;
const T0 = Date.parse('2026-12-01T10:00:30Z');

function openStore(options: { enforceRates?: boolean } = {}) {
  let now = T0;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const usage = new SiteUsage('blue', new Counters(), clock.now);
  const store = new LocalKvsStore(new Database(':memory:'), { now: clock.now, enforceRates: options.enforceRates, usage: () => usage });
  const backend: InstallationBackend = {
    installationId: 'inst-1',
    cloudId: 'cloud-1',
    appId: 'app',
    environmentId: 'local',
    fetchPlatform: async (target, path, init) => {
      if (target.type !== 'kvs') throw new Error(`unexpected ${target.type}`);
      return store.handle('inst-1', path, init);
    },
  };
  const run = <T>(fn: (kvs: Sdk['kvs']) => Promise<T>) => runInvocation(backend, 'test', {}, () => fn(sdk.kvs));
  return { clock, usage: () => usage.snapshot(options.enforceRates !== false), run };
}

/** The error a call was refused with (the test fails if it was not refused). */
async function refused(call: Promise<unknown>): Promise<InstanceType<Sdk['ForgeKvsAPIError']>> {
  try {
    await call;
  } catch (e) {
    expect(e).toBeInstanceOf(sdk.ForgeKvsAPIError);
    return e as InstanceType<Sdk['ForgeKvsAPIError']>;
  }
  throw new Error('the call was not refused');
}

/** As Forge answers a request over a rate limit: 429 RATE_LIMIT_EXCEEDED, naming the limit in its message. */
async function rateLimited(call: Promise<unknown>, limit: string): Promise<void> {
  const e = await refused(call);
  expect(e.code).toBe('RATE_LIMIT_EXCEEDED');
  expect(e.responseDetails.status).toBe(429);
  expect(e.message).toContain(limit);
}

/** A string value whose `set` request body is exactly `bytes` long. */
function valueForRequest(key: string, bytes: number): string {
  return 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify({ key, value: '' })));
}

describe('KVS request rate (1,000 per second per installation)', () => {
  it('refuses the 1,001st request in a second with 429 RATE_LIMIT_EXCEEDED and takes it the next second', async () => {
    const { clock, usage, run } = openStore();
    await run(async (kvs) => {
      for (let i = 0; i < L.requestsPerSecond; i++) await kvs.get(`k${i}`);
      await rateLimited(kvs.get('one-more'), 'kvs.requestsPerSecond');
      // A refused request charges nothing.
      expect(usage().kvs.readUnits).toBe(L.requestsPerSecond);
      clock.advance(999);
      await rateLimited(kvs.get('one-more'), 'kvs.requestsPerSecond');
      clock.advance(1);
      expect(await kvs.get('one-more')).toBeUndefined();
    });
    expect(usage().limitsHit).toEqual({ 'kvs.requestsPerSecond': 2 });
    expect(usage().kvs.calls.get).toBe(L.requestsPerSecond + 3);
  });
});

describe('KVS units: one per started 10 KB of what is sent (writes) or returned (reads)', () => {
  it('counts a set by its request size: 10,000 bytes is 1 unit, 10,001 is 2, 65,000 is 7', async () => {
    const { usage, run } = openStore();
    await run(async (kvs) => {
      for (const [bytes, units] of [
        [10_000, 1],
        [10_001, 2],
        [65_000, 7],
      ] as const) {
        const before = usage().kvs.writeUnits;
        await kvs.set('sized', valueForRequest('sized', bytes));
        expect(usage().kvs.writeUnits - before).toBe(units);
      }
    });
  });

  it('counts a read by what it returns, and an empty read as one unit', async () => {
    const { clock, usage, run } = openStore();
    await run(async (kvs) => {
      await kvs.get('missing');
      expect(usage().kvs.readUnits).toBe(1);
      const value = 'y'.repeat(64_000);
      await kvs.set('big', value);
      await kvs.get('big');
      const returned = Buffer.byteLength(JSON.stringify({ key: 'big', value, createdAt: clock.now(), updatedAt: clock.now() }));
      expect(usage().kvs.readUnits).toBe(1 + Math.ceil(returned / L.unitBytes));
    });
  });

  it('counts a batch as one operation over its combined size, not one per key', async () => {
    const { usage, run } = openStore();
    await run(async (kvs) => {
      const items = Array.from({ length: 10 }, (_, i) => ({ key: `b${i}`, value: 'z'.repeat(800) }));
      expect(Buffer.byteLength(JSON.stringify(items))).toBeLessThan(L.unitBytes);
      const result = await kvs.batchSet(items);
      expect(result.failedKeys).toEqual([]);
      expect(usage().kvs.writeUnits).toBe(1);
      const read = await kvs.batchGet(items.map((i) => ({ key: i.key })));
      expect(read.successfulKeys).toHaveLength(10);
      expect(usage().kvs.readUnits).toBe(1);
      // The same ten as single writes: ten units.
      for (const item of items) await kvs.set(item.key, item.value);
      expect(usage().kvs.writeUnits).toBe(11);
    });
    expect(usage().kvs.calls.batch).toEqual({ get: 1, set: 1, delete: 0 });
  });

  it('counts a transaction as one write over its combined size', async () => {
    const { usage, run } = openStore();
    await run(async (kvs) => {
      await kvs.transact().set('t1', { a: 1 }).set('t2', { b: 2 }).delete('t3').execute();
    });
    expect(usage().kvs.writeUnits).toBe(1);
    expect(usage().kvs.calls.transaction).toBe(1);
  });
});

describe('KVS units per minute (4,000 read, 4,000 write), sliding', () => {
  it('refuses a write past 4,000 units in any sixty seconds, even in a new calendar minute', async () => {
    const { clock, usage, run } = openStore();
    await run(async (kvs) => {
      // 400 writes of exactly 10 units each: the whole minute's budget, taken at 10:00:30.
      for (let i = 0; i < 400; i++) await kvs.set(`w${i}`, valueForRequest(`w${i}`, 10 * L.unitBytes));
      expect(usage().kvs.writeUnits).toBe(L.writeUnitsPerMinute);
      await rateLimited(kvs.set('small', 1), 'kvs.writeUnitsPerMinute');
      // 10:01:05 is a new calendar minute, but not sixty seconds since: still refused.
      clock.advance(35_000);
      await rateLimited(kvs.set('small', 1), 'kvs.writeUnitsPerMinute');
      // Reads have their own budget.
      expect(await kvs.get('w0')).toBeDefined();
      clock.advance(25_000);
      await kvs.set('small', 1);
      expect(await kvs.get('small')).toBe(1);
    });
    expect(usage().limitsHit).toEqual({ 'kvs.writeUnitsPerMinute': 2 });
  });

  it('refuses a read that would go past 4,000 units in sixty seconds', async () => {
    const { clock, usage, run } = openStore();
    const keys = ['r0', 'r1', 'r2', 'r3'];
    let reads = 0;
    await run(async (kvs) => {
      for (const key of keys) await kvs.set(key, 'v'.repeat(95_000));
      const before = usage().kvs.readUnits;
      await kvs.get('r0');
      reads = 1;
      const perRead = usage().kvs.readUnits - before;
      expect(perRead).toBe(10);
      // Round the keys, so no one key reaches its own 12 MB a second.
      for (;;) {
        try {
          await kvs.get(keys[reads % keys.length]!);
          reads++;
        } catch (e) {
          expect(e).toBeInstanceOf(sdk.ForgeKvsAPIError);
          expect((e as { code: string }).code).toBe('RATE_LIMIT_EXCEEDED');
          expect((e as Error).message).toContain('kvs.readUnitsPerMinute');
          break;
        }
      }
      expect(reads * perRead).toBe(L.readUnitsPerMinute);
      clock.advance(60_000);
      expect(await kvs.get('r0')).toHaveLength(95_000);
    });
  });
});

describe('KVS batch operations per minute (45)', () => {
  it('refuses the 46th batch operation in sixty seconds', async () => {
    const { clock, run } = openStore();
    await run(async (kvs) => {
      for (let i = 0; i < L.batchesPerMinute; i++) await kvs.batchGet([{ key: `b${i}` }]);
      await rateLimited(kvs.batchGet([{ key: 'b-more' }]), 'kvs.batchesPerMinute');
      await rateLimited(kvs.batchSet([{ key: 'b-more', value: 1 }]), 'kvs.batchesPerMinute');
      // Single operations are not batches.
      await kvs.set('single', 1);
      clock.advance(60_000);
      await kvs.batchDelete([{ key: 'single' }]);
    });
  });
});

describe('KVS throughput per key (reads 12 MB/s, writes 1 MB/s)', () => {
  it('refuses the write that takes one key past 1 MB in a second; other keys and the next second are free', async () => {
    const { clock, run } = openStore();
    const value = 'w'.repeat(200_000);
    await run(async (kvs) => {
      for (let i = 0; i < 4; i++) await kvs.set('hot', value);
      await rateLimited(kvs.set('hot', value), 'kvs.perKeyWriteBytesPerSecond');
      await kvs.set('cold', value);
      clock.advance(1_000);
      await kvs.set('hot', value);
    });
  });

  it('refuses the read that takes one key past 12 MB in a second', async () => {
    const { clock, run } = openStore();
    await run(async (kvs) => {
      await kvs.set('popular', 'p'.repeat(200_000));
      // 59 reads of 200,002 bytes stay under 12,000,000; the 60th would not.
      for (let i = 0; i < 59; i++) await kvs.get('popular');
      await rateLimited(kvs.get('popular'), 'kvs.perKeyReadBytesPerSecond');
      clock.advance(1_000);
      expect(await kvs.get('popular')).toHaveLength(200_000);
    });
  });
});

describe('KVS sizes and shapes, with the codes Forge documents', () => {
  it('refuses keys, values, depths, pages, batches and transactions over their limits', async () => {
    const { usage, run } = openStore();
    const code = async (call: Promise<unknown>) => (await refused(call)).code;
    await run(async (kvs) => {
      expect(await code(kvs.set('k'.repeat(L.keyMaxLength + 1), 1))).toBe('KEY_TOO_LONG');
      await kvs.set('k'.repeat(L.keyMaxLength), 1);
      expect(await code(kvs.set('bad/key', 1))).toBe('INVALID_KEY');
      expect(await code(kvs.set('', 1))).toBe('KEY_TOO_SHORT');
      expect(await code(kvs.set('big', 'x'.repeat(L.valueMaxBytes - 1)))).toBe('MAX_SIZE');
      await kvs.set('big', 'x'.repeat(L.valueMaxBytes - 2));
      expect(await code(kvs.setSecret('secret', 'x'.repeat(L.secretValueMaxBytes - 1)))).toBe('MAX_SIZE');
      await kvs.setSecret('secret', 'x'.repeat(L.secretValueMaxBytes - 2));
      let deep: unknown = 1;
      for (let i = 0; i < L.maxDepth; i++) deep = { deep };
      await kvs.set('deep', deep);
      expect(await code(kvs.set('deep', { deep }))).toBe('MAX_DEPTH');
      expect(await code(kvs.query().limit(L.queryMaxLimit + 1).getMany())).toBe('LIST_QUERY_LIMIT_EXCEEDED');
      await kvs.query().limit(L.queryMaxLimit).getMany();
      const many = Array.from({ length: L.batchMaxKeys + 1 }, (_, i) => ({ key: `m${i}`, value: i }));
      expect(await code(kvs.batchSet(many))).toBe('TOO_MANY_KEYS');
      const heavy = Array.from({ length: 25 }, (_, i) => ({ key: `h${i}`, value: 'h'.repeat(170_000) }));
      expect(await code(kvs.batchSet(heavy))).toBe('MAX_SIZE');
      let tx = kvs.transact();
      for (let i = 0; i < L.transactionMaxOps + 1; i++) tx = tx.set(`t${i}`, i);
      expect(await code(tx.execute())).toBe('TOO_MANY_OPERATIONS');
      let bigTx = kvs.transact();
      for (const item of heavy) bigTx = bigTx.set(item.key, item.value);
      expect(await code(bigTx.execute())).toBe('MAX_SIZE');
      expect(await code(kvs.set('ttl', 1, { ttl: { value: 366, unit: 'DAYS' } } as never))).toBe('INVALID_TTL');
    });
    expect(usage().limitsHit).toEqual({
      'kvs.keyMaxLength': 1,
      'kvs.valueMaxBytes': 1,
      'kvs.secretValueMaxBytes': 1,
      'kvs.maxDepth': 1,
      'kvs.queryMaxLimit': 1,
      'kvs.batchMaxKeys': 1,
      'kvs.batchMaxBytes': 1,
      'kvs.transactionMaxOps': 1,
      'kvs.transactionMaxBytes': 1,
      'kvs.ttlMaxSeconds': 1,
    });
  });

  it('completes a batch item by item: an item over a limit fails alone', async () => {
    const { run } = openStore();
    await run(async (kvs) => {
      const result = await kvs.batchSet([
        { key: 'fine', value: 1 },
        { key: 'bad/key', value: 2 },
      ]);
      expect(result.successfulKeys).toEqual([{ key: 'fine' }]);
      expect(result.failedKeys).toEqual([{ key: 'bad/key', error: { code: 'INVALID_KEY', message: expect.any(String) } }]);
      expect(await kvs.get('fine')).toBe(1);
    });
  });
});

describe('KVS time-to-live', () => {
  it('expires keys set with a TTL by set, batchSet and a transaction; expired keys are never returned', async () => {
    const { clock, run } = openStore();
    const ttl = { ttl: { value: 60, unit: 'SECONDS' as const } };
    await run(async (kvs) => {
      await kvs.set('session:a', 'a', ttl as never);
      await kvs.batchSet([{ key: 'session:b', value: 'b', options: ttl }] as never);
      await kvs.transact().set('session:c', 'c', undefined, ttl).execute();
      await kvs.set('session:kept', 'kept');
      const withExpiry = await kvs.get('session:a', { metadataFields: [sdk.MetadataField.EXPIRE_TIME] });
      expect(withExpiry).toMatchObject({ value: 'a', expireTime: new Date(T0 + 60_000).toISOString() });
      clock.advance(59_999);
      expect((await kvs.query().where('key', sdk.WhereConditions.beginsWith('session:')).getMany()).results).toHaveLength(4);
      clock.advance(1);
      for (const key of ['session:a', 'session:b', 'session:c']) expect(await kvs.get(key)).toBeUndefined();
      expect((await kvs.query().where('key', sdk.WhereConditions.beginsWith('session:')).getMany()).results.map((r) => r.key)).toEqual(['session:kept']);
      expect((await kvs.batchGet([{ key: 'session:b' }])).failedKeys).toEqual([{ key: 'session:b', error: expect.objectContaining({ code: 'KEY_NOT_FOUND' }) }]);
    });
  });
});

describe('KVS usage counters', () => {
  it('count every call by kind, the units charged and the bytes written', async () => {
    const { usage, run } = openStore();
    await run(async (kvs) => {
      await kvs.set('a', { n: 1 });
      await kvs.get('a');
      await kvs.query().where('key', sdk.WhereConditions.beginsWith('a')).getMany();
      await kvs.delete('a');
      await kvs.setSecret('s', 'x');
      await kvs.getSecret('s');
      await kvs.deleteSecret('s');
      await kvs.batchSet([{ key: 'b', value: 1 }]);
      await kvs.batchGet([{ key: 'b' }]);
      await kvs.batchDelete([{ key: 'b' }]);
      await kvs.transact().set('c', 2).execute();
    });
    const { kvs } = usage();
    expect(kvs.calls).toEqual({
      total: 11,
      get: 1,
      set: 1,
      delete: 1,
      query: 1,
      transaction: 1,
      batch: { get: 1, set: 1, delete: 1 },
      secret: { get: 1, set: 1, delete: 1 },
    });
    expect(kvs.writeUnits).toBe(7);
    expect(kvs.readUnits).toBe(4);
    // Key and value bytes of each value written: "a" {"n":1}, "s" "x", "b" 1, "c" 2.
    expect(kvs.bytesWritten).toBe(1 + 7 + 1 + 3 + 1 + 1 + 1 + 1);
  });
});

describe('KVS with rate limits off (debugging only)', () => {
  it('refuses nothing for rate, and still holds sizes and shapes', async () => {
    const { usage, run } = openStore({ enforceRates: false });
    await run(async (kvs) => {
      for (let i = 0; i < L.requestsPerSecond + 10; i++) await kvs.get(`k${i}`);
      expect((await refused(kvs.set('k'.repeat(L.keyMaxLength + 1), 1))).code).toBe('KEY_TOO_LONG');
    });
    expect(usage().limitsEnforced).toBe(false);
    expect(usage().limitsHit).toEqual({ 'kvs.keyMaxLength': 1 });
  });
});
