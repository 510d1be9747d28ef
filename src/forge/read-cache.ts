import type { Kvs, KvsSetOptions } from '../ports';

// Within one invocation the same few records are read again and again (the
// connection record about nine times per synced issue, its keyring six), and
// on Forge every read is a round trip. Records that change rarely are read
// once per invocation; this invocation's own writes replace what it holds. A
// change made by another invocation meanwhile is seen by the next invocation.

/** Keys worth holding for an invocation: rarely written, often read. */
const STABLE_PREFIXES = ['connection:', 'connection-secret:', 'instance:', 'meta:'];

const isStable = (key: string) => STABLE_PREFIXES.some((prefix) => key.startsWith(prefix));

export function withReadCache(kvs: Kvs): Kvs {
  const values = new Map<string, unknown>();
  const secrets = new Map<string, unknown>();
  const forget = (key: string) => {
    values.delete(key);
    secrets.delete(key);
  };
  const cachedRead = async (held: Map<string, unknown>, key: string, read: () => Promise<unknown>): Promise<unknown> => {
    if (!isStable(key)) return read();
    // Copies, so a caller changing what it got cannot change what the next caller gets.
    if (held.has(key)) return structuredClone(held.get(key));
    const value = await read();
    held.set(key, structuredClone(value));
    return value;
  };
  /** A write goes through; what this invocation held for the key is dropped first. */
  const writing =
    <A extends unknown[], R>(write: (key: string, ...rest: A) => Promise<R>) =>
    (key: string, ...rest: A): Promise<R> => {
      forget(key);
      return write(key, ...rest);
    };
  return {
    get: (key) => cachedRead(values, key, () => kvs.get(key)),
    getSecret: (key) => cachedRead(secrets, key, () => kvs.getSecret(key)),
    set: writing((key, value: unknown, options?: KvsSetOptions) => kvs.set(key, value, options)),
    setIfAbsent: writing((key, value: unknown, options?: KvsSetOptions) => kvs.setIfAbsent(key, value, options)),
    delete: writing((key) => kvs.delete(key)),
    setSecret: writing((key, value: unknown) => kvs.setSecret(key, value)),
    deleteSecret: writing((key) => kvs.deleteSecret(key)),
    query: (prefix, options) => kvs.query(prefix, options),
    async transact(ops) {
      for (const op of ops) forget(op.key);
      await kvs.transact(ops);
    },
  };
}
