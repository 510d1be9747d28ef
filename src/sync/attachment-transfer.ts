import { createHash } from 'node:crypto';
import type { Kvs, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AttachmentChunk, type MessageOf } from '../domain/messages';
import { recordKind } from '../domain/stored-record';

// Attachment bytes travel as `attachment` messages through the same signed,
// durable outbox as replicas, ahead of the replica that names them, in
// chunks small enough for one storage value each. The receiver keeps the
// chunks until the incoming sync adds the file, checking its SHA-256.

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
