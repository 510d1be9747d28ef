import { z } from 'zod';
import type { Platform } from '../ports';
import { getConnection } from '../connections/store';
import { endTwin } from '../sync/twin-end';
import { syncOutgoing } from '../sync/outgoing';
import { twinStore, type Twin } from '../sync/twins';
import { twinLockName, withTwinLock } from '../sync/twin-lock';
import { inboxRecord } from '../sync/incoming';
import { localIssueOf, outboxEntries } from './pending-messages';

// Unexalate lets what is already on its way finish first: the last local
// change is sent, the partner applies it and acknowledges, anything the
// partner sent is applied here; only then does the twin end on both sides
// (`endTwin` tells the partner through the same ordered outbox). Ending
// earlier would let a replica still in flight reach a partner that no longer
// has the twin, and it would make a new issue out of it.

export const UnexalateWork = z.object({
  kind: z.literal('ops.unexalate'),
  connectionId: z.string(),
  localIssueId: z.string(),
  reason: z.string(),
  /** When the unexalate was asked for: waiting stops after MAX_WAIT_MS. */
  since: z.number(),
  /** Whether the last local change has been sent yet. */
  flushed: z.boolean(),
});
export type UnexalateWork = z.infer<typeof UnexalateWork>;

/** A partner that stays away does not keep an issue under sync forever. */
const MAX_WAIT_MS = 15 * 60_000;
/** Beyond this many waiting messages the outbox is not read through; the twin counts as busy. */
const OUTBOX_LOOK = 500;

export function unexalateWork(twin: Pick<Twin, 'connectionId' | 'localIssueId'>, reason: string, now: number, flushed: boolean): UnexalateWork {
  return { kind: 'ops.unexalate', connectionId: twin.connectionId, localIssueId: twin.localIssueId, reason, since: now, flushed };
}

/** What the twin still waits for, or null when nothing is in flight. */
export async function inFlight(platform: Platform, twin: Twin): Promise<string | null> {
  if (twin.outSeq > 0 && twin.status === 'pending') return 'the partner has not yet confirmed the last change sent';
  if (twin.remoteIssueId && (await inboxRecord.find(platform, twin.connectionId, twin.remoteIssueId))) {
    return 'a change from the partner waits to be applied here';
  }
  const outbox = await outboxEntries(platform, twin.connectionId, OUTBOX_LOOK);
  if (outbox.entries.some((entry) => localIssueOf(entry) === twin.localIssueId)) return 'a message about this issue waits to be delivered';
  if (outbox.more) return 'the outbox is too long to tell';
  return null;
}

export type UnexalateStep = { outcome: 'ended' | 'not-synced' } | { outcome: 'waiting'; reason: string; delaySeconds: number };

/** One step of an unexalate: send the last change, wait for quiet, end the twin. */
export async function stepUnexalate(platform: Platform, work: UnexalateWork): Promise<UnexalateStep> {
  // A connection deleted meanwhile takes its twins with it (src/removal/purge.ts): nothing is left to end.
  if (!(await getConnection(platform, work.connectionId))) return { outcome: 'not-synced' };
  const twins = twinStore(platform.kvs);
  let twin = await twins.get(work.connectionId, work.localIssueId);
  if (!twin) return { outcome: 'not-synced' };
  if (!work.flushed) {
    // Unchanged since the last replica: nothing is sent.
    await syncOutgoing(platform, { kind: 'sync.outgoing', connectionId: work.connectionId, localIssueId: work.localIssueId, cause: 'manual' });
    twin = await twins.get(work.connectionId, work.localIssueId);
    if (!twin) return { outcome: 'not-synced' };
  }
  const busy = await inFlight(platform, twin);
  const waited = platform.clock.now() - work.since;
  if (busy && waited < MAX_WAIT_MS) {
    return { outcome: 'waiting', reason: busy, delaySeconds: Math.min(30, Math.max(2, Math.round(waited / 4000))) };
  }
  if (busy) platform.log.warn('unexalating with messages still in flight after waiting', { connectionId: twin.connectionId, issue: twin.localKey, reason: busy });
  // Under the outgoing pipeline's lock, so a sync running right now cannot save the twin back after it ended.
  const ended = await withTwinLock(platform, twinLockName(work.connectionId, work.localIssueId), async () => {
    const current = await twins.get(work.connectionId, work.localIssueId);
    if (current) await endTwin(platform, current, work.reason);
    return current ? 'ended' : 'not-synced';
  });
  if (!ended.ran) return { outcome: 'waiting', reason: 'a sync of this issue is running', delaySeconds: 2 };
  return { outcome: ended.value };
}

/** Queue work for `ops.unexalate`. */
export async function runUnexalateWork(platform: Platform, work: UnexalateWork): Promise<void> {
  const step = await stepUnexalate(platform, work);
  if (step.outcome === 'waiting') {
    await platform.queue.push([{ body: { ...work, flushed: true }, delayInSeconds: step.delaySeconds }]);
  }
}
