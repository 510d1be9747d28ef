import { z } from 'zod';
import type { Platform } from '../ports';
import { getConnection, listConnectionRecords } from '../connections/store';
import { endTwin } from '../sync/twin-end';
import { twinStore } from '../sync/twins';
import { connectionsByVisualScope, mayEnterVisualScope } from '../sync/visual-scope';
import { connectionsByTrigger } from '../triggers/routing';
import { queueAgainLater } from '../sync/later';
import { sendNowOrQueue } from '../sync/outgoing-now';
import { changedIssues, readProductEvent, type ChangedIssue } from './product-event-payloads';

// Product events (issue, comment, attachment and link changes, with Forge's
// ignoreSelf) become outgoing sync work, per issue the event changed: for the
// connections the issue is a twin on, and for those whose trigger or Automatic
// Visual scope now takes it. A link event changes both issues it joins.
//
// Events may come up to three minutes late and out of order. Nothing here
// trusts the payload's copy of the issue: the outgoing sync reads the issue
// fresh from Jira, so a late event sends the issue as it is now, never as it
// was when the event fired, and the per-field times (src/sync/incoming/
// concurrency.ts) keep a value that came from the partner from being sent
// back as a change of this side's.

/** What routing needs of an event: its type and the issues it changed. */
interface Routable {
  eventType: string;
  issues: ChangedIssue[];
}

export type RouteOutcome = { queued: number } | { queued: 0; refused: string };

/**
 * A product event as Forge delivers it. A payload that does not read as the
 * event it names is refused: logged with what does not fit, and dropped, as
 * a retry would bring the same payload again.
 */
export async function routeProductEvent(platform: Platform, payload: unknown): Promise<RouteOutcome> {
  const read = readProductEvent(payload);
  if (!read.ok) {
    const eventType = (payload as { eventType?: unknown } | null)?.eventType;
    platform.log.error(`Product event refused: ${read.reason}. Nothing was synced for it.`, { eventType: typeof eventType === 'string' ? eventType : null });
    return { queued: 0, refused: read.reason };
  }
  const issues = changedIssues(read.event);
  if (issues.length === 0) {
    platform.log.info('Product event names no issue; the issue\'s updated event carries the change', { eventType: read.event.eventType });
  }
  return routeIssues(platform, { eventType: read.event.eventType, issues });
}

async function routeIssues(platform: Platform, event: Routable): Promise<{ queued: number }> {
  let queued = 0;
  for (const issue of event.issues) queued += await routeIssue(platform, event.eventType, issue);
  return { queued };
}

/**
 * One issue an event changed: every connection it is a twin on gets an
 * outgoing sync, run here when it can be, else queued; then, for a created or
 * changed issue, the active triggers of the other connections are checked
 * (see src/triggers/routing.ts for what that costs) and each connection
 * whose trigger matches gets an outgoing sync that makes the twin.
 */
async function routeIssue(platform: Platform, eventType: string, issue: ChangedIssue): Promise<number> {
  const issueId = issue.id;
  const store = twinStore(platform.kvs);
  if (eventType === 'avi:jira:deleted:issue') {
    // The issue is gone here: each twin ends and its partner is told; the partner's issue stays. A
    // connection being deleted or ended by the partner has no one to tell, and its purge takes the twin.
    for (const twin of await store.listForIssue(issueId)) if (await getConnection(platform, twin.connectionId)) await endTwin(platform, twin, 'deleted');
    return 0;
  }
  // A created or changed issue is checked against the Visual scopes below, which list every connection: listed
  // first, the records also answer the twins' sends from this invocation's read cache (a read fewer per edit).
  if (mayEnterVisualScope(eventType)) await listConnectionRecords(platform);
  // Sent from this invocation where it can, else noted and queued (src/sync/outgoing-now.ts). The
  // connections come from the twin index alone; one whose twin turns out to be gone is left to the triggers.
  const { twinned } = await sendNowOrQueue(platform, await store.connectionsOfIssue(issueId), issueId);
  const twins = twinned.map((connectionId) => ({ connectionId }));
  // After the twins' work is done or queued: if Jira fails below, the event is retried and those syncs find nothing new.
  const hint = { id: issueId, ...(issue.projectKey ? { projectKey: issue.projectKey } : {}) };
  const triggered = await connectionsByTrigger(platform, eventType, hint, new Set(twins.map((t) => t.connectionId)));
  // Visual connections whose sync method from this side is Automatic act as a trigger on their scope.
  const byScope = await connectionsByVisualScope(platform, eventType, hint, new Set([...twins.map((t) => t.connectionId), ...triggered]));
  const byTrigger = [...triggered, ...byScope].map((connectionId) => ({ body: { kind: 'sync.outgoing', connectionId, localIssueId: issueId, cause: 'trigger' } }));
  if (byTrigger.length) await platform.queue.push(byTrigger);
  return twins.length + byTrigger.length;
}

const QueuedIssue = z.object({ id: z.string(), key: z.string().optional(), projectKey: z.string().optional() });

/**
 * A product event as queue work: only what routing reads of it. Work queued
 * before link events were routed carries one `issue` in the payload's shape;
 * it reads as that one issue.
 */
export const ProductEventWork = z.union([
  z.object({ kind: z.literal('ops.event'), eventType: z.string(), issues: z.array(QueuedIssue), laterAttempts: z.number().optional() }),
  z
    .object({
      kind: z.literal('ops.event'),
      eventType: z.string(),
      issue: z.object({ id: z.string(), key: z.string().optional(), fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional() }),
      laterAttempts: z.number().optional(),
    })
    .transform(({ issue, ...rest }) => ({
      ...rest,
      issues: [{ id: issue.id, ...(issue.key ? { key: issue.key } : {}), ...(issue.fields?.project ? { projectKey: issue.fields.project.key } : {}) }],
    })),
]);
export type ProductEventWork = z.output<typeof ProductEventWork>;

/** Queued product-event work, routed now. */
export async function routeQueuedEvent(platform: Platform, work: ProductEventWork): Promise<{ queued: number }> {
  return routeIssues(platform, work);
}

/**
 * A product event's routing met a "later" (a storage rate limit, Jira busy):
 * route it from the queue instead, where it can wait as long as it must. A
 * trigger is retried by Forge at most four times; the queue's "later" has no
 * such end, so the edit is never lost. Routing twice is harmless: it queues
 * outgoing syncs, which send nothing when nothing changed.
 */
export async function routeEventLater(platform: Platform, payload: unknown, e: { retryAfterMs?: number }): Promise<void> {
  const read = readProductEvent(payload);
  if (!read.ok) return;
  const issues = changedIssues(read.event);
  if (issues.length === 0) return;
  await queueAgainLater(platform, { kind: 'ops.event', eventType: read.event.eventType, issues }, e);
}
