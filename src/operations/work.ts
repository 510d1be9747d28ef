import type { Platform } from '../ports';
import { AppError, isTransient } from '../domain/errors';
import { queueAgainLater } from '../sync/later';
import { runJobPage } from './bulk';
import { JobPageWork } from './jobs';
import { runUnexalateWork, UnexalateWork } from './unexalate';
import { ProductEventWork, routeQueuedEvent } from './product-events';

// Queue work of triggers and operations; every kind starts with `ops.`.

export const isOperationWork = (body: Record<string, unknown>) => typeof body.kind === 'string' && body.kind.startsWith('ops.');

export async function handleOperationWork(platform: Platform, body: Record<string, unknown>): Promise<void> {
  try {
    if (body.kind === 'ops.job-page') return await runJobPage(platform, JobPageWork.parse(body));
    if (body.kind === 'ops.unexalate') return await runUnexalateWork(platform, UnexalateWork.parse(body));
    // A product event whose routing met a "later" (see routeEventLater), routed now.
    if (body.kind === 'ops.event') {
      await routeQueuedEvent(platform, ProductEventWork.parse(body));
      return;
    }
  } catch (e) {
    // Jira or the platform said "later": come back then instead of spending the queue's few retries.
    if (isTransient(e)) {
      await queueAgainLater(platform, body, e);
      return;
    }
    throw e;
  }
  throw new AppError('Internal', `No handler for operation work "${String(body.kind)}".`);
}
