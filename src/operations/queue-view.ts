import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { QueueDirection, QueueKind } from '../domain/operations';
import { listConnectionRecords, requireConnection } from '../connections/store';
import { readDeliveryState } from '../transport';
import { AttachmentChunk } from '../domain/messages';
import type { OutboxEntry } from '../transport/outbox';
import { syncErrorStore } from '../sync/sync-errors';
import { twinStore } from '../sync/twins';
import { chunkPrefix, chunkRecord } from '../sync/attachment-transfer';
import { inboxPrefix, inboxRecord } from '../sync/incoming';
import { localIssueOf, outboxEntries, remoteIssueOf, setAsideEntries } from './pending-messages';

// The Sync queue page: what waits, per connection. Outgoing: the transport's
// outbox (delivery stops at the first message the partner has not taken,
// so that one carries the attempts and the last error), then the messages the
// partner refused for good, kept with its reason. Incoming: replicas
// taken from the partner but not yet applied, and attachment chunks waiting
// for the replica that names them.


// A type, not an interface: resolver answers are checked against loose object types.
export type QueueItem = {
  id: string;
  connectionId: string;
  connectionName: string;
  direction: QueueDirection;
  kind: QueueKind;
  /** The message type: replica, ack, unexalate, connect, attachment. */
  type: string;
  localIssueId: string | null;
  issueKey: string | null;
  remoteIssueId: string | null;
  remoteKey: string | null;
  /** For attachments: the attachment id on the side that sent it, and chunks here of the whole. */
  attachmentId?: string;
  chunks?: { received: number; total: number };
  /** For an outgoing replica: how many small files ride inside it (instead of attachment messages). */
  files?: number;
  seq: number | null;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  status: string;
  /** When it was queued (sent, for incoming items). */
  at: number | null;
};

export interface QueueQuery {
  connectionId?: string;
  direction?: QueueDirection;
  kind?: QueueKind;
  limit?: number;
}

export async function listQueue(platform: Platform, query: QueueQuery): Promise<QueueItem[]> {
  const limit = query.limit ?? 200;
  const connections = query.connectionId ? [await requireConnection(platform, query.connectionId)] : await listConnectionRecords(platform);
  const items: QueueItem[] = [];
  for (const connection of connections) {
    if (items.length >= limit) break;
    const room = limit - items.length;
    if (query.direction !== 'incoming') items.push(...(await outgoingItems(platform, connection, query.kind, room)));
    if (query.direction !== 'outgoing' && items.length < limit) items.push(...(await incomingItems(platform, connection, query.kind, limit - items.length)));
  }
  return items.slice(0, limit);
}

const kindOf = (type: string): QueueKind => (type === 'attachment' ? 'attachment' : 'issue');

async function outgoingItems(platform: Platform, connection: ConnectionRecord, kind: QueueQuery['kind'], limit: number): Promise<QueueItem[]> {
  const waiting = await waitingItems(platform, connection, kind, limit);
  return [...waiting, ...(await refusedItems(platform, connection, kind, limit - waiting.length))];
}

/** What the partner refused for good: never sent again, shown with the partner's reason. */
async function refusedItems(platform: Platform, connection: ConnectionRecord, kind: QueueQuery['kind'], limit: number): Promise<QueueItem[]> {
  if (limit <= 0) return [];
  const items: QueueItem[] = [];
  for (const entry of await setAsideEntries(platform, connection.id, limit)) {
    if (kind && kindOf(entry.envelope.type) !== kind) continue;
    items.push({
      ...(await outgoingIdentity(platform, connection, entry)),
      id: `refused:${connection.id}:${entry.envelope.seq}`,
      attempts: 0,
      nextAttemptAt: null,
      lastError: entry.reason,
      status: 'refused by the partner; not sent again',
      at: entry.setAsideAt,
    });
  }
  return items;
}

async function waitingItems(platform: Platform, connection: ConnectionRecord, kind: QueueQuery['kind'], limit: number): Promise<QueueItem[]> {
  const { entries } = await outboxEntries(platform, connection.id, limit);
  if (entries.length === 0) return [];
  const delivery = await readDeliveryState(platform, connection.id);
  const waiting =
    connection.state === 'deactivated'
      ? 'held: the connection is deactivated'
      : connection.delivery === 'held'
        ? 'waiting for the partner to collect it'
        : null;
  const items: QueueItem[] = [];
  for (const [index, entry] of entries.entries()) {
    const { envelope } = entry;
    if (kind && kindOf(envelope.type) !== kind) continue;
    const head = index === 0;
    const chunk = envelope.type === 'attachment' ? AttachmentChunk.safeParse(envelope.body) : undefined;
    const files = envelope.type === 'replica' ? (envelope.body as { files?: unknown[] } | null)?.files?.length : undefined;
    items.push({
      ...(await outgoingIdentity(platform, connection, entry)),
      id: `out:${connection.id}:${envelope.seq}`,
      ...(chunk?.success ? { attachmentId: chunk.data.attachmentId, chunks: { received: chunk.data.index + 1, total: chunk.data.total } } : {}),
      ...(files ? { files } : {}),
      attempts: head ? delivery.failures : 0,
      nextAttemptAt: delivery.nextAttemptAt,
      lastError: head ? delivery.lastError : null,
      status: waiting ?? (head && delivery.failures > 0 ? 'retrying' : 'queued'),
      at: entry.enqueuedAt,
    });
  }
  return items;
}

/** Which issue an outgoing message is about, on both sides, as far as this side knows. */
async function outgoingIdentity(platform: Platform, connection: ConnectionRecord, entry: OutboxEntry) {
  const { envelope } = entry;
  const localIssueId = localIssueOf(entry);
  const twin = localIssueId ? await twinStore(platform.kvs).get(connection.id, localIssueId) : undefined;
  const body = envelope.body as Record<string, unknown>;
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    direction: 'outgoing' as const,
    kind: kindOf(envelope.type),
    type: envelope.type,
    localIssueId,
    issueKey: twin?.localKey ?? (typeof body?.issueKey === 'string' ? body.issueKey : null),
    remoteIssueId: remoteIssueOf(entry) ?? twin?.remoteIssueId ?? null,
    remoteKey: twin?.remoteKey ?? (typeof body?.remoteIssueKey === 'string' ? body.remoteIssueKey : null),
    seq: envelope.seq,
  };
}

async function incomingItems(platform: Platform, connection: ConnectionRecord, kind: QueueQuery['kind'], limit: number): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  if (kind !== 'attachment') {
    const twins = twinStore(platform.kvs);
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    let cursor: string | undefined;
    do {
      const page = await platform.kvs.query(inboxPrefix(connection.id), { limit: 50, cursor });
      for (const { key, value: message } of inboxRecord.entries(page, platform.log)) {
        const remoteIssueId = key.slice(inboxPrefix(connection.id).length);
        const twin = await twins.findByRemote(connection.id, remoteIssueId);
        const blocking = await errors.openFor(connection.id, 'incoming', twin ? { localIssueId: twin.localIssueId } : { remoteIssueId });
        items.push({
          id: `in:${connection.id}:${remoteIssueId}`,
          connectionId: connection.id,
          connectionName: connection.name,
          direction: 'incoming',
          kind: 'issue',
          type: 'replica',
          localIssueId: twin?.localIssueId ?? null,
          issueKey: twin?.localKey ?? null,
          remoteIssueId,
          remoteKey: message.issueKey,
          seq: message.seq,
          attempts: blocking?.attempts ?? 0,
          nextAttemptAt: null,
          lastError: blocking?.message ?? null,
          status: blocking ? 'paused by an error' : twin ? 'waiting to be applied' : 'waiting to be created',
          at: message.sentAt ?? null,
        });
        if (items.length >= limit) return items;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  if (kind !== 'issue') {
    const byAttachment = new Map<string, { received: number; total: number }>();
    let cursor: string | undefined;
    do {
      // Chunks are up to 200 KB each: small pages.
      const page = await platform.kvs.query(chunkPrefix(connection.id), { limit: 10, cursor });
      for (const { value: chunk } of chunkRecord.entries(page, platform.log)) {
        const seen = byAttachment.get(chunk.attachmentId) ?? { received: 0, total: chunk.total };
        byAttachment.set(chunk.attachmentId, { received: seen.received + 1, total: chunk.total });
      }
      cursor = page.nextCursor;
    } while (cursor && byAttachment.size < limit);
    for (const [attachmentId, chunks] of byAttachment) {
      if (items.length >= limit) break;
      items.push({
        id: `attin:${connection.id}:${attachmentId}`,
        connectionId: connection.id,
        connectionName: connection.name,
        direction: 'incoming',
        kind: 'attachment',
        type: 'attachment',
        localIssueId: null,
        issueKey: null,
        remoteIssueId: null,
        remoteKey: null,
        attachmentId,
        chunks,
        seq: null,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        status: chunks.received < chunks.total ? 'arriving' : 'waiting for its issue to be applied',
        at: null,
      });
    }
  }
  return items;
}
