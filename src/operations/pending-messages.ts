import type { Platform } from '../ports';
import { outboxRecord, setAsideRecord, type OutboxEntry, type SetAsideEntry } from '../transport/outbox';
import { deadLetterPrefix, outboxPrefix } from '../transport/keys';

// Read-only views of what this side still has to hand over: the transport's
// outbox (messages not yet taken by the partner) and the messages the partner
// refused for good. The inboxes (replicas taken, not yet applied) are the
// engine's: src/sync/incoming.ts.

/** Outbox entries in send order, at most `limit`; `more` when others follow. */
export async function outboxEntries(platform: Platform, connectionId: string, limit: number): Promise<{ entries: OutboxEntry[]; more: boolean }> {
  const entries: OutboxEntry[] = [];
  let cursor: string | undefined;
  do {
    // Attachment chunks make entries large: small pages keep each answer small.
    const page = await platform.kvs.query(outboxPrefix(connectionId), { limit: 25, cursor });
    const readable = outboxRecord.entries(page, platform.log);
    for (const [index, { value }] of readable.entries()) {
      entries.push(value);
      if (entries.length >= limit) return { entries, more: index < readable.length - 1 || Boolean(page.nextCursor) };
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { entries, more: false };
}

/** The local issue an outgoing message is about; attachment chunks name only their attachment. */
export function localIssueOf(entry: OutboxEntry): string | null {
  const body = entry.envelope.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return null;
  // Every issue message names the sender's own issue `issueId` (and the receiver's, when known, `yourIssueId`).
  return typeof body.issueId === 'string' ? body.issueId : null;
}

/** The partner's issue an outgoing message is about, when the message names it. */
export function remoteIssueOf(entry: OutboxEntry): string | null {
  const body = entry.envelope.body as Record<string, unknown> | null;
  return body && typeof body === 'object' && typeof body.yourIssueId === 'string' ? body.yourIssueId : null;
}

/** Messages the partner refused for good (they are kept, never sent again), oldest first, at most `limit`. */
export async function setAsideEntries(platform: Platform, connectionId: string, limit: number): Promise<SetAsideEntry[]> {
  const entries: SetAsideEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(deadLetterPrefix(connectionId), { limit: 25, cursor });
    for (const { value } of setAsideRecord.entries(page, platform.log)) {
      entries.push(value);
      if (entries.length >= limit) return entries;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}
