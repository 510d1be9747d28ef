import { z } from 'zod';
import type { Kvs } from '../ports';

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
  state: z.enum(['pending', 'refused']),
  reason: z.string().nullable(),
  requestedAt: z.number(),
  answeredAt: z.number().nullable(),
});
export type ConnectRecord = z.infer<typeof ConnectRecord>;

// Keyed by issue first: the issue panel lists one issue's requests with one query.
export const CONNECT_PREFIX = 'connect-pending:';
export const connectRecordKey = (localIssueId: string, connectionId: string) => `${CONNECT_PREFIX}${localIssueId}:${connectionId}`;

export async function connectRecords(kvs: Kvs, localIssueId: string): Promise<ConnectRecord[]> {
  const page = await kvs.query<unknown>(`${CONNECT_PREFIX}${localIssueId}:`, { limit: 100 });
  return page.results.flatMap((entry) => {
    const parsed = ConnectRecord.safeParse(entry.value);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function pendingConnect(kvs: Kvs, localIssueId: string, connectionId: string): Promise<ConnectRecord | undefined> {
  const parsed = ConnectRecord.safeParse(await kvs.get(connectRecordKey(localIssueId, connectionId)));
  return parsed.success && parsed.data.state === 'pending' ? parsed.data : undefined;
}

/** Withdraws a Connect still waiting for its answer; an answer that comes later is undone on the partner's side. */
export async function cancelConnect(kvs: Kvs, localIssueId: string, connectionId: string): Promise<ConnectRecord | undefined> {
  const pending = await pendingConnect(kvs, localIssueId, connectionId);
  if (pending) await kvs.delete(connectRecordKey(localIssueId, connectionId));
  return pending;
}
