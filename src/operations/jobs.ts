import { z } from 'zod';
import { recordKind, type Storage } from '../domain/stored-record';

// Bulk jobs (Bulk Exalate, Unbulk Exalate) as records in storage: where the
// job is in its search (Jira's `nextPageToken` and the page number), what it
// has done, and whether it should go on. The queue carries only "run page n
// of job j", so a job resumes from its record after any restart.

export const JobKind = z.enum(['bulk-exalate', 'unbulk-exalate']);
export type JobKind = z.infer<typeof JobKind>;

export const JobStatus = z.enum(['running', 'done', 'cancelled', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

export const Job = z.object({
  id: z.string(),
  kind: JobKind,
  triggerId: z.string(),
  connectionId: z.string(),
  /** The trigger's query bounded to the connection's project, as it was when the job started. */
  jql: z.string(),
  status: JobStatus,
  /** Issues handled so far, failed ones included. */
  done: z.number().int().nonnegative(),
  /** Jira's approximate count when the job started. */
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** The next page to run; the queue work names it, so a repeated delivery of a page already done is dropped. */
  page: z.number().int().nonnegative(),
  nextPageToken: z.string().nullable(),
  lastError: z.string().nullable(),
  /**
   * Issues of the current page already handled (and counted in `done`) when a "later" cut the page short:
   * its retry goes on after them instead of checking them all again.
   */
  pageDone: z.array(z.string()).default([]),
});
export type Job = z.infer<typeof Job>;

export const JobPageWork = z.object({
  kind: z.literal('ops.job-page'),
  jobId: z.string(),
  page: z.number().int().nonnegative(),
  /** How often this page has already waited for the previous one to save. */
  waits: z.number().int().nonnegative().optional(),
});
export type JobPageWork = z.infer<typeof JobPageWork>;

// Ids sort newest first (time counted down from a far date), so listing is one prefix query.
const FAR = 9_999_999_999_999;
export const JOB_PREFIX = 'job:';
export const jobKey = (id: string) => `${JOB_PREFIX}${id}`;
export const RUNNING_PREFIX = 'job-running:';
export const runningKey = (kind: JobKind, triggerId: string) => `${RUNNING_PREFIX}${kind}:${triggerId}`;

export const newJobId = (now: number, uuid: string) => `${String(FAR - now).padStart(13, '0')}-${uuid.slice(0, 8)}`;

/** What the UI sees of a job. */
export function publicJob(job: Job) {
  const { id, kind, triggerId, connectionId, status, done, total, failed, startedAt, finishedAt, lastError } = job;
  return { id, kind, triggerId, connectionId, status, done, total, failed, startedAt, finishedAt, lastError };
}

const jobRecord = recordKind({ name: 'job', version: 1, schema: Job, key: jobKey });
/** The id of the job of a kind running for a trigger. */
const runningRecord = recordKind({ name: 'running job pointer', version: 1, schema: z.string(), key: runningKey });

export function jobStore(storage: Storage) {
  const { kvs } = storage;
  return {
    async get(id: string): Promise<Job | undefined> {
      if (!/^[0-9]{13}-[A-Za-z0-9]{1,8}$/.test(id)) return undefined;
      return jobRecord.get(kvs, id);
    },

    save(job: Job): Promise<void> {
      return kvs.set(jobKey(job.id), Job.parse(job));
    },

    /** Newest first; unreadable ones are logged and left out. */
    async list(limit = 50): Promise<Job[]> {
      const page = await kvs.query(JOB_PREFIX, { limit: Math.min(100, limit) });
      return jobRecord.entries(page, storage.log).map((entry) => entry.value);
    },

    /** The job of this kind running for a trigger, if any. */
    async running(kind: JobKind, triggerId: string): Promise<Job | undefined> {
      const id = await runningRecord.find(storage, kind, triggerId);
      const job = id ? await this.get(id) : undefined;
      return job?.status === 'running' ? job : undefined;
    },

    markRunning(job: Job): Promise<void> {
      return kvs.set(runningKey(job.kind, job.triggerId), job.id);
    },

    async clearRunning(job: Job): Promise<void> {
      if ((await runningRecord.find(storage, job.kind, job.triggerId)) === job.id) await kvs.delete(runningKey(job.kind, job.triggerId));
    },
  };
}

export type JobStore = ReturnType<typeof jobStore>;
