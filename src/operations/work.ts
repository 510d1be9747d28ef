import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { isJiraError } from '../jira/errors';
import { runJobPage } from './bulk';
import { JobPageWork } from './jobs';
import { runUnexalateWork, UnexalateWork } from './unexalate';

// Queue work of triggers and operations; every kind starts with `ops.`.

export const isOperationWork = (body: Record<string, unknown>) => typeof body.kind === 'string' && body.kind.startsWith('ops.');

export async function handleOperationWork(platform: Platform, body: Record<string, unknown>): Promise<void> {
  try {
    if (body.kind === 'ops.job-page') return await runJobPage(platform, JobPageWork.parse(body));
    if (body.kind === 'ops.unexalate') return await runUnexalateWork(platform, UnexalateWork.parse(body));
  } catch (e) {
    // Jira said "later": come back then instead of spending the queue's few retries.
    if (isJiraError(e) && e.transient) {
      await platform.queue.push([{ body, delayInSeconds: Math.min(900, Math.max(1, Math.ceil((e.retryAfterMs ?? 5_000) / 1000))) }]);
      return;
    }
    throw e;
  }
  throw new AppError('Internal', `No handler for operation work "${String(body.kind)}".`);
}
