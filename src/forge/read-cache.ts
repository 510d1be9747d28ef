import type { Kvs, KvsSetOptions } from '../ports';

// Within one invocation the same few records are read again and again (the
// connection record about nine times per synced issue, its keyring six), and
// on Forge every read is a round trip. Records that change rarely are read
// once per invocation; this invocation's own writes replace what it holds. A
// change made by another invocation meanwhile is seen by the next invocation.

/** Keys worth holding for an invocation: rarely written, often read. */
const STABLE_PREFIXES = ['connection:', 'connection-secret:', 'instance:', 'meta:'];

const isStable = (key: string) => STABLE_PREFIXES.some((prefix) => key.startsWith(prefix));

// Across invocations that a warm container serves, only the `meta:` caches are held: copies of Jira's site
// metadata that carry their own read time, which every reader checks against its TTL, so a copy held here is
// never trusted longer than the stored one would be; at worst a container whose copy aged out reads Jira again
// although another container already did. What another invocation writes elsewhere (connections, secrets,
// twins) is never held past the invocation. Held per installation: one container may serve several.
const WARM_PREFIX = 'meta:';
export const WARM_HOLD_MS = 10 * 60_000;
const WARM_KEYS_PER_INSTALLATION = 64;
const warm = new Map<string, Map<string, { value: unknown; heldAt: number }>>();

/**
 * Forgets every warm copy. Forge gives a reinstalled app a new installation; the local runtime keeps an
 * installation's id across data directories, so it calls this when it opens one.
 */
export function forgetWarmCopies(): void {
  warm.clear();
}

/** The warm copies of one installation, or none when the installation is not known. */
function warmFor(installation: string | undefined) {
  if (!installation) return undefined;
  let held = warm.get(installation);
  if (!held) warm.set(installation, (held = new Map()));
  return held;
}

export function withReadCache(kvs: Kvs, options: { installation?: string; now?: () => number } = {}): Kvs {
  const warmHeld = warmFor(options.installation);
  const now = options.now ?? Date.now;
  const values = new Map<string, unknown>();
  if (warmHeld) {
    for (const [key, entry] of warmHeld) {
      if (now() - entry.heldAt < WARM_HOLD_MS && now() >= entry.heldAt) values.set(key, entry.value);
      else warmHeld.delete(key);
    }
  }
  const secrets = new Map<string, unknown>();
  const forget = (key: string) => {
    values.delete(key);
    secrets.delete(key);
    warmHeld?.delete(key);
  };
  const cachedRead = async (held: Map<string, unknown>, key: string, read: () => Promise<unknown>): Promise<unknown> => {
    if (!isStable(key)) return read();
    // Copies, so a caller changing what it got cannot change what the next caller gets.
    if (held.has(key)) return structuredClone(held.get(key));
    const value = await read();
    held.set(key, structuredClone(value));
    if (held === values) keepWarm(key, value);
    return value;
  };
  const keepWarm = (key: string, value: unknown) => {
    if (!warmHeld || !key.startsWith(WARM_PREFIX) || value === undefined) return;
    if (warmHeld.size >= WARM_KEYS_PER_INSTALLATION) warmHeld.delete(warmHeld.keys().next().value!);
    warmHeld.set(key, { value: structuredClone(value), heldAt: now() });
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
