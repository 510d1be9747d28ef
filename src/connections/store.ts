import { KVS_LIMITS, type KvsTransactionOp, type Platform } from '../ports';
import { AppError } from '../domain/errors';
import { z } from 'zod';
import { ConnectionRecord, isLive, LastSync, type ConnectionStats } from '../domain/connection';
import { recordKind } from '../domain/stored-record';

// Connection records and their counters in KVS. A record marked for deletion
// here, or ended by the partner, stays stored for a while (the purge, the
// row the admin still sees) but is gone for everything that syncs: the
// readers below answer only live connections, from the very record they
// read anyway, so the check costs no storage call.

export const connectionKey = (id: string) => `connection:${id}`;
export const statsKey = (id: string) => `connection-stats:${id}`;
/**
 * One step of the issues-under-sync count (+1 a twin made, -1 one ended) under a key of its own, written in
 * the twin's transaction without reading anything: workers side by side (a bulk page's issues, the
 * partner's parallel web triggers) never lose a step, as a read-modify-write of one counter did. Steps are
 * summed with the counter when read and folded into it by the maintenance pass.
 */
export const countStepPrefix = (id: string) => `connection-count-step:${id}:`;
/** Kept apart from the counter, so writing one never overwrites the other with an older read. */
export const lastSyncKey = (id: string) => `connection-last-sync:${id}`;
const CONNECTION_PREFIX = 'connection:';

const connectionRecord = recordKind({ name: 'connection', version: 1, schema: ConnectionRecord, key: connectionKey });
/** Older records may hold more fields; only the count is read. A count that is not one reads as 0, as it always has. */
const statsRecord = recordKind({ name: 'issues-under-sync counter', version: 1, schema: z.looseObject({ issuesUnderSync: z.unknown() }), key: statsKey });
const CountStep = z.object({ delta: z.number().int() });
const countStepRecord = recordKind({ name: 'issues-under-sync step', version: 1, schema: CountStep, key: (id: string, stepId: string) => `${countStepPrefix(id)}${stepId}` });
const lastSyncRecord = recordKind({ name: 'last sync', version: 1, schema: LastSync, key: lastSyncKey });

/** The stored record whatever its fate: for the purge, the Connections list and deletion itself. */
export async function readStoredConnection(platform: Platform, id: string): Promise<ConnectionRecord | undefined> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) return undefined;
  return connectionRecord.get(platform.kvs, id);
}

/** A connection sync may use; one being deleted or ended by the partner is no connection. */
export async function getConnection(platform: Platform, id: string): Promise<ConnectionRecord | undefined> {
  const connection = await readStoredConnection(platform, id);
  return connection && isLive(connection) ? connection : undefined;
}

/** A connection the Connections page lists: live, or ended by the partner (which an admin may still delete). */
export async function requireListedConnection(platform: Platform, id: string): Promise<ConnectionRecord> {
  const stored = await readStoredConnection(platform, id);
  if (!stored || stored.deletion) throw new AppError('NotFound', `There is no connection with id ${id}; it may have been deleted.`);
  return stored;
}

export async function requireConnection(platform: Platform, id: string): Promise<ConnectionRecord> {
  const stored = await readStoredConnection(platform, id);
  if (stored?.endedByPartner) {
    throw new AppError('Conflict', `The partner deleted the connection "${stored.name}"; nothing syncs on it any more. Delete it here to remove what this side kept of it.`);
  }
  if (!stored || stored.deletion) throw new AppError('NotFound', `There is no connection with id ${id}; it may have been deleted.`);
  return stored;
}

export async function saveConnection(platform: Platform, record: ConnectionRecord): Promise<void> {
  await platform.kvs.set(connectionKey(record.id), ConnectionRecord.parse(record));
}

/** Live connections only: what maintenance, routing and the operations views work on. */
export async function listConnectionRecords(platform: Platform): Promise<ConnectionRecord[]> {
  return (await listStoredConnections(platform)).filter(isLive);
}

/** Every stored record, those being deleted and those the partner ended included. */
export async function listStoredConnections(platform: Platform): Promise<ConnectionRecord[]> {
  const out: ConnectionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(CONNECTION_PREFIX, { limit: 100, cursor });
    for (const entry of connectionRecord.entries(page, platform.log)) out.push(entry.value);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export async function getStats(platform: Platform, id: string): Promise<ConnectionStats> {
  const [count, lastSync] = await Promise.all([issuesUnderSync(platform, id), lastSyncOf(platform, id)]);
  return { issuesUnderSync: count, lastSync };
}

/** Steps the issues-under-sync count by `delta` on its own (outside a twin's transaction). */
export async function adjustIssuesUnderSync(platform: Platform, connectionId: string, delta: number): Promise<void> {
  const op = await issuesUnderSyncStep(platform, connectionId, delta);
  if (op.kind === 'set') await platform.kvs.set(op.key, op.value);
}

/**
 * The write that steps the issues-under-sync count by `delta`, for the
 * transaction that saves or removes the twin: the two then happen together or
 * not at all. Apart, a storage rate limit between them would leave the count
 * off until the hourly recount, since the retry finds the twin already there.
 */
export async function issuesUnderSyncStep(platform: Platform, connectionId: string, delta: number): Promise<KvsTransactionOp> {
  if (!Number.isInteger(delta)) throw new AppError('BadInput', 'The issues-under-sync change must be a whole number.');
  return { kind: 'set', key: countStepRecord.key(connectionId, platform.random.uuid()), value: { delta } satisfies z.infer<typeof CountStep> };
}

/** The counter and the steps not yet folded into it. */
async function issuesUnderSync(platform: Platform, connectionId: string): Promise<number> {
  const [base, steps] = await Promise.all([storedCount(platform, connectionId), countSteps(platform, connectionId)]);
  return Math.max(0, base + steps.reduce((sum, step) => sum + step.value.delta, 0));
}

async function storedCount(platform: Platform, connectionId: string): Promise<number> {
  const count = (await statsRecord.find(platform, connectionId))?.issuesUnderSync;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0;
}

/** The steps waiting to be folded, at most `max` (oldest keys first is not promised: they are ids). */
async function countSteps(platform: Platform, connectionId: string, max = Infinity): Promise<CountStepEntry[]> {
  const steps: CountStepEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(countStepPrefix(connectionId), { limit: 100, cursor });
    steps.push(...countStepRecord.entries(page, platform.log));
    cursor = page.nextCursor;
  } while (cursor && steps.length < max);
  return steps;
}

/** Whether any step waits to be folded (one query, so a quiet connection's pass costs no lock). */
export async function hasIssuesUnderSyncSteps(platform: Platform, connectionId: string): Promise<boolean> {
  return (await platform.kvs.query(countStepPrefix(connectionId), { limit: 1 })).results.length > 0;
}

/** Steps folded per transaction: the counter's write and the steps' deletes (Forge allows 25 operations). */
const FOLD_PER_TRANSACTION = KVS_LIMITS.maxTransactionOps - 1;

type CountStepEntry = { key: string; value: z.infer<typeof CountStep> };

/** One transaction: the counter set to `count`, and `steps` deleted with it (so each is counted once). */
async function writeCounter(platform: Platform, connectionId: string, count: number, steps: CountStepEntry[]): Promise<void> {
  await platform.kvs.transact([{ kind: 'set', key: statsKey(connectionId), value: { issuesUnderSync: Math.max(0, count) } }, ...steps.map((step) => ({ kind: 'delete' as const, key: step.key }))]);
}

function inBatches(steps: CountStepEntry[]): CountStepEntry[][] {
  const batches: CountStepEntry[][] = [];
  for (let i = 0; i < steps.length; i += FOLD_PER_TRANSACTION) batches.push(steps.slice(i, i + FOLD_PER_TRANSACTION));
  return batches;
}

/**
 * Folds up to `max` waiting steps into the counter, each batch in one transaction with its deletes, so a
 * step is counted in the counter or as a step, never both. Two folds at once could read the same counter
 * and lose a batch; the maintenance pass that folds runs one at a time, and the hourly recount sets the
 * count from the twins in any case. How many steps it folded.
 */
export async function foldIssuesUnderSync(platform: Platform, connectionId: string, max = 10 * FOLD_PER_TRANSACTION): Promise<number> {
  const steps = (await countSteps(platform, connectionId, max)).slice(0, max);
  if (!steps.length) return 0;
  let base = await storedCount(platform, connectionId);
  for (const batch of inBatches(steps)) {
    base = Math.max(0, base + batch.reduce((sum, step) => sum + step.value.delta, 0));
    await writeCounter(platform, connectionId, base, batch);
  }
  return steps.length;
}

/**
 * Sets the count from the twins themselves (`count`, counted after `steps` were read): the steps read
 * before counting are in the count, so they go; a step written while counting stays and may count its
 * twin twice until the next recount, as a racing write always could.
 */
export async function setIssuesUnderSync(platform: Platform, connectionId: string, count: () => Promise<number>): Promise<void> {
  const steps = await countSteps(platform, connectionId);
  const total = await count();
  const batches = inBatches(steps);
  for (const batch of batches.length ? batches : [[]]) await writeCounter(platform, connectionId, total, batch);
}

async function lastSyncOf(platform: Platform, connectionId: string): Promise<LastSync | null> {
  return (await lastSyncRecord.find(platform, connectionId)) ?? null;
}


export async function recordLastSync(platform: Platform, connectionId: string, lastSync: LastSync): Promise<void> {
  for (const op of await lastSyncOps(platform, connectionId, lastSync)) if (op.kind === 'set') await platform.kvs.set(op.key, op.value);
}

/**
 * The write that records a sync ending now, for a transaction: stamped with the clock of the invocation
 * that ends it, it is the latest there is, so it needs no read of the one before.
 */
export function lastSyncNowOp(connectionId: string, lastSync: LastSync): KvsTransactionOp {
  return { kind: 'set', key: lastSyncKey(connectionId), value: { issueKey: lastSync.issueKey, at: lastSync.at } };
}

/** The write (if any: a later one may be there already) that records the connection's last sync, for a transaction. */
export async function lastSyncOps(platform: Platform, connectionId: string, lastSync: LastSync): Promise<KvsTransactionOp[]> {
  const current = await lastSyncOf(platform, connectionId);
  if (current && current.at > lastSync.at) return [];
  return [{ kind: 'set', key: lastSyncKey(connectionId), value: { issueKey: lastSync.issueKey, at: lastSync.at } }];
}
