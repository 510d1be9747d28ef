import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Where one sandbox keeps its data: the Forge platform's database and one
// Jira database per site. Two sandboxes side by side each get their own
// directory; a reset removes only this runtime's own files from it, never the
// directory or anything else that happens to be there, and a lock keeps a
// second running sandbox off a directory already in use.

/** The files a runtime with these sites writes into its data directory (SQLite adds -wal and -shm beside each). */
export function ownDatabases(siteNames: readonly string[]): string[] {
  return ['forge.sqlite', ...siteNames.map((name) => `${name}-jira.sqlite`)];
}

/** Remove this runtime's databases from `dataDir`, leaving everything else in it. */
export function resetDataDir(dataDir: string, siteNames: readonly string[]): void {
  if (!existsSync(dataDir)) return;
  const own = new Set(ownDatabases(siteNames).flatMap((file) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]));
  for (const file of readdirSync(dataDir)) if (own.has(file)) rmSync(join(dataDir, file), { force: true });
}

/**
 * The data directory `npm start` was given: `--data-dir DIR` or `--data-dir=DIR`,
 * else `DATA_DIR`, else `fallback`.
 */
export function dataDirFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--data-dir=')) return resolve(arg.slice('--data-dir='.length));
    if (arg === '--data-dir') {
      const next = argv[i + 1];
      if (!next || next.startsWith('--')) throw new Error('--data-dir needs a directory, e.g. `npm start -- --data-dir ./.data-b`');
      return resolve(next);
    }
  }
  return resolve(env.DATA_DIR || fallback);
}

const LOCK_FILE = 'runtime.lock';

/**
 * Claim `dataDir` for this process. A lock left by a process that no longer
 * runs (killed, crashed) is taken over; one held by a live process is refused,
 * since two runtimes on one directory would run each other's queued work.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const holder = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
  if (holder && holder !== pid && isAlive(holder)) {
    throw new Error(`The data directory ${dataDir} is in use by another sandbox (process ${holder}). Give this one its own: \`npm start -- --data-dir <dir>\` or DATA_DIR=<dir>.`);
  }
  writeFileSync(file, String(pid));
  return () => {
    if (existsSync(file) && Number(readFileSync(file, 'utf8').trim()) === pid) rmSync(file, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
