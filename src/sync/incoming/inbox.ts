import { z } from 'zod';
import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import { ReplicaMessage } from '../../domain/messages';
import { recordKind } from '../../domain/stored-record';

// The inbox: a replica that is not applied as it arrives (./receive-replica.ts)
// is stored as the newest for its partner issue and its work queued; rapid
// edits coalesce, and an older sequence number never replaces a newer one.

/** Per partner issue, the newest replica taken and not yet applied. */
export const inboxPrefix = (connectionId: string) => `inbox:${connectionId}:`;
export const inboxKey = (connectionId: string, remoteIssueId: string) => `${inboxPrefix(connectionId)}${remoteIssueId}`;
/** The replica message as it came, with when the partner sent it (older entries have no `sentAt`). */
export const InboxEntry = ReplicaMessage.extend({ sentAt: z.number().optional() });
export type InboxEntry = z.infer<typeof InboxEntry>;
export const inboxRecord = recordKind({ name: 'inbox replica', version: 1, schema: InboxEntry, key: inboxKey });
/** The lease of a partner issue's inbox, before a twin exists to take the twin's lease. */
export const inboxLockName = (connectionId: string, remoteIssueId: string) => `in:${connectionId}:${remoteIssueId}`;

/** Keep the newest replica of its partner issue in the inbox and queue the work that applies it. */
export async function queueReplica(platform: Platform, connection: ConnectionRecord, message: InboxEntry): Promise<void> {
  await keepInInbox(platform, connection, message);
  await platform.queue.push([{ body: { kind: 'sync.incoming', connectionId: connection.id, remoteIssueId: message.issueId } }]);
}

/** Keep the replica as the newest of its partner issue, unless a newer one waits already (rapid edits coalesce). */
export async function keepInInbox(platform: Platform, connection: ConnectionRecord, message: InboxEntry): Promise<void> {
  const waiting = await inboxRecord.find(platform, connection.id, message.issueId);
  if (waiting && waiting.seq >= message.seq) return;
  // A Connect's initial sync replaced by a newer replica before it was applied: the newer one carries it on.
  const kept: InboxEntry = waiting?.initialSync && !message.initialSync ? { ...message, initialSync: true } : message;
  await platform.kvs.set(inboxKey(connection.id, message.issueId), kept);
}

/** The replica with `appliedSeq` is applied: it leaves the inbox, unless a newer one arrived meanwhile (its own work applies it). */
export async function clearInbox(platform: Platform, connectionId: string, remoteIssueId: string, appliedSeq: number): Promise<void> {
  const waiting = await inboxRecord.find(platform, connectionId, remoteIssueId);
  if (waiting && waiting.seq <= appliedSeq) await platform.kvs.delete(inboxKey(connectionId, remoteIssueId));
}
