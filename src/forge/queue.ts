import { InvocationLimitReachedError, Queue, RateLimitError } from '@forge/events';
import { z } from 'zod';
import { recordKind } from '../domain/stored-record';
import { DEFERRED_PREFIX, keptSince } from './kept-pushes';

export { DEFERRED_PREFIX };
import { KVS_LIMITS, type Clock, type Kvs, type Log, type QueueEvent, type Queue as QueuePort, type Random } from '../ports';

// The app's work queue over @forge/events, living within Forge's async-event
// limits (https://developer.atlassian.com/platform/forge/limits-async-events/):
// every push is split into batches of at most 50 events and 200 KB, and a batch
// Forge refuses for rate (RateLimitError: 500 events a minute per installation)
// or for the invocation chain's length (InvocationLimitReachedError) is kept in
// storage instead of lost. Kept batches are pushed again (`flushDeferred`),
// oldest first, each when its delay is due: a new chain, in a later minute. A
// batch is deleted only after its push was taken, so nothing is lost; the
// consumer's work is idempotent, so a batch pushed again after a crash between
// push and delete does nothing twice.
//
// What is kept is mostly single events (a "later" queues one piece of work at a
// time), so a flush packs kept batches into full pushes and goes on until a
// share of the minute's 500 events is spent: at one kept batch per push, a storm
// that kept 500 would take the five-minute schedule two hours to clear. The
// scheduled maintenance flushes; so does the next queue worker a minute after
// this container kept something (`flushKeptIfDue`), so a busy installation does
// not wait up to five minutes for it.

/** Forge's limits on one push (the combined payload read as decimal KB, the smaller reading). */
export const PUSH_MAX_EVENTS = 50;
export const PUSH_MAX_BYTES = 200_000;
/** Each event, for a consumer whose timeout is over 55 s (ours declares 900 s). */
export const EVENT_MAX_BYTES = 100_000;

const DeferredBatch = z.object({
  events: z.array(z.object({ body: z.record(z.string(), z.unknown()), notBefore: z.number() })).min(1),
  reason: z.string(),
  deferredAt: z.number(),
});
type DeferredBatch = z.infer<typeof DeferredBatch>;

const deferredRecord = recordKind({ name: 'deferred queue push', version: 1, schema: DeferredBatch, key: (id: string) => `${DEFERRED_PREFIX}${id}` });

/** Split `events` into pushes Forge accepts: ≤ 50 events and ≤ 200 KB each, in order. */
export function pushBatches(events: QueueEvent[]): QueueEvent[][] {
  const out: QueueEvent[][] = [];
  let current: QueueEvent[] = [];
  // The SDK measures the JSON array of the events: brackets, and a comma between events.
  let bytes = 2;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (size > EVENT_MAX_BYTES) throw new Error(`A queue event of ${size} bytes is over the ${EVENT_MAX_BYTES} bytes Forge takes for our consumer`);
    if (current.length > 0 && (current.length === PUSH_MAX_EVENTS || bytes + 1 + size > PUSH_MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 2;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(event);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Whether Forge refused a push for a reason that passes with time (not for its shape). */
export function isRefusedForNow(e: unknown): e is Error {
  return e instanceof RateLimitError || e instanceof InvocationLimitReachedError;
}

/** Events one flush pushes at most: half of Forge's 500 a minute, the other half left to the minute's own work. */
export const FLUSH_MAX_EVENTS = 250;
/** A container that kept a push flushes from a queue worker once this long has passed (Forge's limit is per minute). */
export const FLUSH_AFTER_MS = 60_000;

export interface WorkQueueDeps {
  /** Which installation this queue serves (for `flushKeptIfDue`). */
  installation?: string;
  kvs: Kvs;
  clock: Clock;
  random: Random;
  log: Pick<Log, 'warn'>;
  /** The SDK's push; a test may stand in for it. */
  push?: (events: QueueEvent[]) => Promise<{ jobId: string }>;
}

export function workQueue(queueKey: string, deps: WorkQueueDeps): QueuePort & { flushDeferred(): Promise<number>; flushKeptIfDue(): Promise<number> } {
  const keptAs = `${deps.installation ?? ''}:${queueKey}`;
  const sdkPush = deps.push ?? ((events: QueueEvent[]) => new Queue({ key: queueKey }).push(events.map((e) => ({ body: e.body, delayInSeconds: e.delayInSeconds }))));

  async function defer(batches: QueueEvent[][], reason: string): Promise<string> {
    const now = deps.clock.now();
    let first = '';
    for (const [i, batch] of batches.entries()) {
      // Sortable by time, so the oldest kept work goes first.
      const id = `${String(now).padStart(15, '0')}-${i}-${deps.random.uuid().slice(0, 8)}`;
      first ||= id;
      const record: DeferredBatch = { events: batch.map((e) => ({ body: e.body, notBefore: now + (e.delayInSeconds ?? 0) * 1000 })), reason, deferredAt: now };
      await deps.kvs.set(deferredRecord.key(id), DeferredBatch.parse(record));
    }
    if (!keptSince.has(keptAs)) keptSince.set(keptAs, now);
    deps.log.warn('queue push refused by Forge; kept in storage to be pushed again a minute on', { reason, batches: batches.length });
    return `deferred:${first}`;
  }

  return {
    async push(events) {
      const batches = pushBatches(events);
      let jobId = '';
      for (const [i, batch] of batches.entries()) {
        try {
          jobId = (await sdkPush(batch)).jobId;
        } catch (e) {
          if (!isRefusedForNow(e)) throw e;
          return { jobId: await defer(batches.slice(i), e.constructor.name) };
        }
      }
      return { jobId };
    },

    /** Push kept batches again, oldest first and packed into full pushes, until Forge refuses or the share is spent; how many events went. */
    async flushDeferred() {
      return flush();
    },

    /** Flushes when this container kept a push at least a minute ago (nothing to read otherwise). */
    async flushKeptIfDue() {
      const since = keptSince.get(keptAs);
      if (since === undefined || deps.clock.now() - since < FLUSH_AFTER_MS) return 0;
      // Taken before the flush: another invocation of this container does not flush alongside.
      keptSince.set(keptAs, deps.clock.now());
      return flush();
    },
  };

  /** Pushes one pack of kept batches; false when Forge refused it (they stay kept). */
  async function pushPack(pack: Pack): Promise<boolean> {
    try {
      await sdkPush(pack.events);
    } catch (e) {
      if (isRefusedForNow(e)) return false;
      throw e;
    }
    // Each kept batch leaves storage only once its events were taken.
    for (let i = 0; i < pack.keys.length; i += KVS_LIMITS.maxTransactionOps) {
      await deps.kvs.transact(pack.keys.slice(i, i + KVS_LIMITS.maxTransactionOps).map((key) => ({ kind: 'delete' as const, key })));
    }
    return true;
  }

  async function flush(): Promise<number> {
    let pushed = 0;
    let pack: Pack = { keys: [], events: [] };
    let cursor: string | undefined;
    let drained = false;
    pages: for (;;) {
      const page = await deps.kvs.query(DEFERRED_PREFIX, { limit: KVS_LIMITS.maxQueryLimit, ...(cursor ? { cursor } : {}) });
      for (const { key, value } of deferredRecord.entries(page, deps.log)) {
        const now = deps.clock.now();
        const events = value.events.map((e) => ({ body: e.body, delayInSeconds: Math.min(900, Math.max(0, Math.ceil((e.notBefore - now) / 1000))) }));
        if (pushed + pack.events.length + events.length > FLUSH_MAX_EVENTS) break pages;
        // A kept batch fit one push when it was kept; packed with others, the pack must still fit one.
        if (pack.events.length > 0 && pushBatches([...pack.events, ...events]).length > 1) {
          if (!(await pushPack(pack))) return pushed;
          pushed += pack.events.length;
          pack = { keys: [], events: [] };
        }
        pack.keys.push(key);
        pack.events.push(...events);
      }
      cursor = page.nextCursor;
      if (!cursor) {
        drained = true;
        break;
      }
    }
    if (pack.events.length > 0) {
      if (!(await pushPack(pack))) return pushed;
      pushed += pack.events.length;
    }
    if (drained) keptSince.delete(keptAs);
    return pushed;
  }
}

/** Kept batches packed into one push, with the keys they are kept under. */
interface Pack {
  keys: string[];
  events: QueueEvent[];
}
