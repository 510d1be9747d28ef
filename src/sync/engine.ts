import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { Envelope } from '../domain/envelope';
import type { InboundHandler } from '../transport';
import { AttachmentChunk, storeChunk } from './attachment-transfer';
import { AckMessage, IncomingWork, endTwin, receiveReplica, syncIncoming } from './incoming';
import { OutgoingWork, syncOutgoing, type SyncCause } from './outgoing';
import { twinStore } from './twins';
import { adjustIssuesUnderSync, getConnection, recordLastSync } from '../connections/store';
import { twinLockName, withTwinLock } from './twin-lock';
import { recordHistory } from './history';
import { isJiraError } from '../jira/errors';
import { createJiraClient } from '../jira/client';
import { connectionsByTrigger } from '../triggers/routing';
import { connectionsByVisualScope } from './visual-scope';
import { receiveConfigure } from './visual-configure';

// The sync engine as the rest of the app sees it: handlers for the message
// types it owns, its queue work, and how product events become work.

const UnexalateMessage = z.object({ issueId: z.string(), yourIssueId: z.string(), reason: z.string().optional() });

async function receiveAttachment(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<unknown> {
  await storeChunk(platform.kvs, connection.id, AttachmentChunk.parse(envelope.body));
  return { stored: true };
}

const AckWork = z.object({ kind: z.literal('sync.ack'), connectionId: z.string(), ack: AckMessage });

/**
 * The partner applied our replica: now we know its issue, key and link. The
 * twin is written under its lease (an outgoing or incoming step may be writing
 * it); when that is held, the ack waits in the queue instead.
 */
async function receiveAck(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<unknown> {
  const ack = AckMessage.parse(envelope.body);
  const applied = await applyAckLocked(platform, connection, ack);
  if (applied === 'busy') await platform.queue.push([{ body: { kind: 'sync.ack', connectionId: connection.id, ack } satisfies z.infer<typeof AckWork> }]);
  return applied === 'busy' ? { queued: true } : applied;
}

async function applyAckLocked(platform: Platform, connection: ConnectionRecord, ack: z.infer<typeof AckMessage>): Promise<'busy' | { ok: true } | { ignored: string }> {
  const locked = await withTwinLock(platform.kvs, twinLockName(connection.id, ack.yourIssueId), () => platform.clock.now(), () => applyAck(platform, connection, ack));
  return locked.ran ? locked.value : 'busy';
}

async function applyAck(platform: Platform, connection: ConnectionRecord, ack: z.infer<typeof AckMessage>): Promise<{ ok: true } | { ignored: string }> {
  const twins = twinStore(platform.kvs);
  const twin = await twins.get(connection.id, ack.yourIssueId);
  if (!twin) return { ignored: 'no twin' };
  const caughtUp = ack.seq >= twin.outSeq;
  await twins.save({
    ...twin,
    remoteIssueId: ack.issueId,
    remoteKey: ack.issueKey,
    remoteUrl: ack.url ?? twin.remoteUrl,
    status: twin.status === 'error' ? 'error' : caughtUp ? 'synchronized' : 'pending',
    lastSyncAt: platform.clock.now(),
  });
  // The first ack makes the twin whole: tell Jira itself, as an issue property, that the issue is synced.
  if (!twin.remoteIssueId) await markIssueSynced(platform, connection, twin.localIssueId, ack.issueKey, ack.url);
  // "Last sync" on the Connections page counts both directions: an outgoing sync ends when the partner acks it.
  await recordLastSync(platform, connection.id, { issueKey: twin.localKey, at: platform.clock.now() });
  return { ok: true };
}

/** `exalate` issue property: the issue's twins, so Jira (JQL, other apps) can see it is synced. */
export async function markIssueSynced(platform: Platform, connection: ConnectionRecord, localIssueId: string, remoteKey: string, remoteUrl: string | null): Promise<void> {
  const jira = createJiraClient(platform.jira);
  const current = ((await jira.properties.get(localIssueId, 'exalate').catch(() => undefined)) ?? {}) as { twins?: { connectionId: string }[] };
  const twins = (current.twins ?? []).filter((t) => t.connectionId !== connection.id);
  twins.push({ connectionId: connection.id, connectionName: connection.name, remoteKey, remoteUrl } as { connectionId: string });
  await jira.properties.set(localIssueId, 'exalate', { twins }).catch((e) => platform.log.warn('could not write the exalate issue property', { error: String(e) }));
}

/** The partner stopped syncing its issue: stop here too, keep the issue. */
async function receiveUnexalate(platform: Platform, connection: ConnectionRecord, envelope: Envelope): Promise<unknown> {
  const message = UnexalateMessage.parse(envelope.body);
  const twins = twinStore(platform.kvs);
  const twin = (await twins.get(connection.id, message.yourIssueId)) ?? (await twins.findByRemote(connection.id, message.issueId));
  if (!twin) return { ignored: 'no twin' };
  await twins.remove(twin);
  await adjustIssuesUnderSync(platform, connection.id, -1);
  await recordHistory(platform.kvs, twin, platform.clock.now(), { direction: 'in', cause: message.reason ?? 'partner', outcome: 'unexalated', changes: [] });
  return { ok: true };
}

export const inboundHandlers: Record<string, InboundHandler> = {
  replica: receiveReplica,
  attachment: receiveAttachment,
  ack: receiveAck,
  unexalate: receiveUnexalate,
  configure: receiveConfigure,
};

export const isSyncWork = (body: Record<string, unknown>) => typeof body.kind === 'string' && body.kind.startsWith('sync.');

export async function handleSyncWork(platform: Platform, body: Record<string, unknown>): Promise<void> {
  try {
    if (body.kind === 'sync.outgoing') {
      const result = await syncOutgoing(platform, OutgoingWork.parse(body));
      // Another worker is on this twin: look again shortly, so the last edit is never lost.
      if (result.outcome === 'busy') await platform.queue.push([{ body, delayInSeconds: 2 }]);
      return;
    }
    if (body.kind === 'sync.incoming') {
      await syncIncoming(platform, IncomingWork.parse(body));
      return;
    }
    if (body.kind === 'sync.ack') {
      const work = AckWork.parse(body);
      const connection = await getConnection(platform, work.connectionId);
      if (connection && (await applyAckLocked(platform, connection, work.ack)) === 'busy') await platform.queue.push([{ body, delayInSeconds: 2 }]);
      return;
    }
  } catch (e) {
    // Jira said "later" (429 with Retry-After, 503): come back then instead of burning the queue's retries.
    if (isJiraError(e) && e.transient) {
      const delay = Math.min(900, Math.max(1, Math.ceil((e.retryAfterMs ?? 5_000) / 1000)));
      await platform.queue.push([{ body, delayInSeconds: delay }]);
      return;
    }
    throw e;
  }
  throw new Error(`Unknown sync work "${String(body.kind)}"`);
}

/** Queue an outgoing sync of one issue on one connection. */
export async function requestOutgoing(platform: Platform, connectionId: string, localIssueId: string, cause: SyncCause): Promise<void> {
  await platform.queue.push([{ body: { kind: 'sync.outgoing', connectionId, localIssueId, cause } }]);
}

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
 * outgoing sync (one storage query, no Jira call); then, for a created or
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
  const twins = await store.listForIssue(issueId);
  if (event.eventType === 'avi:jira:deleted:issue') {
    // The issue is gone here: each twin ends and its partner is told; the partner's issue stays. A
    // connection being deleted or ended by the partner has no one to tell, and its purge takes the twin.
    for (const twin of twins) if (await getConnection(platform, twin.connectionId)) await endTwin(platform, twin, 'deleted');
    return { queued: 0 };
  }
  const now = platform.clock.now();
  // Before the work is queued: incoming work for these twins then knows an edit here has not left yet.
  for (const twin of twins) await store.markEdited(twin.connectionId, issueId, now);
  const events = twins.map((t) => ({ body: { kind: 'sync.outgoing', connectionId: t.connectionId, localIssueId: issueId, cause: 'event' } }));
  for (let i = 0; i < events.length; i += 50) await platform.queue.push(events.slice(i, i + 50));
  // After the twins' work is queued: if Jira fails below, the event is retried and those syncs find nothing new.
  const projectKey = issue.fields?.project?.key;
  const triggered = await connectionsByTrigger(platform, event.eventType, { id: issueId, ...(projectKey ? { projectKey } : {}) }, new Set(twins.map((t) => t.connectionId)));
  // Visual connections whose sync method from this side is Automatic act as a trigger on their scope.
  const byScope = await connectionsByVisualScope(platform, event.eventType, { id: issueId, ...(projectKey ? { projectKey } : {}) }, new Set([...twins.map((t) => t.connectionId), ...triggered]));
  const byTrigger = [...triggered, ...byScope].map((connectionId) => ({ body: { kind: 'sync.outgoing', connectionId, localIssueId: issueId, cause: 'trigger' } }));
  if (byTrigger.length) await platform.queue.push(byTrigger);
  return { queued: events.length + byTrigger.length };
}
