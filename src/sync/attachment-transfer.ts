import { createHash } from 'node:crypto';
import type { Kvs, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AttachmentChunk, type InlineFile, type MessageOf } from '../domain/messages';
import { recordKind } from '../domain/stored-record';

// Attachment bytes travel as `attachment` messages through the same signed,
// durable outbox as replicas, ahead of the replica that names them, in
// chunks small enough for one storage value each. The receiver keeps the
// chunks until the incoming sync adds the file, checking its SHA-256.
//
// Small files go inside the replica instead (`ReplicaMessage.files`), to a
// partner that said it takes them: no message, delivery, replay record or
// chunk of their own. A receiver that cannot apply such a replica as it
// arrives keeps its files as chunks, so the queued way works as before.

/** Raw bytes per chunk: base64 makes it about 200 KB, under the 240 KiB storage value limit. */
export const CHUNK_BYTES = 150 * 1024;

export function toChunks(attachmentId: string, bytes: Uint8Array): AttachmentChunk[] {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const total = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  return Array.from({ length: total }, (_, index) => ({
    attachmentId,
    sha256,
    index,
    total,
    data: Buffer.from(bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES)).toString('base64'),
  }));
}

/**
 * Raw bytes of new files one replica carries inside it, all together: with base64 and the replica itself the
 * message stays under the size that is applied as it arrives (incoming/receive-replica.ts, 64 KiB).
 */
export const INLINE_FILES_MAX_BYTES = 32 * 1024;

export function toInlineFile(attachmentId: string, bytes: Uint8Array): InlineFile {
  return { attachmentId, sha256: createHash('sha256').update(bytes).digest('hex'), data: Buffer.from(bytes).toString('base64') };
}

/** The bytes of `attachmentId` carried in the replica, when they are there and match `sha256`. */
export function inlineBytes(files: readonly InlineFile[] | undefined, attachmentId: string, sha256: string): Uint8Array | undefined {
  const file = files?.find((f) => f.attachmentId === attachmentId && f.sha256 === sha256);
  if (!file) return undefined;
  const bytes = Buffer.from(file.data, 'base64');
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? new Uint8Array(bytes) : undefined;
}

/** Keep a replica's inline files as chunks (one each), for a replica that waits in the inbox; the entry comes back without them. */
export async function keepFilesAsChunks<T extends { files?: InlineFile[] }>(kvs: Kvs, connectionId: string, message: T): Promise<T> {
  if (!message.files?.length) return message;
  for (const file of message.files) await storeChunk(kvs, connectionId, { attachmentId: file.attachmentId, sha256: file.sha256, index: 0, total: 1, data: file.data });
  const { files: _kept, ...rest } = message;
  return rest as T;
}

/** Chunk deletes per transaction (Forge's transactions take at most 25 operations). */
const DISCARD_PAGE = 25;

export const chunkPrefix = (connectionId: string) => `attin:${connectionId}:`;
const chunkKey = (connectionId: string, attachmentId: string, index: number) => `${chunkPrefix(connectionId)}${attachmentId}:${String(index).padStart(5, '0')}`;
export const chunkRecord = recordKind({ name: 'attachment chunk', version: 1, schema: AttachmentChunk, key: chunkKey });

export async function storeChunk(kvs: Kvs, connectionId: string, chunk: AttachmentChunk): Promise<void> {
  await kvs.set(chunkKey(connectionId, chunk.attachmentId, chunk.index), chunk);
}

/**
 * The whole file when every chunk is here and the hash matches; undefined otherwise. The keys of the chunks
 * it read go into `found`, so discarding them afterwards needs no second look.
 */
export async function assemble(kvs: Kvs, connectionId: string, attachmentId: string, sha256: string, found?: string[]): Promise<Uint8Array | undefined> {
  const parts: Buffer[] = [];
  let cursor: string | undefined;
  let total = 0;
  do {
    const page = await kvs.query(`${chunkPrefix(connectionId)}${attachmentId}:`, { limit: 100, cursor });
    found?.push(...page.results.map((r) => r.key));
    for (const { value: chunk } of chunkRecord.entries(page)) {
      if (chunk.sha256 !== sha256) continue;
      total = chunk.total;
      parts[chunk.index] = Buffer.from(chunk.data, 'base64');
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (total === 0 || parts.filter(Boolean).length !== total) return undefined;
  const bytes = Buffer.concat(parts);
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) return undefined;
  return new Uint8Array(bytes);
}

/**
 * Deletes an attachment's chunks: those `assemble` found (`known`) without looking again, in transactions
 * of 25; without them, page by page until none is left.
 */
export async function discardChunks(kvs: Kvs, connectionId: string, attachmentId: string, known?: readonly string[]): Promise<void> {
  if (known?.length) {
    for (let i = 0; i < known.length; i += DISCARD_PAGE) await kvs.transact(known.slice(i, i + DISCARD_PAGE).map((key) => ({ kind: 'delete' as const, key })));
    return;
  }
  for (;;) {
    const page = await kvs.query(`${chunkPrefix(connectionId)}${attachmentId}:`, { limit: DISCARD_PAGE });
    if (page.results.length === 0) return;
    await kvs.transact(page.results.map((r) => ({ kind: 'delete' as const, key: r.key })));
  }
}

/** Inbound `attachment` handler: keep the chunk until the replica that names the file is applied. */
export async function receiveAttachment(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'attachment'>): Promise<unknown> {
  await storeChunk(platform.kvs, connection.id, envelope.body);
  return { stored: true };
}
