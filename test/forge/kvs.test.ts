import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalKvs } from '../support/local-kvs';

// The real @forge/kvs SDK (through our Kvs port adapter) against the local
// SQLite store: what only the store does. What every KVS emulation does
// (reads, writes, queries, transactions, secrets, TTL, limits) is the shared
// contract, test/storage/kvs-contract.test.ts.

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'kvs-')), 'forge.sqlite');

describe('local KVS through @forge/kvs', () => {
  it('keeps expired rows until the scheduled sweep drops them, unseen meanwhile', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const { db, store, kvs } = await openLocalKvs(':memory:', () => now);
    await kvs.set('seen:c1:m1', { state: 'done' }, { ttlSeconds: 60 });
    await kvs.set('seen:c1:m2', { state: 'kept' });
    now += 60_000;
    expect(await kvs.get('seen:c1:m1')).toBeUndefined();
    const rows = () => (db.prepare('SELECT key FROM kvs ORDER BY key').all() as { key: string }[]).map((r) => r.key);
    expect(rows()).toEqual(['seen:c1:m1', 'seen:c1:m2']);
    store.sweepExpired();
    expect(rows()).toEqual(['seen:c1:m2']);
  });

  it('survives a restart of the process (the database is reopened)', async () => {
    const file = tempFile();
    const first = await openLocalKvs(file, () => Date.now());
    await first.kvs.set('instance', { id: 'abc' });
    first.db.close();
    const second = await openLocalKvs(file, () => Date.now());
    expect(await second.kvs.get('instance')).toEqual({ id: 'abc' });
  });
});
