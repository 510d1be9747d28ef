import { z } from 'zod';
import type { Platform } from '../ports';
import { getConnection } from '../connections/store';
import { endTwin } from '../sync/twin-end';
import { twinStore } from '../sync/twins';
import { connectionsByVisualScope } from '../sync/visual-scope';
import { connectionsByTrigger } from '../triggers/routing';
import { queueAgainLater } from '../sync/later';
import { sendNowOrQueue } from '../sync/outgoing-now';

// Product events (issue, comment, attachment and link changes, with Forge's
// ignoreSelf) become outgoing sync work: for the connections the issue is a
// twin on, and for those whose trigger or Automatic Visual scope now takes it.

const EventIssue = z.looseObject({
  issue: z
    .looseObject({
      id: z.string(),
      key: z.string().optional(),
      // Only a hint for trigger routing: a payload without it must still route.
      fields: z.looseObject({ project: z.looseObject({ key: z.string() }).nullish() }).optional().catch(undefined),
    })
    .optional(),
});

/**
 * A product event: every connection this issue is a twin on gets an
 * outgoing sync, run here when it can be, else queued; then, for a created or
 * changed issue, the active triggers of the other connections are checked
 * (see src/triggers/routing.ts for what that costs) and each connection
 * whose trigger matches gets an outgoing sync that makes the twin.
 */
export async function routeProductEvent(platform: Platform, event: { eventType: string; [key: string]: unknown }): Promise<{ queued: number }> {
  const parsed = EventIssue.safeParse(event);
  const issue = parsed.success ? parsed.data.issue : undefined;
  const issueId = issue?.id;
  if (!issueId) return { queued: 0 };
  const store = twinStore(platform.kvs);
  if (event.eventType === 'avi:jira:deleted:issue') {
    // The issue is gone here: each twin ends and its partner is told; the partner's issue stays. A
    // connection being deleted or ended by the partner has no one to tell, and its purge takes the twin.
    for (const twin of await store.listForIssue(issueId)) if (await getConnection(platform, twin.connectionId)) await endTwin(platform, twin, 'deleted');
    return { queued: 0 };
  }
  // Sent from this invocation where it can, else noted and queued (src/sync/outgoing-now.ts). The
  // connections come from the twin index alone; one whose twin turns out to be gone is left to the triggers.
  const { twinned } = await sendNowOrQueue(platform, await store.connectionsOfIssue(issueId), issueId);
  const twins = twinned.map((connectionId) => ({ connectionId }));
  // After the twins' work is done or queued: if Jira fails below, the event is retried and those syncs find nothing new.
  const projectKey = issue.fields?.project?.key;
  const triggered = await connectionsByTrigger(platform, event.eventType, { id: issueId, ...(projectKey ? { projectKey } : {}) }, new Set(twins.map((t) => t.connectionId)));
  // Visual connections whose sync method from this side is Automatic act as a trigger on their scope.
  const byScope = await connectionsByVisualScope(platform, event.eventType, { id: issueId, ...(projectKey ? { projectKey } : {}) }, new Set([...twins.map((t) => t.connectionId), ...triggered]));
  const byTrigger = [...triggered, ...byScope].map((connectionId) => ({ body: { kind: 'sync.outgoing', connectionId, localIssueId: issueId, cause: 'trigger' } }));
  if (byTrigger.length) await platform.queue.push(byTrigger);
  return { queued: twins.length + byTrigger.length };
}

/** A product event as queue work: only what routing reads of it. */
export const ProductEventWork = z.object({
  kind: z.literal('ops.event'),
  eventType: z.string(),
  issue: z.object({ id: z.string(), key: z.string().optional(), fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional() }),
  laterAttempts: z.number().optional(),
});

/**
 * A product event's routing met a "later" (a storage rate limit, Jira busy):
 * route it from the queue instead, where it can wait as long as it must. A
 * trigger is retried by Forge at most four times; the queue's "later" has no
 * such end, so the edit is never lost. Routing twice is harmless: it queues
 * outgoing syncs, which send nothing when nothing changed.
 */
export async function routeEventLater(platform: Platform, event: { eventType: string; [key: string]: unknown }, e: { retryAfterMs?: number }): Promise<void> {
  const issue = EventIssue.safeParse(event).data?.issue;
  if (!issue?.id) return;
  const projectKey = issue.fields?.project?.key;
  const work = {
    kind: 'ops.event',
    eventType: event.eventType,
    issue: { id: issue.id, ...(issue.key ? { key: issue.key } : {}), ...(projectKey ? { fields: { project: { key: projectKey } } } : {}) },
  };
  await queueAgainLater(platform, work, e);
}
