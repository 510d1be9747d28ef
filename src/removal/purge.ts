import type { KvsEntry, KvsTransactionOp, Platform } from '../ports';
import { KVS_LIMITS } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { connectionKey, readStoredConnection, saveConnection } from '../connections/store';
import { deleteSecrets, readSecrets } from '../connections/secrets';
import { pushWork } from '../transport/kick';
import { writeTombstone } from '../transport/tombstone';
import { DEFAULT_SETTINGS } from '../transport/types';
import { FAMILIES, type PrefixFamily, type SharedFamily, type SingleFamily } from './families';
import { pushRemovalWork, type PurgeWork } from './work';

// Removing everything stored for one connection, through the queue, a
// bounded amount per event: each event deletes pages (queries of at most 100
// keys, deletes in transactions of at most 25) until its storage budget is
// spent, then queues the next event with where it stopped. Every step only
// deletes, so running one twice, or two chains at once, does no harm; a
// process killed mid-step leaves its event leased, and the queue gives it to
// the next process, which starts that step again.
//
// An admin's deletion is marked on the connection record first (src/pairing/deletion.ts):
// from then on no new work writes for the connection. Work that read the
// record just before may still be running; it ends within the longest
// invocation Forge allows (900 s), so after a first pass the chain waits
// that long, makes a second pass, and only then deletes the record. The
// scheduled trigger seeds a chain anew if one goes silent (src/removal/maintenance.ts).

/** Storage calls one event may make before it hands over to the next. */
export const CALLS_PER_EVENT = 100;
/** How long work that read the connection before the mark may still write: Forge's longest invocation. */
export const SETTLE_MS = 900_000;
/** A chain touches its record at most this often (a write), enough for the stall check. */
const TOUCH_EVERY_MS = 60_000;

class Budget {
  constructor(private left: number) {}
  spend(n = 1): void {
    this.left -= n;
  }
  get spent(): boolean {
    return this.left <= 0;
  }
}

type FamilyResult = { done: true } | { done: false; cursor?: string };

export async function runPurge(platform: Platform, work: PurgeWork): Promise<void> {
  let record = await readStoredConnection(platform, work.connectionId);
  // A live connection, or one the partner ended, is not being deleted: a stray event changes nothing.
  if (record && !record.deletion) return;
  // Another chain owns this removal (this one was seeded anew after going silent).
  if (record?.deletion && work.chainId !== record.deletion.chainId) return;

  const budget = new Budget(CALLS_PER_EVENT);
  if (record?.deletion?.tellPartner && work.family === 0 && !work.final) record = await leaveTombstone(platform, record);

  let index = work.family;
  let cursor = work.cursor;
  while (index < FAMILIES.length) {
    if (budget.spent) return handOver(platform, record, { ...work, family: index, cursor });
    const family = FAMILIES[index]!;
    if (family.kind === 'single') {
      // Consecutive single keys go together, a transaction of up to 25.
      let end = index;
      while (end < FAMILIES.length && FAMILIES[end]!.kind === 'single') end++;
      await deleteKeys(platform, FAMILIES.slice(index, end).map((f) => (f as SingleFamily).key(work.connectionId)), budget);
      index = end;
      continue;
    }
    const result = family.kind === 'prefix' ? await purgePrefix(platform, family, work.connectionId, budget) : await purgeShared(platform, family, work.connectionId, cursor, budget);
    if (!result.done) return handOver(platform, record, { ...work, family: index, cursor: result.cursor });
    index++;
    cursor = undefined;
  }

  await deleteSecrets(platform, work.connectionId);
  // An orphan purge (no record: its connection was removed before, by older code or a lost event) is one pass.
  if (!record?.deletion) return;
  const settledAt = record.deletion.at + SETTLE_MS;
  if (!work.final) {
    await touch(platform, record, true);
    const wait = Math.max(0, settledAt - platform.clock.now()) / 1000;
    await pushRemovalWork(platform, { kind: 'removal.purge', connectionId: work.connectionId, chainId: record.deletion.chainId, family: 0, final: true }, wait);
    return;
  }
  await platform.kvs.delete(connectionKey(work.connectionId));
}

/**
 * The partner must still hear of the deletion after the secret is gone: the
 * tombstone keeps a copy to sign the notice with (src/transport/tombstone.ts),
 * written before any key is deleted.
 */
async function leaveTombstone(platform: Platform, record: ConnectionRecord): Promise<ConnectionRecord> {
  if (!record.deletion) return record;
  const secrets = await readSecrets(platform, record.id);
  if (secrets) {
    await writeTombstone(platform, record, secrets, DEFAULT_SETTINGS);
    if (record.delivery !== 'held') await pushWork(platform, { kind: 'transport.notify', connectionId: record.id });
  }
  const updated: ConnectionRecord = { ...record, deletion: { ...record.deletion, tellPartner: false, touchedAt: platform.clock.now() } };
  await saveConnection(platform, updated);
  return updated;
}

async function handOver(platform: Platform, record: ConnectionRecord | undefined, next: PurgeWork): Promise<void> {
  if (record?.deletion) await touch(platform, record, false);
  await pushRemovalWork(platform, next);
}

async function touch(platform: Platform, record: ConnectionRecord, always: boolean): Promise<void> {
  const now = platform.clock.now();
  if (!record.deletion || (!always && now - record.deletion.touchedAt < TOUCH_EVERY_MS)) return;
  await saveConnection(platform, { ...record, deletion: { ...record.deletion, touchedAt: now } });
}

/** Everything under the connection's prefix, page by page; what a racing writer adds is the second pass's. */
async function purgePrefix(platform: Platform, family: PrefixFamily, connectionId: string, budget: Budget): Promise<FamilyResult> {
  const prefix = family.prefix(connectionId);
  for (;;) {
    if (budget.spent) return { done: false };
    const page = await platform.kvs.query(prefix, { limit: KVS_LIMITS.maxQueryLimit });
    budget.spend();
    const keys = page.results.flatMap((entry) => [entry.key, ...(family.companions?.(connectionId, entry) ?? [])]);
    await deleteKeys(platform, keys, budget);
    if (!page.nextCursor) return { done: true };
  }
}

/** A family all connections share: read through it, deleting the entries of this connection. */
async function purgeShared(platform: Platform, family: SharedFamily, connectionId: string, from: string | undefined, budget: Budget): Promise<FamilyResult> {
  let cursor = from;
  for (;;) {
    if (budget.spent) return { done: false, cursor };
    let page;
    try {
      page = await platform.kvs.query(family.prefix, { limit: KVS_LIMITS.maxQueryLimit, ...(cursor ? { cursor } : {}) });
    } catch (e) {
      // Forge does not promise a cursor stays valid: read the family again from its start (deleting twice is harmless).
      if (!cursor) throw e;
      cursor = undefined;
      continue;
    } finally {
      budget.spend();
    }
    const owned = page.results.filter((entry: KvsEntry) => family.ownerOf(entry) === connectionId);
    await deleteKeys(platform, owned.flatMap((entry) => [entry.key, ...(family.companions?.(entry) ?? [])]), budget);
    if (!page.nextCursor) return { done: true };
    cursor = page.nextCursor;
  }
}

/** Deletes keys, 25 to a transaction (one storage call each); a key that is already gone is no error. */
export async function deleteKeys(platform: Platform, keys: string[], budget?: Budget): Promise<void> {
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += KVS_LIMITS.maxTransactionOps) {
    const ops: KvsTransactionOp[] = unique.slice(i, i + KVS_LIMITS.maxTransactionOps).map((key) => ({ kind: 'delete', key }));
    await platform.kvs.transact(ops);
    budget?.spend();
  }
}
