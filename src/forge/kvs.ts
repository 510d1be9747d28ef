import { kvs, WhereConditions } from '@forge/kvs';
import type { Kvs, KvsSetOptions, KvsTransactionOp } from '../ports';

/**
 * Forge KVS's `ttl` set option (`{value, unit}`, seconds its finest unit, a year at most), or nothing.
 * https://developer.atlassian.com/platform/forge/storage-reference/kvs-api/ (TTL on set, batch set and
 * transactions; expired keys may be deleted up to 48 h late).
 */
function ttlOf(options: KvsSetOptions | undefined): { ttl: { value: number; unit: 'SECONDS' } } | undefined {
  return options?.ttlSeconds === undefined ? undefined : { ttl: { value: Math.max(1, Math.ceil(options.ttlSeconds)), unit: 'SECONDS' } };
}

/** The Kvs port over `@forge/kvs` (the storage API that replaces the legacy `@forge/storage`). */
export const forgeKvs: Kvs = {
  async get<T>(key: string) {
    return (await kvs.get<T>(key)) ?? undefined;
  },
  async set(key, value, options) {
    await kvs.set(key, value, ttlOf(options));
  },
  async setIfAbsent(key, value, options) {
    try {
      await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS', ...ttlOf(options) });
      return true;
    } catch (e) {
      if (isKeyExists(e)) return false;
      throw e;
    }
  },
  async delete(key) {
    await kvs.delete(key);
  },
  async query<T>(prefix: string, options: { limit?: number; cursor?: string } = {}) {
    // An empty prefix means every key (the uninstall's sweep): Forge iterates all values when no condition is given.
    let query = (prefix ? kvs.query().where('key', WhereConditions.beginsWith(prefix)) : kvs.query()).limit(options.limit ?? 100);
    if (options.cursor) query = query.cursor(options.cursor);
    const page = await query.getMany<T>();
    return {
      results: page.results.map((r) => ({ key: r.key, value: r.value })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  },
  async transact(ops: KvsTransactionOp[]) {
    let tx = kvs.transact();
    for (const op of ops) tx = op.kind === 'set' ? tx.set(op.key, op.value) : tx.delete(op.key);
    await tx.execute();
  },
  async getSecret<T>(key: string) {
    return (await kvs.getSecret<T>(key)) ?? undefined;
  },
  async setSecret(key, value) {
    await kvs.setSecret(key, value);
  },
  async deleteSecret(key) {
    await kvs.deleteSecret(key);
  },
};

// FAIL_IF_EXISTS answers 409 with code KEY_CONFLICT when another writer got there first.
function isKeyExists(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'KEY_CONFLICT';
}
