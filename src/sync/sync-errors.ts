import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { Kvs } from '../ports';
import { recordKind } from '../domain/stored-record';
import { nameRecheckKey, namesAMissingValue } from './name-recheck';

// Failures that need a person: a script error, a missing project, a
// permission Jira refused. Each is stored once per twin and phase (a repeat
// bumps its attempts), shown on the Errors page and the issue panel, and
// pauses only its twin until someone retries or resolves it. A warning (a
// value the other side refused, a status no transition leads to) is listed
// the same way but pauses nothing: the rest of the issue synced.

/** `rules`: a connection's rules name a value that no longer exists (src/sync/name-drift.ts). */
export const SyncPhase = z.enum(['outgoing', 'incoming', 'transport', 'rules']);
export type SyncPhase = z.infer<typeof SyncPhase>;

export const SyncError = z.object({
  id: z.string(),
  connectionId: z.string(),
  phase: SyncPhase,
  /** The local issue, when known (outgoing, or incoming after the first sync). */
  localIssueId: z.string().nullable(),
  issueKey: z.string().nullable(),
  /** The partner's issue id, for incoming errors. */
  remoteIssueId: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  scriptLine: z.number().nullable(),
  scriptColumn: z.number().nullable(),
  attempts: z.number().int().positive(),
  firstAt: z.number(),
  lastAt: z.number(),
  status: z.enum(['open', 'resolved']),
  /** A warning is shown like an error but pauses nothing; absent on errors. */
  severity: z.literal('warning').optional(),
});
export type SyncError = z.infer<typeof SyncError>;

export type NewSyncError = Omit<SyncError, 'id' | 'attempts' | 'firstAt' | 'lastAt' | 'status' | 'severity'>;

// Newest first in key order: the key carries the time counted down from a far date.
const FAR = 9_999_999_999_999;
export const ERROR_PREFIX = 'synerr:';
const errorKey = (id: string) => `${ERROR_PREFIX}${id}`;
export const twinErrorPrefix = (connectionId: string) => `synerr-twin:${connectionId}:`;
const twinErrorKey = (connectionId: string, phase: SyncPhase, ref: string) => `${twinErrorPrefix(connectionId)}${phase}:${ref}`;
const errorRecord = recordKind({ name: 'sync error', version: 1, schema: SyncError, key: errorKey });
/** The open error of a twin and phase: its id. */
const errorIndexRecord = recordKind({ name: 'sync error index', version: 1, schema: z.string(), key: twinErrorKey });
/** One open warning per twin and wording: its id. */
const warningIndexRecord = recordKind({ name: 'sync warning index', version: 1, schema: z.string(), key: (key: string) => key });
// Beside the twins' error index (no phase is called "warn"), so it goes when the connection's keys go.
const warningKey = (w: NewSyncError) =>
  `${twinErrorPrefix(w.connectionId)}warn:${refOf(w)}:${createHash('sha256').update(`${w.phase}\n${w.kind}\n${w.message}`).digest('hex').slice(0, 24)}`;
const refOf = (e: Pick<SyncError, 'localIssueId' | 'remoteIssueId'>) => e.localIssueId ?? `r${e.remoteIssueId ?? 'connection'}`;

/** Sync errors and their per-twin index. Long only as the sum of its methods, each a few lines. */
export function syncErrorStore(kvs: Kvs, newId: () => string) {
  return {
    /** Store a failure, or count another attempt of the same open one. */
    async record(error: NewSyncError, now: number): Promise<SyncError> {
      const indexKey = twinErrorKey(error.connectionId, error.phase, refOf(error));
      const existingId = await errorIndexRecord.get(kvs, error.connectionId, error.phase, refOf(error));
      const existing = existingId ? await this.get(existingId) : undefined;
      if (existing && existing.status === 'open') {
        const updated: SyncError = { ...existing, ...error, attempts: existing.attempts + 1, lastAt: now };
        await kvs.set(errorKey(existing.id), updated);
        return updated;
      }
      const id = `${String(FAR - now).padStart(13, '0')}-${newId().slice(0, 8)}`;
      const stored: SyncError = { ...error, id, attempts: 1, firstAt: now, lastAt: now, status: 'open' };
      await kvs.transact([
        { kind: 'set', key: errorKey(id), value: stored },
        { kind: 'set', key: indexKey, value: id },
        // A sync that failed on a value Jira does not know: the rules' names are checked again at the next maintenance run.
        ...(error.phase !== 'rules' && namesAMissingValue(error.message) ? [{ kind: 'set' as const, key: nameRecheckKey(error.connectionId), value: now }] : []),
      ]);
      return stored;
    },

    /**
     * List a warning: kept apart from the twin's index, so it never pauses the twin nor counts as its
     * error. The same open warning again (same twin, same words) counts another attempt instead of a new line.
     */
    async warn(warning: NewSyncError, now: number): Promise<SyncError> {
      const sameKey = warningKey(warning);
      const existing = await warningIndexRecord.get(kvs, sameKey).then((id) => (id ? this.get(id) : undefined));
      if (existing?.status === 'open') {
        const updated: SyncError = { ...existing, attempts: existing.attempts + 1, lastAt: now };
        await kvs.set(errorKey(existing.id), updated);
        return updated;
      }
      const id = `${String(FAR - now).padStart(13, '0')}-${newId().slice(0, 8)}`;
      const stored: SyncError = { ...warning, id, attempts: 1, firstAt: now, lastAt: now, status: 'open', severity: 'warning' };
      await kvs.transact([
        { kind: 'set', key: errorKey(id), value: stored },
        { kind: 'set', key: sameKey, value: id },
      ]);
      return stored;
    },

    async get(id: string): Promise<SyncError | undefined> {
      return errorRecord.get(kvs, id);
    },

    /** The open error pausing a twin in a phase, if any. */
    async openFor(connectionId: string, phase: SyncPhase, ref: { localIssueId?: string | null; remoteIssueId?: string | null }): Promise<SyncError | undefined> {
      const id = await errorIndexRecord.get(kvs, connectionId, phase, refOf({ localIssueId: ref.localIssueId ?? null, remoteIssueId: ref.remoteIssueId ?? null }));
      const error = id ? await this.get(id) : undefined;
      return error?.status === 'open' ? error : undefined;
    },

    /** Mark resolved and unpause its twin. */
    async resolve(id: string): Promise<SyncError | undefined> {
      const error = await this.get(id);
      if (!error) return undefined;
      if (error.severity === 'warning') {
        // Not in the twin's index: the twin's own error, if any, stays open.
        await kvs.set(errorKey(id), { ...error, status: 'resolved' });
        return { ...error, status: 'resolved' };
      }
      await kvs.transact([
        { kind: 'set', key: errorKey(id), value: { ...error, status: 'resolved' } },
        { kind: 'delete', key: twinErrorKey(error.connectionId, error.phase, refOf(error)) },
      ]);
      return { ...error, status: 'resolved' };
    },

    /** Newest first, one page at a time. */
    async list(options: { connectionId?: string; status?: 'open' | 'resolved'; cursor?: string; limit?: number } = {}) {
      const limit = options.limit ?? 50;
      const errors: SyncError[] = [];
      let cursor = options.cursor;
      do {
        // Each page asks only for what is still missing, so no entry is skipped between pages.
        const page = await kvs.query(ERROR_PREFIX, { limit: Math.min(100, limit - errors.length), cursor });
        for (const { value: e } of errorRecord.entries(page)) {
          if (options.connectionId && e.connectionId !== options.connectionId) continue;
          if (options.status && e.status !== options.status) continue;
          errors.push(e);
        }
        cursor = page.nextCursor;
      } while (cursor && errors.length < limit);
      return { errors, nextCursor: cursor };
    },
  };
}

export type SyncErrorStore = ReturnType<typeof syncErrorStore>;
