import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILIES, headOf, JOB_RUNNING_PREFIX, type PrefixFamily, type SingleFamily } from '../../src/removal/families';

// The list of key families (src/removal/families.ts) is what deletion and the
// orphan sweep know of a connection. A module that starts storing a new kind
// of key must add it there, or say here why it is not a connection's: this
// test reads the app's source for key shapes and fails on any it cannot place.

const root = join(import.meta.dirname, '../..');

/** Key shapes in the source that are not a connection's, or not storage keys at all, and why. */
const NOT_A_CONNECTION_FAMILY: Record<string, string> = {
  'connection:': 'the connection record itself: the purge deletes it last',
  'connection-secret:': 'a secret: deleted by name (deleteSecrets), as secrets cannot be listed',
  'tombstone:': 'outlives the connection until the partner has heard of the deletion',
  'tombstone-secret:': 'the tombstone’s copy of the secret, with the tombstone',
  'meta:': 'site metadata cache',
  'meta:types:': 'site metadata cache, per project',
  'attsha:': 'attachment hashes of the site, not of a connection',
  'att:': 'a content reference inside a replica, not a key',
  'lock:': 'the lease store; the leases named after a connection are families of their own',
  'in:': 'a lease name (stored under lock:)',
  'recount:': 'a lease name (stored under lock:)',
  'twini:': 'the per-issue twin index, deleted with each twin in the same transaction',
  'out:': 'an id on the Sync queue page, not a key',
  'refused:': 'an id on the Sync queue page, not a key',
  'removal:': 'the orphan sweep’s own state',
  'invitation-accepting:': 'a secret the acceptor keeps for 60 s while it accepts, before any connection exists there; inert after',
  'http:': 'a URL scheme in a check, not a key',
  'https:': 'a URL scheme in a check, not a key',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'local' || name === 'forge' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

describe('the key families of a connection', () => {
  const connectionFirst = FAMILIES.filter((f): f is SingleFamily | PrefixFamily => f.kind !== 'shared');

  it('builds every key from its owning module, as `<head><connection id>` or `<head><connection id>:…`', () => {
    for (const family of connectionFirst) {
      const head = headOf(family);
      expect(head, family.name).toMatch(/^[a-z][a-z-]*(:[a-z-]+)*:$/);
      if (family.kind === 'single') expect(family.key('c-1'), family.name).toBe(`${head}c-1`);
      else expect(family.prefix('c-1'), family.name).toBe(`${head}c-1:`);
    }
  });

  it('gives each family a head no other family’s head starts with, so a key names its family', () => {
    const heads = [...connectionFirst.map(headOf), ...FAMILIES.flatMap((f) => (f.kind === 'shared' ? [f.prefix] : [])), JOB_RUNNING_PREFIX];
    for (const a of heads) for (const b of heads) if (a !== b) expect(b.startsWith(a), `${b} starts with ${a}`).toBe(false);
  });

  it('covers every key shape the app’s source builds', () => {
    const known = new Set([
      ...connectionFirst.map(headOf),
      ...FAMILIES.flatMap((f) => (f.kind === 'shared' ? [f.prefix] : [])),
      JOB_RUNNING_PREFIX,
      ...Object.keys(NOT_A_CONNECTION_FAMILY),
    ]);
    const unplaced: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const heads = [
        ...[...text.matchAll(/`([a-z][a-z-]*(?::[a-z-]+)*:)\$\{/g)].map((m) => m[1]!),
        ...[...text.matchAll(/'([a-z][a-z-]*(?::[a-z-]+)*:)'/g)].map((m) => m[1]!),
      ];
      for (const head of heads) {
        const placed = known.has(head) || [...known].some((k) => k.endsWith(':') && head.startsWith(k) && head.startsWith('lock:'));
        if (!placed) unplaced.push(`${relative(root, file)}: ${head}`);
      }
    }
    expect(unplaced).toEqual([]);
  });
});
