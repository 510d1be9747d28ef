import type { Platform } from '../ports';
import { isTransient } from '../domain/errors';
import { queueAgainLater } from './later';
import { OutgoingWork, syncOutgoing } from './outgoing';
import { twinStore } from './twins';

// A person's edit to an issue under sync goes out from the invocation that
// saw its product event: the outgoing step runs there (and the replica is
// delivered at the invocation's end, ../transport/inline-delivery.ts) instead
// of a queue event starting a worker. The queue stays the way when the issue
// is a twin on many connections, when little time is left, when another
// worker holds the twin, and when Jira or storage asks to wait.

/** More twins than this and the event's work goes through the queue, a worker each. */
export const SEND_NOW_MAX_TWINS = 3;
/** A trigger has 25 s; an outgoing step reads the issue and runs the script, so leave it room. */
export const SEND_NOW_MIN_MS = 15_000;

/**
 * Sync `localIssueId` out on each connection now where it can, else note the edit and queue the work.
 * `twinned`: the connections it is (or, for queued work, may be) a twin on; not those where the step found no twin.
 */
export async function sendNowOrQueue(platform: Platform, connectionIds: string[], localIssueId: string): Promise<{ twinned: string[] }> {
  const queued: string[] = [];
  const gone = new Set<string>();
  for (const connectionId of connectionIds) {
    const work: OutgoingWork = { kind: 'sync.outgoing', connectionId, localIssueId, cause: 'event' };
    if (connectionIds.length > SEND_NOW_MAX_TWINS || !hasTime(platform)) {
      queued.push(connectionId);
      continue;
    }
    try {
      const result = await syncOutgoing(platform, { ...work, inline: true });
      // Another worker holds the twin: the edit is noted below, so that worker (or the queued work) sends it.
      if (result.outcome === 'busy') queued.push(connectionId);
      if (result.outcome === 'not-synced') gone.add(connectionId);
    } catch (e) {
      // A "later": the edit is noted and its work waits as long as it must.
      if (!isTransient(e)) throw e;
      await twinStore(platform.kvs).markEdited(connectionId, localIssueId, platform.clock.now());
      await queueAgainLater(platform, work, e);
    }
  }
  await queueOutgoing(platform, queued, localIssueId);
  return { twinned: connectionIds.filter((id) => !gone.has(id)) };
}

/**
 * The edit is noted before its work is queued: incoming work for the twin then knows an edit here has not
 * left yet (./incoming/concurrency.ts) and sends it first.
 */
export async function queueOutgoing(platform: Platform, connectionIds: string[], localIssueId: string): Promise<void> {
  const store = twinStore(platform.kvs);
  const now = platform.clock.now();
  for (const connectionId of connectionIds) await store.markEdited(connectionId, localIssueId, now);
  const events = connectionIds.map((connectionId) => ({ body: { kind: 'sync.outgoing', connectionId, localIssueId, cause: 'event' } }));
  for (let i = 0; i < events.length; i += 50) await platform.queue.push(events.slice(i, i + 50));
}

function hasTime(platform: Platform): boolean {
  const remaining = platform.invocation?.remainingMs();
  return remaining === undefined || remaining >= SEND_NOW_MIN_MS;
}
