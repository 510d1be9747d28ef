import { z } from 'zod';
import { recordKind, type Storage } from '../domain/stored-record';
import { ConnectWinner } from '../domain/messages';

// A Connect waiting for the partner's answer: the twin it will make, before
// the twin exists (the flow is src/operations/connect.ts). Kept beside the
// twins because whatever could make a twin (a trigger, a first sync) must
// first ask whether a Connect is about to make this one.

export const ConnectRecord = z.object({
  requestId: z.string(),
  connectionId: z.string(),
  localIssueId: z.string(),
  localKey: z.string(),
  remoteIssueKey: z.string(),
  /** Whose issue the initial sync copies to the other; null (or absent, on requests stored before the choice): none. */
  initialSync: ConnectWinner.nullable().optional(),
  state: z.enum(['pending', 'refused']),
  reason: z.string().nullable(),
  requestedAt: z.number(),
  answeredAt: z.number().nullable(),
});
export type ConnectRecord = z.infer<typeof ConnectRecord>;

// Keyed by issue first: the issue panel lists one issue's requests with one query.
export const CONNECT_PREFIX = 'connect-pending:';
export const connectRecordKey = (localIssueId: string, connectionId: string) => `${CONNECT_PREFIX}${localIssueId}:${connectionId}`;
const connectRecord = recordKind({ name: 'Connect request', version: 1, schema: ConnectRecord, key: connectRecordKey });

/** Unreadable requests are logged and left out. */
export async function connectRecords(storage: Storage, localIssueId: string): Promise<ConnectRecord[]> {
  const page = await storage.kvs.query(`${CONNECT_PREFIX}${localIssueId}:`, { limit: 100 });
  return connectRecord.entries(page, storage.log).map((entry) => entry.value);
}

export async function pendingConnect(storage: Storage, localIssueId: string, connectionId: string): Promise<ConnectRecord | undefined> {
  const found = await connectRecord.find(storage, localIssueId, connectionId);
  return found?.state === 'pending' ? found : undefined;
}

/** Withdraws a Connect still waiting for its answer; an answer that comes later is undone on the partner's side. */
export async function cancelConnect(storage: Storage, localIssueId: string, connectionId: string): Promise<ConnectRecord | undefined> {
  const pending = await pendingConnect(storage, localIssueId, connectionId);
  if (pending) await storage.kvs.delete(connectRecordKey(localIssueId, connectionId));
  return pending;
}
