import { z } from 'zod';
import type { Platform } from '../ports';
import { recordKind } from '../domain/stored-record';

// The note a connection keeps while a secret rotation it asked for is on its
// way to the partner (the flow itself is src/pairing/rotation.ts): which
// message carries the request, so asking again waits for that one.

export const rotationKey = (connectionId: string) => `rotation:${connectionId}`;

export const RotationRecord = z.object({ messageId: z.string(), seq: z.number(), requestedAt: z.number() });
export type RotationRecord = z.infer<typeof RotationRecord>;

const rotationRecord = recordKind({ name: 'secret rotation', version: 1, schema: RotationRecord, key: rotationKey });

/** The rotation under way, if any; a record that does not read is logged and is no rotation (asking again starts a new one). */
export async function readRotation(platform: Platform, connectionId: string): Promise<RotationRecord | undefined> {
  return rotationRecord.find(platform, connectionId);
}

export async function writeRotation(platform: Platform, connectionId: string, record: RotationRecord): Promise<void> {
  await platform.kvs.set(rotationKey(connectionId), record);
}

export async function clearRotation(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(rotationKey(connectionId));
}
