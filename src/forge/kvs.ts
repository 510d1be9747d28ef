import { ForgeKvsAPIError, kvs, WhereConditions } from '@forge/kvs';
import { PlatformRateLimited } from '../domain/errors';
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
    return limited(async () => (await kvs.get<T>(key)) ?? undefined);
  },
  async set(key, value, options) {
    await limited(() => kvs.set(key, value, ttlOf(options)));
  },
  async setIfAbsent(key, value, options) {
    return limited(async () => {
      try {
        await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS', ...ttlOf(options) });
        return true;
      } catch (e) {
        if (isKeyExists(e)) return false;
        throw e;
      }
    });
  },
  async delete(key) {
    await limited(() => kvs.delete(key));
  },
  async query<T>(prefix: string, options: { limit?: number; cursor?: string } = {}) {
    // An empty prefix means every key (the uninstall's sweep): Forge iterates all values when no condition is given.
    let query = (prefix ? kvs.query().where('key', WhereConditions.beginsWith(prefix)) : kvs.query()).limit(options.limit ?? 100);
    if (options.cursor) query = query.cursor(options.cursor);
    const page = await limited(() => query.getMany<T>());
    return {
      results: page.results.map((r) => ({ key: r.key, value: r.value })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  },
  async transact(ops: KvsTransactionOp[]) {
    let tx = kvs.transact();
    for (const op of ops) tx = op.kind === 'set' ? tx.set(op.key, op.value) : tx.delete(op.key);
    await limited(() => tx.execute());
  },
  async getSecret<T>(key: string) {
    return limited(async () => (await kvs.getSecret<T>(key)) ?? undefined);
  },
  async setSecret(key, value) {
    await limited(() => kvs.setSecret(key, value));
  },
  async deleteSecret(key) {
    await limited(() => kvs.deleteSecret(key));
  },
};

// FAIL_IF_EXISTS answers 409 with code KEY_CONFLICT when another writer got there first.
function isKeyExists(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'KEY_CONFLICT';
}

/**
 * Forge's storage refuses an installation over its rate limits with 429
 * RATE_LIMIT_EXCEEDED (the transactions page names it TOO_MANY_REQUESTS).
 * That becomes PlatformRateLimited, which the app's handlers answer by doing
 * the work again later rather than recording a failure.
 */
async function limited<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ForgeKvsAPIError && (e.code === 'RATE_LIMIT_EXCEEDED' || e.code === 'TOO_MANY_REQUESTS' || e.responseDetails?.status === 429)) {
      throw new PlatformRateLimited(e.message);
    }
    throw e;
  }
}
