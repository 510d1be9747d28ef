import { InvocationLimitReachedError, Queue, RateLimitError } from '@forge/events';
import { z } from 'zod';
import { recordKind } from '../domain/stored-record';
import type { Clock, Kvs, Log, QueueEvent, Queue as QueuePort, Random } from '../ports';

// The app's work queue over @forge/events, living within Forge's async-event
// limits (https://developer.atlassian.com/platform/forge/limits-async-events/):
// every push is split into batches of at most 50 events and 200 KB, and a batch
// Forge refuses for rate (RateLimitError: 500 events a minute per installation)
// or for the invocation chain's length (InvocationLimitReachedError) is kept in
// storage instead of lost. The scheduled maintenance pushes kept batches again
// (`flushDeferred`), oldest first, each when its delay is due: a new chain, in
// a later minute. A batch is deleted only after its push was taken, so nothing
// is lost; the consumer's work is idempotent, so a batch pushed again after a
// crash between push and delete does nothing twice.

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

export const DEFERRED_PREFIX = 'queue-deferred:';
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

export interface WorkQueueDeps {
  kvs: Kvs;
  clock: Clock;
  random: Random;
  log: Pick<Log, 'warn'>;
  /** The SDK's push; a test may stand in for it. */
  push?: (events: QueueEvent[]) => Promise<{ jobId: string }>;
}

export function workQueue(queueKey: string, deps: WorkQueueDeps): QueuePort & { flushDeferred(): Promise<number> } {
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
    deps.log.warn('queue push refused by Forge; kept in storage for the scheduled maintenance to push again', { reason, batches: batches.length });
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

    /** Push kept batches again, oldest first, until Forge refuses again; returns how many went. */
    async flushDeferred() {
      const page = await deps.kvs.query(DEFERRED_PREFIX, { limit: 20 });
      let pushed = 0;
      for (const { key, value } of deferredRecord.entries(page, deps.log)) {
        const now = deps.clock.now();
        const events = value.events.map((e) => ({ body: e.body, delayInSeconds: Math.min(900, Math.max(0, Math.ceil((e.notBefore - now) / 1000))) }));
        try {
          await sdkPush(events);
        } catch (e) {
          if (isRefusedForNow(e)) break;
          throw e;
        }
        await deps.kvs.delete(key);
        pushed++;
      }
      return pushed;
    },
  };
}
