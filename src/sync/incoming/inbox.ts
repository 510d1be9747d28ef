import { z } from 'zod';
import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import { ReplicaMessage, type MessageOf } from '../../domain/messages';
import { recordKind } from '../../domain/stored-record';

// Receiving a replica only stores it as the newest for its partner issue (the
// inbox) and queues the work, so the partner's request is answered at once;
// rapid edits coalesce, and an older sequence number never replaces a newer one.

/** Per partner issue, the newest replica taken and not yet applied. */
export const inboxPrefix = (connectionId: string) => `inbox:${connectionId}:`;
export const inboxKey = (connectionId: string, remoteIssueId: string) => `${inboxPrefix(connectionId)}${remoteIssueId}`;
/** The replica message as it came, with when the partner sent it (older entries have no `sentAt`). */
export const InboxEntry = ReplicaMessage.extend({ sentAt: z.number().optional() });
export type InboxEntry = z.infer<typeof InboxEntry>;
export const inboxRecord = recordKind({ name: 'inbox replica', version: 1, schema: InboxEntry, key: inboxKey });
/** The lease of a partner issue's inbox, before a twin exists to take the twin's lease. */
export const inboxLockName = (connectionId: string, remoteIssueId: string) => `in:${connectionId}:${remoteIssueId}`;

/** Inbound `replica` handler: keep the newest, queue the work. */
export async function receiveReplica(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'replica'>): Promise<unknown> {
  const message = envelope.body;
  const waiting = await inboxRecord.find(platform, connection.id, message.issueId);
  // Rapid edits coalesce: only the newest replica per partner issue waits to be applied.
  if (!waiting || waiting.seq < message.seq) await platform.kvs.set(inboxKey(connection.id, message.issueId), { ...message, sentAt: envelope.sentAt } satisfies InboxEntry);
  await platform.queue.push([{ body: { kind: 'sync.incoming', connectionId: connection.id, remoteIssueId: message.issueId } }]);
  return { queued: true };
}

/** The replica with `appliedSeq` is applied: it leaves the inbox, unless a newer one arrived meanwhile (its own work applies it). */
export async function clearInbox(platform: Platform, connectionId: string, remoteIssueId: string, appliedSeq: number): Promise<void> {
  const waiting = await inboxRecord.find(platform, connectionId, remoteIssueId);
  if (waiting && waiting.seq <= appliedSeq) await platform.kvs.delete(inboxKey(connectionId, remoteIssueId));
}
