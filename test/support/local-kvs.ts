import Database from 'better-sqlite3';
import type { Kvs } from '../../src/ports';
import { installForgeGlobals, runInvocation, type InstallationBackend } from '../../src/local/forge/globals';
import { LocalKvsStore } from '../../src/local/forge/kvs-store';

// The local runtime's SQLite KVS reached the way the app reaches it: the
// core's Kvs port (src/forge/kvs.ts) over the real @forge/kvs SDK, whose calls
// the Forge globals route to the store's public protocol entry point (`handle`).

installForgeGlobals();

export interface LocalKvs {
  db: Database.Database;
  store: LocalKvsStore;
  /** The port, each call in an invocation of its own. */
  kvs: Kvs;
  /** Runs `fn` inside one invocation (the SDK needs one). */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export async function openLocalKvs(file: string, now: () => number): Promise<LocalKvs> {
  // Loaded after the globals are installed, as the runtime loads it.
  const { forgeKvs } = await import('../../src/forge/kvs');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const store = new LocalKvsStore(db, now);
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
  const inInvocation =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      run(() => call(...args));
  const kvs: Kvs = {
    get: inInvocation((key: string) => forgeKvs.get(key)),
    set: inInvocation((key: string, value: unknown, options?: { ttlSeconds?: number }) => forgeKvs.set(key, value, options)),
    setIfAbsent: inInvocation((key: string, value: unknown, options?: { ttlSeconds?: number }) => forgeKvs.setIfAbsent(key, value, options)),
    delete: inInvocation((key: string) => forgeKvs.delete(key)),
    query: inInvocation((prefix: string, options?: { limit?: number; cursor?: string }) => forgeKvs.query(prefix, options)),
    transact: inInvocation((ops: Parameters<Kvs['transact']>[0]) => forgeKvs.transact(ops)),
    getSecret: inInvocation((key: string) => forgeKvs.getSecret(key)),
    setSecret: inInvocation((key: string, value: unknown) => forgeKvs.setSecret(key, value)),
    deleteSecret: inInvocation((key: string) => forgeKvs.deleteSecret(key)),
  };
  return { db, store, kvs, run };
}
