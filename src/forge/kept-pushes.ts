// When this container first kept a queue push that Forge refused and has not
// seen flushed since, by installation and queue (a container may serve
// several installations). A hint only, so that a queue worker flushes a
// minute on (./queue.ts); the schedule flushes whatever any container kept.
// Apart from ./queue.ts because that module loads @forge/events, which must
// not load before the local runtime has put Forge's globals in place.

/** Where kept pushes are stored, one key per refused batch. */
export const DEFERRED_PREFIX = 'queue-deferred:';

export const keptSince = new Map<string, number>();

/** Forgets what this container kept; the local runtime calls it when it opens a data directory. */
export function forgetKeptPushes(): void {
  keptSince.clear();
}
