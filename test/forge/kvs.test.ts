import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { installForgeGlobals, runInvocation, type InstallationBackend } from '../../src/local/forge/globals';
import { LocalKvsStore } from '../../src/local/forge/kvs-store';

// The real @forge/kvs SDK (through our Kvs port adapter) against the local
// SQLite store: the same calls the app makes on Forge.

installForgeGlobals();
type Port = typeof import('../../src/forge/kvs').forgeKvs;
let forgeKvs: Port;

beforeAll(async () => {
  ({ forgeKvs } = await import('../../src/forge/kvs'));
});

function openStore(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const store = new LocalKvsStore(db, () => Date.now());
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
  const run = <T>(fn: () => Promise<T>) => runInvocation(backend, 'test', {}, fn);
  return { db, run, store };
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'kvs-')), 'forge.sqlite');

describe('local KVS through @forge/kvs', () => {
  it('gets, sets, deletes and reports absent keys as undefined', async () => {
    const { run } = openStore(':memory:');
    await run(async () => {
      expect(await forgeKvs.get('missing')).toBeUndefined();
      await forgeKvs.set('connection:1', { name: 'Blue_to_Green', n: 1 });
      expect(await forgeKvs.get('connection:1')).toEqual({ name: 'Blue_to_Green', n: 1 });
      await forgeKvs.delete('connection:1');
      expect(await forgeKvs.get('connection:1')).toBeUndefined();
    });
  });

  it('pages a prefix query with cursors, in key order, without leaking other prefixes', async () => {
    const { run } = openStore(':memory:');
    await run(async () => {
      for (let i = 0; i < 230; i++) await forgeKvs.set(`twin:c1:${String(i).padStart(4, '0')}`, { i });
      await forgeKvs.set('twin:c2:0000', { other: true });
      await forgeKvs.set('twim:c1:zzzz', { other: true });
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await forgeKvs.query('twin:c1:', { limit: 100, cursor });
        seen.push(...page.results.map((r) => (r.value as { i: number }).i));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 230 }, (_, i) => i));
    });
  });

  it('enforces Forge limits on keys, values, depth and transactions', async () => {
    const { run } = openStore(':memory:');
    await run(async () => {
      await expect(forgeKvs.set('x'.repeat(501), 1)).rejects.toThrow(/longer than 500/);
      await expect(forgeKvs.set('bad/key', 1)).rejects.toThrow(/must match/);
      await expect(forgeKvs.set('big', 'x'.repeat(240 * 1024 + 1))).rejects.toThrow(/larger than 240 KiB/);
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { deep };
      await expect(forgeKvs.set('deep', deep)).rejects.toThrow(/deeper than 31/);
      const ops = Array.from({ length: 26 }, (_, i) => ({ kind: 'set' as const, key: `k${i}`, value: i }));
      await expect(forgeKvs.transact(ops)).rejects.toThrow(/at most 25/);
      expect(await forgeKvs.get('k0')).toBeUndefined();
    });
  });

  it('applies a transaction all at once and setIfAbsent only once', async () => {
    const { run } = openStore(':memory:');
    await run(async () => {
      await forgeKvs.transact([
        { kind: 'set', key: 'a', value: 1 },
        { kind: 'set', key: 'b', value: 2 },
      ]);
      expect([await forgeKvs.get('a'), await forgeKvs.get('b')]).toEqual([1, 2]);
      expect(await forgeKvs.setIfAbsent('lock', 'first')).toBe(true);
      expect(await forgeKvs.setIfAbsent('lock', 'second')).toBe(false);
      expect(await forgeKvs.get('lock')).toBe('first');
    });
  });

  it("honours a TTL on set and setIfAbsent: an expired key is gone for get, query and FAIL_IF_EXISTS", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.parse('2026-11-23T10:00:00Z');
      vi.setSystemTime(start);
      const { db, run, store } = openStore(':memory:');
      await run(async () => {
        expect(await forgeKvs.setIfAbsent('seen:c1:m1', { state: 'processing' }, { ttlSeconds: 900 })).toBe(true);
        await forgeKvs.set('seen:c1:m2', { state: 'done' }, { ttlSeconds: 60 });
        await forgeKvs.set('seen:c1:m3', { state: 'done' }, { ttlSeconds: 60 });
        // A later write without a TTL makes the key permanent again.
        await forgeKvs.set('seen:c1:m3', { state: 'kept' });
      });
      vi.setSystemTime(start + 59_999);
      await run(async () => {
        expect(await forgeKvs.get('seen:c1:m2')).toEqual({ state: 'done' });
        expect((await forgeKvs.query('seen:c1:')).results.map((r) => r.key)).toEqual(['seen:c1:m1', 'seen:c1:m2', 'seen:c1:m3']);
      });
      vi.setSystemTime(start + 60_000);
      await run(async () => {
        expect(await forgeKvs.get('seen:c1:m2')).toBeUndefined();
        expect(await forgeKvs.get('seen:c1:m3')).toEqual({ state: 'kept' });
        expect((await forgeKvs.query('seen:c1:')).results.map((r) => r.key)).toEqual(['seen:c1:m1', 'seen:c1:m3']);
        expect(await forgeKvs.setIfAbsent('seen:c1:m1', { state: 'again' })).toBe(false);
      });
      vi.setSystemTime(start + 900_000);
      await run(async () => {
        expect(await forgeKvs.get('seen:c1:m1')).toBeUndefined();
        expect(await forgeKvs.setIfAbsent('seen:c1:m1', { state: 'again' })).toBe(true);
      });
      // Expired rows are invisible at once and dropped when the runtime sweeps (every scheduled run).
      const rows = () => (db.prepare('SELECT key FROM kvs ORDER BY key').all() as { key: string }[]).map((r) => r.key);
      expect(rows()).toEqual(['seen:c1:m1', 'seen:c1:m2', 'seen:c1:m3']);
      store.sweepExpired();
      expect(rows()).toEqual(['seen:c1:m1', 'seen:c1:m3']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps secrets apart from plain values', async () => {
    const { run } = openStore(':memory:');
    await run(async () => {
      await forgeKvs.setSecret('secret:c1', { key: 's3cr3t' });
      expect(await forgeKvs.get('secret:c1')).toBeUndefined();
      expect(await forgeKvs.getSecret('secret:c1')).toEqual({ key: 's3cr3t' });
      expect((await forgeKvs.query('secret:')).results).toEqual([]);
    });
  });

  it('survives a restart of the process (the database is reopened)', async () => {
    const file = tempFile();
    const first = openStore(file);
    await first.run(() => forgeKvs.set('instance', { id: 'abc' }));
    first.db.close();
    const second = openStore(file);
    await second.run(async () => expect(await forgeKvs.get('instance')).toEqual({ id: 'abc' }));
  });
});
