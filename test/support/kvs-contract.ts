import { describe, expect, it } from 'vitest';
import type { Kvs } from '../../src/ports';

// What every emulation of Forge's KVS must do, as the core relies on it
// (src/ports.ts `Kvs`): run against the in-memory KVS the core tests use
// (test/support/memory-platform.ts) and the local runtime's SQLite store
// through the real @forge/kvs SDK (src/local/forge/kvs-store.ts), so the two
// cannot drift apart unnoticed. Error codes are Forge's documented ones
// (../shared/reference/forge-limits.md: KEY_TOO_LONG, MAX_SIZE, MAX_DEPTH,
// LIST_QUERY_LIMIT_EXCEEDED).

export interface KvsUnderTest {
  kvs: Kvs;
  /** Moves the store's clock on (TTLs). */
  advance(ms: number): void;
  close(): void;
}

/** Rules an implementation is known to break today, each with why; its test then expects the failure (`it.fails`). */
export type KvsGap = 'error codes' | 'page size';

const codeOf = async (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'no error',
    (e: unknown) => String((e as { code?: unknown }).code ?? (e as Error).message),
  );

export function kvsContract(name: string, open: () => Promise<KvsUnderTest>, gaps: Partial<Record<KvsGap, string>> = {}): void {
  const test = (title: string, gap: KvsGap | undefined, body: (store: KvsUnderTest) => Promise<void>) => {
    const run = async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        store.close();
      }
    };
    if (gap && gaps[gap]) it.fails(`${title} (known gap: ${gaps[gap]})`, run);
    else it(title, run);
  };

  describe(`KVS contract: ${name}`, () => {
    test('reads what was written, answers undefined for an absent key, and deletes', undefined, async ({ kvs }) => {
      expect(await kvs.get('missing')).toBeUndefined();
      await kvs.set('connection:1', { name: 'Blue_to_Green', n: 1 });
      expect(await kvs.get('connection:1')).toEqual({ name: 'Blue_to_Green', n: 1 });
      await kvs.set('connection:1', 'replaced');
      expect(await kvs.get('connection:1')).toBe('replaced');
      await kvs.delete('connection:1');
      await kvs.delete('connection:1');
      expect(await kvs.get('connection:1')).toBeUndefined();
    });

    test('pages a prefix query in key order with cursors, never leaking other prefixes', undefined, async ({ kvs }) => {
      for (let i = 0; i < 230; i++) await kvs.set(`twin:c1:${String(i).padStart(4, '0')}`, { i });
      await kvs.set('twin:c2:0000', { other: true });
      await kvs.set('twim:c1:zzzz', { other: true });
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await kvs.query('twin:c1:', { limit: 100, cursor });
        seen.push(...page.results.map((r) => (r.value as { i: number }).i));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 230 }, (_, i) => i));
      expect((await kvs.query('twin:c3:', { limit: 10 })).results).toEqual([]);
    });

    test('writes only-if-absent once', undefined, async ({ kvs }) => {
      expect(await kvs.setIfAbsent('lock', 'first')).toBe(true);
      expect(await kvs.setIfAbsent('lock', 'second')).toBe(false);
      expect(await kvs.get('lock')).toBe('first');
    });

    test('applies a transaction of up to 25 operations at once, and refuses 26 without applying any', undefined, async ({ kvs }) => {
      await kvs.set('gone', 1);
      await kvs.transact([
        { kind: 'set', key: 'a', value: 1 },
        { kind: 'set', key: 'b', value: 2 },
        { kind: 'delete', key: 'gone' },
      ]);
      expect([await kvs.get('a'), await kvs.get('b'), await kvs.get('gone')]).toEqual([1, 2, undefined]);
      await kvs.transact(Array.from({ length: 25 }, (_, i) => ({ kind: 'set' as const, key: `t${i}`, value: i })));
      expect(await kvs.get('t24')).toBe(24);
      await expect(kvs.transact(Array.from({ length: 26 }, (_, i) => ({ kind: 'set' as const, key: `k${i}`, value: i })))).rejects.toThrow();
      expect(await kvs.get('k0')).toBeUndefined();
    });

    test('keeps secrets apart from plain values', undefined, async ({ kvs }) => {
      await kvs.setSecret('secret:c1', { key: 's3cr3t' });
      expect(await kvs.get('secret:c1')).toBeUndefined();
      expect(await kvs.getSecret('secret:c1')).toEqual({ key: 's3cr3t' });
      expect((await kvs.query('secret:', { limit: 10 })).results).toEqual([]);
      await kvs.deleteSecret('secret:c1');
      expect(await kvs.getSecret('secret:c1')).toBeUndefined();
    });

    test('expires a key written with a TTL, for get, query and only-if-absent; a write without one makes it permanent', undefined, async ({ kvs, advance }) => {
      expect(await kvs.setIfAbsent('seen:c1:m1', { state: 'processing' }, { ttlSeconds: 900 })).toBe(true);
      await kvs.set('seen:c1:m2', { state: 'done' }, { ttlSeconds: 60 });
      await kvs.set('seen:c1:m3', { state: 'done' }, { ttlSeconds: 60 });
      await kvs.set('seen:c1:m3', { state: 'kept' });
      advance(59_000);
      expect(await kvs.get('seen:c1:m2')).toEqual({ state: 'done' });
      advance(1_000);
      expect(await kvs.get('seen:c1:m2')).toBeUndefined();
      expect(await kvs.get('seen:c1:m3')).toEqual({ state: 'kept' });
      expect((await kvs.query('seen:c1:', { limit: 10 })).results.map((r) => r.key)).toEqual(['seen:c1:m1', 'seen:c1:m3']);
      expect(await kvs.setIfAbsent('seen:c1:m1', { state: 'again' })).toBe(false);
      advance(840_000);
      expect(await kvs.setIfAbsent('seen:c1:m1', { state: 'again' })).toBe(true);
      await expect(kvs.set('t', 1, { ttlSeconds: 400 * 86_400 })).rejects.toThrow();
    });

    test('refuses keys and values beyond Forge\'s limits and stores nothing', undefined, async ({ kvs }) => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { deep };
      for (const [key, value] of [
        ['', 1],
        ['x'.repeat(501), 1],
        ['bad/key', 1],
        ['big', 'x'.repeat(240 * 1024 + 1)],
        ['deep', deep],
      ] as const) {
        await expect(kvs.set(key, value)).rejects.toThrow();
      }
      await kvs.set('x'.repeat(500), 'a key of 500 characters fits');
      await kvs.set('fits', 'x'.repeat(200 * 1024));
      expect((await kvs.query('big', { limit: 10 })).results).toEqual([]);
      expect(await kvs.get('deep')).toBeUndefined();
      await expect(kvs.setSecret('big', 'x'.repeat(240 * 1024 + 1))).rejects.toThrow();
    });

    test('says which limit with Forge\'s error codes', 'error codes', async ({ kvs }) => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { deep };
      expect(await codeOf(kvs.set('x'.repeat(501), 1))).toBe('KEY_TOO_LONG');
      expect(await codeOf(kvs.set('big', 'x'.repeat(240 * 1024 + 1)))).toBe('MAX_SIZE');
      expect(await codeOf(kvs.set('deep', deep))).toBe('MAX_DEPTH');
    });

    test('refuses a page of more than 100 keys', 'page size', async ({ kvs }) => {
      expect(await codeOf(kvs.query('p:', { limit: 101 }))).toBe('LIST_QUERY_LIMIT_EXCEEDED');
    });
  });
}
