import { ForgeKvsAPIError, kvs, WhereConditions } from '@forge/kvs';
import { PlatformRateLimited } from '../domain/errors';
import { platformSleep } from './sandbox';
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
 * RATE_LIMIT_EXCEEDED (the transactions page names it TOO_MANY_REQUESTS),
 * without saying which limit or for how long
 * (https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-kvs/).
 * A refused request did nothing, so it is sent again after short waits: a
 * burst over the 1,000 requests a second clears within a second, and going
 * back to the queue for it would cost a backoff of seconds (and the partner
 * waiting on a "busy" answer ten). A refusal that outlasts the waits (a
 * per-minute limit) becomes PlatformRateLimited, which the app's handlers
 * answer by doing the work again later rather than recording a failure.
 */
async function limited<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isRateLimited(e)) throw e;
      const wait = RATE_LIMIT_WAITS_MS[attempt];
      if (wait === undefined) throw new PlatformRateLimited(e.message);
      await platformSleep(wait);
    }
  }
}

/** Waits before each resend of a refused request: 1.75 s in all, past the requests-a-second window. */
export const RATE_LIMIT_WAITS_MS: readonly number[] = [250, 500, 1_000];

function isRateLimited(e: unknown): e is ForgeKvsAPIError {
  return e instanceof ForgeKvsAPIError && (e.code === 'RATE_LIMIT_EXCEEDED' || e.code === 'TOO_MANY_REQUESTS' || e.responseDetails?.status === 429);
}
