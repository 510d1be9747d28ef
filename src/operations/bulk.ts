import type { Platform } from '../ports';
import { AppError, isTransient } from '../domain/errors';
import { laterDelaySeconds } from '../sync/later';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, requireConnection } from '../connections/store';
import { syncOutgoing } from '../sync/outgoing';
import { twinStore } from '../sync/twins';
import { jiraQueryMessage, scopedJql } from '../triggers/jql';
import { jobStore, newJobId, type Job, type JobKind, type JobPageWork } from './jobs';
import type { Trigger } from '../triggers/store';
import { stepUnexalate, unexalateWork } from './unexalate';

// Bulk Exalate and Unbulk Exalate: every issue a trigger's query matches
// now, page by page through `/search/jql`, one queue event per page. Bulk
// Exalate runs each issue through the outgoing pipeline (a new twin, or a
// re-check that sends nothing when the replica is unchanged, so running it
// twice makes no second twin); Unbulk ends each matching twin on both sides.

/** Issues per page: one queue invocation syncs this many, well inside its time limit. */
export const PAGE_SIZE = 50;

/** How many of a page's issues one invocation syncs at once. */
export const ISSUES_SIDE_BY_SIDE = 25;

/** Time one issue may take at most (Jira calls, storage, the partner call): less left than this, and the page hands over. */
export const ISSUE_TIME_MARGIN_MS = 30_000;

/** Whether the invocation has too little time left for one more issue (unknown: go on, as before). */
function nearTimeLimit(platform: Platform): boolean {
  const left = platform.invocation?.remainingMs();
  return left !== undefined && left < ISSUE_TIME_MARGIN_MS;
}

export async function startJob(platform: Platform, kind: JobKind, trigger: Trigger): Promise<Job> {
  const connection = await requireConnection(platform, trigger.connectionId);
  if (connection.state === 'pending') throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet.`);
  const jobs = jobStore(platform);
  const running = await jobs.running(kind, trigger.id);
  if (running) {
    throw new AppError('Conflict', `${kind === 'bulk-exalate' ? 'A Bulk Exalate' : 'An Unbulk Exalate'} of this trigger is already running (${running.done} of about ${running.total} done).`);
  }
  const jql = scopedJql(connection.localProjectKey, trigger.jql);
  let total: number;
  try {
    total = await createJiraClient(platform.jira).search.approximateCount(jql);
  } catch (e) {
    if (isJiraError(e) && e.kind === 'bad-request') {
      throw new AppError('BadInput', `Jira no longer accepts this trigger's query: ${jiraQueryMessage([...e.errorMessages, ...Object.values(e.errors)])}`);
    }
    if (isJiraError(e)) throw new AppError('JiraError', `Jira could not count the matching issues just now: ${e.message}`);
    throw e;
  }
  const now = platform.clock.now();
  const job: Job = {
    id: newJobId(now, platform.random.uuid()),
    kind,
    triggerId: trigger.id,
    connectionId: connection.id,
    jql,
    status: total === 0 ? 'done' : 'running',
    done: 0,
    total,
    failed: 0,
    startedAt: now,
    finishedAt: total === 0 ? now : null,
    page: 0,
    nextPageToken: null,
    lastError: null,
    pageDone: [],
  };
  await jobs.save(job);
  if (job.status === 'running') {
    await jobs.markRunning(job);
    await pushPage(platform, job.id, 0);
  }
  return job;
}

export async function cancelJob(platform: Platform, id: string): Promise<Job> {
  const jobs = jobStore(platform);
  const job = await jobs.get(id);
  if (!job) throw new AppError('NotFound', 'There is no such job; it may have been cleaned up.');
  if (job.status !== 'running') return job;
  const cancelled: Job = { ...job, status: 'cancelled', finishedAt: platform.clock.now() };
  await jobs.save(cancelled);
  await jobs.clearRunning(cancelled);
  return cancelled;
}

/** How many times a page that arrived before its predecessor saved looks again (2 s apart). */
const EARLY_WAITS = 60;

async function pushPage(platform: Platform, jobId: string, page: number, delayInSeconds?: number, waits?: number): Promise<void> {
  const work: JobPageWork = { kind: 'ops.job-page', jobId, page, ...(waits ? { waits } : {}) };
  await platform.queue.push([{ body: work, ...(delayInSeconds ? { delayInSeconds } : {}) }]);
}

type ItemOutcome = 'ok' | 'failed';

/** Queue work `ops.job-page`: one page of a job. */
export async function runJobPage(platform: Platform, work: JobPageWork): Promise<void> {
  const jobs = jobStore(platform);
  const job = await jobs.get(work.jobId);
  if (!job || job.status !== 'running') return;
  if (work.page === job.page + 1) {
    // The previous page pushed this one and is saving its progress: look again shortly. If that
    // invocation died instead, its page runs again and pushes this one anew, so waiting can stop.
    if ((work.waits ?? 0) < EARLY_WAITS) await pushPage(platform, job.id, work.page, 2, (work.waits ?? 0) + 1);
    return;
  }
  // A repeated delivery of a page already done.
  if (work.page !== job.page) return;
  try {
    await runPage(platform, job);
  } catch (e) {
    if (isTransient(e)) {
      // Jira or the platform asks for a pause: the page runs again later from its start (what is done is skipped as unchanged).
      await pushPage(platform, job.id, job.page, pageRetryDelay(platform, e.retryAfterMs));
      return;
    }
    await finish(platform, job, { status: 'failed', lastError: e instanceof Error ? e.message : String(e) });
  }
}

async function runPage(platform: Platform, job: Job): Promise<void> {
  const jobs = jobStore(platform);
  const connection = await getConnection(platform, job.connectionId);
  if (!connection) return finish(platform, job, { status: 'failed', lastError: 'The connection was deleted.' });

  const jira = createJiraClient(platform.jira);
  let page;
  try {
    page = await jira.search.jql(job.jql, { maxResults: PAGE_SIZE, ...(job.nextPageToken ? { nextPageToken: job.nextPageToken } : {}) });
  } catch (e) {
    if (isJiraError(e) && !e.transient) {
      return finish(platform, job, { status: 'failed', lastError: `Jira refused the search: ${jiraQueryMessage([...e.errorMessages, ...Object.values(e.errors)]) || e.message}` });
    }
    throw e;
  }

  let done = 0;
  let failed = 0;
  let lastError = job.lastError;
  const handled = [...job.pageDone];
  const todo = page.issues.filter((issue) => !job.pageDone.includes(issue.id));
  // The first "later" (a rate limit, Jira's Retry-After) stops new issues; those under way finish first.
  let later: unknown;
  let timeShort = false;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && later === undefined && !timeShort) {
      if (nearTimeLimit(platform)) {
        timeShort = true;
        return;
      }
      const issue = todo[next++]!;
      let outcome: ItemOutcome;
      try {
        outcome = await patiently(platform, () => (job.kind === 'bulk-exalate' ? exalateOne(platform, job, issue.id) : unexalateOne(platform, job, issue.id)));
      } catch (e) {
        if (isTransient(e)) {
          later ??= e;
          continue;
        }
        outcome = 'failed';
        lastError = e instanceof Error ? e.message : String(e);
      }
      done++;
      if (outcome === 'failed') failed++;
      handled.push(issue.id);
    }
  };
  // Issues side by side: on Forge each waits mostly on storage, Jira and the partner, so one after another
  // a page of fifty takes minutes, and a thousand issues an hour. Each issue has its own twin and lease.
  await Promise.all(Array.from({ length: Math.min(ISSUES_SIDE_BY_SIDE, todo.length) }, worker));
  if (later !== undefined) {
    await keepPageProgress(platform, job, { done, failed, lastError, handled });
    throw later;
  }
  if (timeShort) {
    // Forge would stop this invocation soon: keep what is done and go on in a fresh one from here.
    await keepPageProgress(platform, job, { done, failed, lastError, handled });
    await pushPage(platform, job.id, job.page);
    return;
  }

  const last = page.isLast === true || !page.nextPageToken;
  // Pushed before saving: if the invocation dies in between, this page runs again and pushes it again.
  if (!last) await pushPage(platform, job.id, job.page + 1);
  const latest = (await jobs.get(job.id)) ?? job;
  const cancelled = latest.status === 'cancelled';
  const saved: Job = {
    ...latest,
    done: latest.done + done,
    failed: latest.failed + failed,
    page: job.page + 1,
    nextPageToken: page.nextPageToken ?? null,
    lastError,
    status: cancelled ? 'cancelled' : last ? 'done' : 'running',
    finishedAt: cancelled ? latest.finishedAt : last ? platform.clock.now() : null,
    pageDone: [],
  };
  await jobs.save(saved);
  if (saved.status !== 'running') await jobs.clearRunning(saved);
}

/**
 * A "later" cut the page short: write down what it did (counted, and named so the retry skips it), as far
 * as storage lets. When it will not, the retry checks those issues again (each is then unchanged and
 * counted once, then).
 */
async function keepPageProgress(platform: Platform, job: Job, progress: { done: number; failed: number; lastError: string | null; handled: string[] }): Promise<void> {
  if (progress.done === 0) return;
  const jobs = jobStore(platform);
  try {
    const latest = (await jobs.get(job.id)) ?? job;
    if (latest.page !== job.page) return;
    await jobs.save({ ...latest, done: latest.done + progress.done, failed: latest.failed + progress.failed, lastError: progress.lastError, pageDone: progress.handled });
  } catch (e) {
    if (!isTransient(e)) throw e;
  }
}

async function finish(platform: Platform, job: Job, end: { status: 'failed'; lastError: string }): Promise<void> {
  const jobs = jobStore(platform);
  const saved: Job = { ...job, ...end, finishedAt: platform.clock.now() };
  await jobs.save(saved);
  await jobs.clearRunning(saved);
}

// A page that met a "later" goes on where it stopped (keepPageProgress), so a short pause (5–7.5 s) costs
// nothing twice; when Jira names its Retry-After, that is the wait.
const pageRetryDelay = (platform: Platform, retryAfterMs?: number) =>
  retryAfterMs !== undefined ? Math.min(900, Math.max(1, Math.ceil(retryAfterMs / 1000))) : laterDelaySeconds(platform, 0);

/** Waits before each new try of an issue that met a "later": long enough for a minute's storage units to free up. */
export const PATIENT_WAITS_MS: readonly number[] = [2_000, 4_000, 8_000, 8_000, 8_000];

/**
 * `work`, tried again after a wait when storage or Jira says "later" (a rate limit), while the invocation has
 * time for it. A page that hands a "later" back to the queue pays a new invocation, the search again and a
 * wait of seconds before it is even picked up; its issues side by side would each meet the same limit. Waiting
 * here paces them instead. What still meets a "later" after the waits goes to the queue as before.
 */
async function patiently<T>(platform: Platform, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const wait = PATIENT_WAITS_MS[attempt];
      if (!isTransient(e) || wait === undefined || !platform.sleep) throw e;
      // Jira's Retry-After when it named one; else the step, with a quarter's jitter so the page's issues spread out.
      const ms = Math.round(Math.max(wait, Math.min(e.retryAfterMs ?? 0, 30_000)) * (1 + (platform.random.bytes(1)[0]! / 256) * 0.25));
      const left = platform.invocation?.remainingMs();
      if (left === undefined || left - ms < ISSUE_TIME_MARGIN_MS) throw e;
      await platform.sleep(ms);
    }
  }
}

async function exalateOne(platform: Platform, job: Job, issueId: string): Promise<ItemOutcome> {
  const result = await syncOutgoing(platform, { kind: 'sync.outgoing', connectionId: job.connectionId, localIssueId: issueId, cause: 'bulk' });
  switch (result.outcome) {
    case 'sent':
    case 'unchanged':
    case 'issue-gone':
      return 'ok';
    case 'busy':
      // Another worker holds this twin right now: its own sync comes back to it.
      await platform.queue.push([{ body: { kind: 'sync.outgoing', connectionId: job.connectionId, localIssueId: issueId, cause: 'bulk' }, delayInSeconds: 2 }]);
      return 'ok';
    default:
      return 'failed';
  }
}

async function unexalateOne(platform: Platform, job: Job, issueId: string): Promise<ItemOutcome> {
  const twin = await twinStore(platform.kvs).get(job.connectionId, issueId);
  if (!twin) return 'ok';
  const work = unexalateWork(twin, 'unbulk', platform.clock.now(), true);
  const step = await stepUnexalate(platform, work);
  // Something is still in flight for this twin: it ends on its own once that has arrived.
  if (step.outcome === 'waiting') await platform.queue.push([{ body: work, delayInSeconds: step.delaySeconds }]);
  return 'ok';
}
