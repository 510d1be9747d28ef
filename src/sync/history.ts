import { z } from 'zod';
import type { Kvs, KvsTransactionOp } from '../ports';
import { recordKind } from '../domain/stored-record';
import { twinStore, type Twin } from './twins';

// Per twin, the last 100 things that happened to it: what was sent, received
// and applied, field by field, and why. Stored as a ring of 100 slots so a
// new entry is one write and old ones fall off without a cleanup pass.

export const HISTORY_SIZE = 100;

export const HistoryEntry = z.object({
  n: z.number().int(),
  at: z.number(),
  connectionId: z.string(),
  direction: z.enum(['out', 'in']),
  cause: z.string(),
  outcome: z.enum(['sent', 'applied', 'created', 'error', 'skipped', 'unexalated', 'connected']),
  seq: z.number().int().optional(),
  message: z.string().optional(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  warnings: z.array(z.string()).optional(),
  logs: z.array(z.string()).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const historyCounterPrefix = (connectionId: string) => `histn:${connectionId}:`;
const counterKey = (connectionId: string, localIssueId: string) => `${historyCounterPrefix(connectionId)}${localIssueId}`;
export const historyPrefix = (connectionId: string) => `hist:${connectionId}:`;
const counterRecord = recordKind({ name: 'history counter', version: 1, schema: z.number().int(), key: counterKey });
const slotKey = (connectionId: string, localIssueId: string, slot: number) => `${historyPrefix(connectionId)}${localIssueId}:${String(slot).padStart(2, '0')}`;

const historyEntryRecord = recordKind({ name: 'history entry', version: 1, schema: HistoryEntry, key: slotKey });

/**
 * Save `twin` (as it now stands) with one history entry, in one transaction with `also`: the entry, the
 * counter and the twin that carries the count move together, so the next entry reads no counter.
 */
export async function saveWithHistory(
  kvs: Kvs,
  twin: Twin,
  at: number,
  entry: Omit<HistoryEntry, 'n' | 'at' | 'connectionId'>,
  also: KvsTransactionOp[] = [],
): Promise<void> {
  const history = await historyOps(kvs, twin, at, entry);
  await twinStore(kvs).save({ ...twin, historyCount: history.count }, [...history.ops, ...also]);
}

/**
 * One history entry for a twin that carries no count yet (just made, and saved before this): the counter's
 * own key counts, and the twin takes the count up with its next history entry. A twin that carries one
 * must be saved with its entry (saveWithHistory), or the two counts would part.
 */
export async function recordHistoryOfNewTwin(kvs: Kvs, twin: Twin, at: number, entry: Omit<HistoryEntry, 'n' | 'at' | 'connectionId'>): Promise<void> {
  if (twin.historyCount !== undefined) throw new Error('recordHistoryOfNewTwin: this twin carries its history count; save it with saveWithHistory');
  await kvs.transact((await historyOps(kvs, twin, at, entry)).ops);
}

/**
 * The writes that add one history entry, for a transaction with the change it describes, and the count
 * they make: the caller keeps it on the twin it saves in that transaction (`historyCount`). The counter's
 * own key is written too, so a twin removed and made again (whose history stays) carries on from it.
 */
export async function historyOps(
  kvs: Kvs,
  twin: { connectionId: string; localIssueId: string; historyCount?: number | undefined },
  at: number,
  entry: Omit<HistoryEntry, 'n' | 'at' | 'connectionId'>,
): Promise<{ ops: KvsTransactionOp[]; count: number }> {
  const before = twin.historyCount ?? (await counterRecord.get(kvs, twin.connectionId, twin.localIssueId)) ?? 0;
  const n = before + 1;
  const stored: HistoryEntry = {
    ...entry,
    n,
    at,
    connectionId: twin.connectionId,
    changes: entry.changes.slice(0, 50).map((c) => ({ field: c.field, from: clip(c.from), to: clip(c.to) })),
    ...(entry.logs ? { logs: entry.logs.slice(0, 20).map((l) => l.slice(0, 300)) } : {}),
  };
  return {
    count: n,
    ops: [
      { kind: 'set', key: slotKey(twin.connectionId, twin.localIssueId, n % HISTORY_SIZE), value: stored },
      { kind: 'set', key: counterKey(twin.connectionId, twin.localIssueId), value: n },
    ],
  };
}

/** Newest first. */
export async function readHistory(kvs: Kvs, connectionId: string, localIssueId: string): Promise<HistoryEntry[]> {
  const page = await kvs.query(`${historyPrefix(connectionId)}${localIssueId}:`, { limit: HISTORY_SIZE });
  return historyEntryRecord.entries(page).map((entry) => entry.value).sort((a, b) => b.n - a.n);
}

function clip(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (value && typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : value;
  }
  return value ?? null;
}
