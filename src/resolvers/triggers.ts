import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { createJiraClient } from '../jira/client';
import { listConnectionRecords, requireConnection } from '../connections/store';
import { checkTriggerQuery, MAX_QUERY_LENGTH } from '../triggers/jql';
import { triggerStore, type Trigger } from '../triggers/store';
import { cancelJob, startJob } from '../triggers/bulk';
import { jobStore, publicJob, type JobKind } from '../triggers/jobs';
import { defineResolver, type ResolverHandler } from './define';

// The UI's API for triggers (per connection and the global list) and the
// Bulk / Unbulk Exalate jobs they start.

const Id = z.string().trim().min(1, 'is required').max(100);

const SaveTrigger = z.object({
  id: Id.optional(),
  connectionId: Id,
  entityType: z.literal('issue', { error: 'only "issue" triggers exist' }).default('issue'),
  jql: z.string().trim().min(1, 'is required').max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  notes: z.string().max(1000, 'must be at most 1000 characters').default(''),
  active: z.boolean().default(true),
});

async function connectionNames(platform: Platform): Promise<Map<string, string>> {
  return new Map((await listConnectionRecords(platform)).map((c) => [c.id, c.name]));
}

const rowOf = (trigger: Trigger, names: Map<string, string>) => ({
  ...trigger,
  connectionName: names.get(trigger.connectionId) ?? '(deleted connection)',
});

async function requireTrigger(platform: Platform, id: string): Promise<Trigger> {
  const trigger = await triggerStore(platform.kvs).get(id);
  if (!trigger) throw new AppError('NotFound', 'There is no such trigger; it may have been deleted.');
  return trigger;
}

const startFor = (kind: JobKind) =>
  defineResolver(z.object({ triggerId: Id }), async (platform, payload) => {
    const job = await startJob(platform, kind, await requireTrigger(platform, payload.triggerId));
    return { ok: true, ...publicJob(job) };
  });

export const triggerResolvers: Record<string, ResolverHandler> = {
  listTriggers: defineResolver(z.object({ connectionId: Id.optional() }), async (platform, payload) => {
    const names = await connectionNames(platform);
    const triggers = (await triggerStore(platform.kvs).list()).filter((t) => !payload.connectionId || t.connectionId === payload.connectionId);
    return { ok: true, triggers: triggers.map((t) => rowOf(t, names)) };
  }),

  saveTrigger: defineResolver(SaveTrigger, async (platform, payload) => {
    const store = triggerStore(platform.kvs);
    const existing = payload.id ? await requireTrigger(platform, payload.id) : undefined;
    const connection = await requireConnection(platform, payload.connectionId);
    if (connection.state === 'pending') throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet; add triggers once it is active.`);
    const matches = await checkTriggerQuery(createJiraClient(platform.jira), connection.localProjectKey, payload.jql);
    const now = platform.clock.now();
    const trigger: Trigger = {
      id: existing?.id ?? platform.random.uuid(),
      connectionId: connection.id,
      entityType: payload.entityType,
      jql: payload.jql,
      notes: payload.notes,
      active: payload.active,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await store.save(trigger);
    return { ok: true, trigger: rowOf(trigger, new Map([[connection.id, connection.name]])), matches };
  }),

  deleteTrigger: defineResolver(z.object({ id: Id }), async (platform, payload) => {
    await requireTrigger(platform, payload.id);
    await triggerStore(platform.kvs).remove(payload.id);
    return { ok: true, deleted: payload.id };
  }),

  bulkExalate: startFor('bulk-exalate'),
  unbulkExalate: startFor('unbulk-exalate'),

  getJob: defineResolver(z.object({ id: Id }), async (platform, payload) => {
    const job = await jobStore(platform.kvs).get(payload.id);
    if (!job) throw new AppError('NotFound', 'There is no such job.');
    return { ok: true, ...publicJob(job) };
  }),

  listJobs: defineResolver(z.object({ triggerId: Id.optional(), connectionId: Id.optional() }), async (platform, payload) => {
    const jobs = (await jobStore(platform.kvs).list(100))
      .filter((j) => (!payload.triggerId || j.triggerId === payload.triggerId) && (!payload.connectionId || j.connectionId === payload.connectionId));
    return { ok: true, jobs: jobs.map(publicJob) };
  }),

  cancelJob: defineResolver(z.object({ id: Id }), async (platform, payload) => ({ ok: true, ...publicJob(await cancelJob(platform, payload.id)) })),
};
