import { z } from 'zod';
import type { KvsTransactionOp, MeteredUsage, Platform } from '../ports';
import type { StatisticsPeriod } from '../domain/operations';
import { isTransient } from '../domain/errors';
import { queueAgainLater } from './later';
import { withTwinLock } from './twin-lock';
import type { NewSyncError, SyncError, SyncErrorStore } from './sync-errors';
import { recordKind, type Storage } from '../domain/stored-record';

// Per connection, counters per hour: syncs out and in, twins created,
// errors, and a latency histogram (time from the sender's `sentAt` to the
// change applied here). Each sync event is one small write of its own (no
// read, so concurrent workers never lose a count); about one writer in
// sixteen then folds the waiting ones into the day's record under a short
// lock, one transaction per batch so nothing is counted twice. A day record
// holds its 24 hours, so a week is 7 reads plus the few unfolded events,
// never a scan of twins or history. Each event also carries the storage
// units and Jira calls its invocation used up to it (the platform's meter,
// counted in memory), so a connection's share of the installation's budgets
// comes from the same records at no extra storage call.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const Counters = z.object({
  out: z.number().int().nonnegative(),
  in: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Latency histogram: bin → count (see `latencyBin`). */
  latency: z.record(z.string(), z.number().int().nonnegative()),
  /** Storage units and Jira calls spent on these syncs (absent in records written before they were counted). */
  readUnits: z.number().int().nonnegative().default(0),
  writeUnits: z.number().int().nonnegative().default(0),
  jiraCalls: z.number().int().nonnegative().default(0),
});
type Counters = z.infer<typeof Counters>;

const DayRecord = z.object({ hours: z.record(z.string(), Counters) });
type DayRecord = z.infer<typeof DayRecord>;

const Delta = z.object({ hour: z.string(), counters: Counters });

export interface StatEvent {
  out?: number;
  in?: number;
  created?: number;
  errors?: number;
  /** When the sender sent what was applied now; the difference is the latency. */
  sentAt?: number;
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const hourOf = (at: number) => new Date(at).toISOString().slice(11, 13);
export const dayPrefix = (connectionId: string) => `stats:${connectionId}:`;
const dayKey = (connectionId: string, day: string) => `${dayPrefix(connectionId)}${day}`;
export const deltaPrefix = (connectionId: string) => `statd:${connectionId}:`;
/** The lease of one day's fold; its key shares the day record's shape under `lock:`. */
export const foldLockName = (connectionId: string, day: string) => dayKey(connectionId, day);
const deltaKey = (connectionId: string, day: string, hour: string, id: string) => `${deltaPrefix(connectionId)}${day}:${hour}:${id}`;
const dayRecord = recordKind({ name: 'statistics day', version: 1, schema: DayRecord, key: dayKey });
/** One sync event, not yet folded into its day. */
const deltaRecord = recordKind({ name: 'statistics event', version: 1, schema: Delta, key: deltaKey });
const empty = (): Counters => ({ out: 0, in: 0, created: 0, errors: 0, latency: {}, readUnits: 0, writeUnits: 0, jiraCalls: 0 });

/**
 * Latency bins grow by a quarter power of two (about 19 % wide), so a
 * histogram of a few dozen counters gives median and p95 within that error
 * for anything from 1 ms to days. Bin 0 holds "under a millisecond".
 */
export function latencyBin(ms: number): number {
  return ms < 1 ? 0 : 1 + Math.floor(4 * Math.log2(ms));
}

/** The middle of a bin, in milliseconds. */
export function binValue(bin: number): number {
  return bin === 0 ? 0 : Math.round(2 ** ((bin - 1 + 0.5) / 4));
}

function add(into: Counters, from: Counters): Counters {
  const latency = { ...into.latency };
  for (const [bin, n] of Object.entries(from.latency)) latency[bin] = (latency[bin] ?? 0) + n;
  return {
    out: into.out + from.out,
    in: into.in + from.in,
    created: into.created + from.created,
    errors: into.errors + from.errors,
    latency,
    readUnits: into.readUnits + from.readUnits,
    writeUnits: into.writeUnits + from.writeUnits,
    jiraCalls: into.jiraCalls + from.jiraCalls,
  };
}

function countersOf(event: StatEvent, at: number, used?: MeteredUsage): Counters {
  const counters: Counters = { ...empty(), out: event.out ?? 0, in: event.in ?? 0, created: event.created ?? 0, errors: event.errors ?? 0, ...used };
  if (event.sentAt !== undefined) counters.latency = { [latencyBin(Math.max(0, at - event.sentAt))]: 1 };
  return counters;
}


/**
 * Counts one sync event. Never fails the sync it describes: when storage says
 * "later" (a rate limit) the event is queued and written then, under the same
 * key, so a repeated delivery counts it once; any other failure is only logged.
 */
export async function recordStat(platform: Platform, connectionId: string, event: StatEvent, at = platform.clock.now()): Promise<void> {
  const op = statOp(platform, connectionId, event, at);
  const work: StatWork = { kind: 'sync.stat', connectionId, key: op.key, delta: op.value };
  try {
    await platform.kvs.set(work.key, work.delta);
  } catch (e) {
    try {
      if (isTransient(e)) return await queueAgainLater(platform, work, e);
    } catch (queueError) {
      e = queueError;
    }
    platform.log.warn('a sync statistic could not be recorded', { connectionId, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  await foldSometimes(platform, connectionId, at);
}

/**
 * The write that counts one sync event, for a transaction with the change it
 * describes (so a retry after a refused transaction counts it once); call
 * `foldSometimes` after the transaction.
 */
export function statOp(platform: Platform, connectionId: string, event: StatEvent, at = platform.clock.now()): { kind: 'set'; key: string; value: z.infer<typeof Delta> } & KvsTransactionOp {
  const hour = hourOf(at);
  // What the invocation used since the last statistic it wrote is this one's cost.
  const used = platform.meter?.take();
  return { kind: 'set', key: deltaKey(connectionId, dayOf(at), hour, platform.random.uuid()), value: { hour, counters: countersOf(event, at, used) } };
}

/** About one writer in sixteen folds the day's waiting events into its record. */
export async function foldSometimes(platform: Platform, connectionId: string, at = platform.clock.now()): Promise<void> {
  try {
    if (platform.random.bytes(1)[0]! < 256 / FOLD_ONE_IN) await foldDay(platform, connectionId, dayOf(at));
  } catch (e) {
    // Unfolded events wait for the next fold; nothing is lost (and a storage "later" is no news).
    const log = isTransient(e) ? platform.log.info : platform.log.warn;
    log.call(platform.log, 'sync statistics could not be folded now', { connectionId, error: e instanceof Error ? e.message : String(e) });
  }
}

/** A statistic storage refused for now (queue work `sync.stat`): written later under its own key. */
export const StatWork = z.object({ kind: z.literal('sync.stat'), connectionId: z.string(), key: z.string(), delta: Delta });
export type StatWork = z.infer<typeof StatWork>;

/** Queue work `sync.stat`; a "later" again goes back to the queue through the sync work handler. */
export async function storeQueuedStat(platform: Platform, work: StatWork): Promise<void> {
  await platform.kvs.set(work.key, work.delta);
}

const FOLD_ONE_IN = 16;
/** One transaction: the day record and the events folded into it (Forge allows 25 operations). */
const FOLD_BATCH = 24;

/** Folds a day's waiting events into its record, a batch per transaction; another writer folding now is left to it. */
async function foldDay(platform: Platform, connectionId: string, day: string): Promise<void> {
  const { kvs } = platform;
  await withTwinLock(platform, foldLockName(connectionId, day), async () => {
    for (let batch = 0; batch < 8; batch++) {
      const deltas = await kvs.query(`${deltaPrefix(connectionId)}${day}:`, { limit: FOLD_BATCH });
      if (deltas.results.length === 0) return;
      const record = await dayRecord.find(platform, connectionId, day);
      const hours: DayRecord['hours'] = record ? { ...record.hours } : {};
      // An unreadable event is logged, and goes with the others: it could never be counted.
      for (const { value: delta } of deltaRecord.entries(deltas, platform.log)) hours[delta.hour] = add(hours[delta.hour] ?? empty(), delta.counters);
      await kvs.transact([
        { kind: 'set', key: dayKey(connectionId, day), value: { hours } },
        ...deltas.results.map((entry) => ({ kind: 'delete' as const, key: entry.key })),
      ]);
      if (!deltas.nextCursor) return;
    }
  });
}

/** The sync error store, counting each failure it records (a first one or another attempt) into the statistics. */
export function countingErrors(platform: Platform, store: SyncErrorStore): SyncErrorStore {
  return {
    ...store,
    async record(error: NewSyncError, now: number): Promise<SyncError> {
      const stored = await store.record(error, now);
      await recordStat(platform, error.connectionId, { errors: 1 }, now);
      return stored;
    },
  };
}


const DAYS: Record<Exclude<StatisticsPeriod, 'day'>, number> = { week: 7, month: 30, quarter: 90 };

// A type, not an interface: resolver answers are checked against loose object types.
export type LatencySummary = {
  count: number;
  medianMs: number | null;
  p95Ms: number | null;
};

// A type, not an interface: resolver answers are checked against loose object types.
export type StatisticsBucket = {
  start: number;
  out: number;
  in: number;
  created: number;
  errors: number;
  latency: LatencySummary;
  readUnits: number;
  writeUnits: number;
  jiraCalls: number;
};

// A type, not an interface: resolver answers are checked against loose object types.
export type ConnectionStatistics = {
  bucket: 'hour' | 'day';
  from: number;
  to: number;
  totals: Omit<StatisticsBucket, 'start'>;
  buckets: StatisticsBucket[];
};

/** The value at rank ⌈p·n⌉ of a latency histogram (bin → count), as its bin's middle; null when it is empty. */
export function percentile(histogram: Record<string, number>, p: number): number | null {
  const bins = Object.entries(histogram)
    .map(([bin, n]) => [Number(bin), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const count = bins.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const [bin, n] of bins) {
    seen += n;
    if (seen >= rank) return binValue(bin);
  }
  return binValue(bins[bins.length - 1]![0]);
}

function summarize(start: number, counters: Counters): StatisticsBucket {
  const count = Object.values(counters.latency).reduce((sum, n) => sum + n, 0);
  return {
    start,
    out: counters.out,
    in: counters.in,
    created: counters.created,
    errors: counters.errors,
    latency: { count, medianMs: percentile(counters.latency, 0.5), p95Ms: percentile(counters.latency, 0.95) },
    readUnits: counters.readUnits,
    writeUnits: counters.writeUnits,
    jiraCalls: counters.jiraCalls,
  };
}

/** Hour counters of the days that cover [from, to), unfolded events included: one read per day plus a query. */
async function hourCounters(storage: Storage, connectionId: string, from: number, to: number): Promise<Map<number, Counters>> {
  const byHour = new Map<number, Counters>();
  const put = (day: string, hour: string, counters: Counters) => {
    const start = Date.parse(`${day}T${hour}:00:00Z`);
    byHour.set(start, add(byHour.get(start) ?? empty(), counters));
  };
  const days: string[] = [];
  for (let at = from - (from % DAY_MS); at < to; at += DAY_MS) days.push(dayOf(at));
  for (let i = 0; i < days.length; i += 10) {
    const batch = days.slice(i, i + 10);
    const records = await Promise.all(batch.map((day) => dayRecord.find(storage, connectionId, day)));
    records.forEach((record, j) => {
      if (record) for (const [hour, counters] of Object.entries(record.hours)) put(batch[j]!, hour, counters);
    });
  }
  let cursor: string | undefined;
  do {
    const page = await storage.kvs.query(deltaPrefix(connectionId), { limit: 100, cursor });
    for (const { key, value: delta } of deltaRecord.entries(page, storage.log)) {
      const day = key.slice(deltaPrefix(connectionId).length, deltaPrefix(connectionId).length + 10);
      put(day, delta.hour, delta.counters);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return byHour;
}

/** One connection's numbers over a period ending now: hour buckets for a day, day buckets otherwise. */
export async function readStatistics(storage: Storage, connectionId: string, period: StatisticsPeriod, now: number): Promise<ConnectionStatistics> {
  const bucketMs = period === 'day' ? HOUR_MS : DAY_MS;
  const count = period === 'day' ? 24 : DAYS[period];
  const lastStart = now - (now % bucketMs);
  const from = lastStart - (count - 1) * bucketMs;
  const to = lastStart + bucketMs;
  const hours = await hourCounters(storage, connectionId, from, to);
  const buckets: Counters[] = Array.from({ length: count }, empty);
  let total = empty();
  for (const [start, counters] of hours) {
    if (start < from || start >= to) continue;
    const index = Math.floor((start - from) / bucketMs);
    buckets[index] = add(buckets[index]!, counters);
    total = add(total, counters);
  }
  const { start: _start, ...totals } = summarize(from, total);
  return {
    bucket: period === 'day' ? 'hour' : 'day',
    from,
    to,
    totals,
    buckets: buckets.map((counters, i) => summarize(from + i * bucketMs, counters)),
  };
}
