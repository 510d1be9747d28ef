import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import type { ResolverKey } from '../contract/resolvers';
import { listConnectionRecords } from '../connections/store';
import { checkTriggerQuery } from '../triggers/jql';
import { triggerStore, type Trigger } from '../triggers/store';
import { cancelJob, startJob } from '../operations/bulk';
import { jobStore, publicJob, type JobKind } from '../operations/jobs';
import type { Handlers, ResolverCall } from './define';
import { connectionInReach, inProjectReach } from './scope';

// The UI's API for triggers (per connection and the global list) and the
// Bulk / Unbulk Exalate jobs they start. A project admin sees and runs only
// the triggers of their project's Basic connections.

type Keys = 'listTriggers' | 'saveTrigger' | 'countTriggerMatches' | 'deleteTrigger' | 'bulkExalate' | 'unbulkExalate' | 'getJob' | 'listJobs' | 'cancelJob';

/** The connections the caller's grant reaches, by id. */
async function connectionsInReach(call: ResolverCall<ResolverKey>): Promise<Map<string, ConnectionRecord>> {
  const { grant } = call;
  const all = await listConnectionRecords(call.platform);
  return new Map(all.filter((c) => grant.rule !== 'projectAdmin' || inProjectReach(c, grant.projectKey)).map((c) => [c.id, c]));
}

const rowOf = (trigger: Trigger, names: Map<string, { name: string }>) => ({
  ...trigger,
  connectionName: names.get(trigger.connectionId)?.name ?? '(deleted connection)',
});

async function triggerInReach(call: ResolverCall<ResolverKey>, id: string): Promise<Trigger> {
  const trigger = await triggerStore(call.platform).get(id);
  if (!trigger) throw new AppError('NotFound', 'There is no such trigger; it may have been deleted.');
  // A Jira admin reaches every trigger, also one whose connection is gone.
  if (call.grant.rule !== 'jiraAdmin') await connectionInReach(call, trigger.connectionId);
  return trigger;
}

async function jobInReach(call: ResolverCall<ResolverKey>, id: string) {
  const job = await jobStore(call.platform).get(id);
  if (!job) throw new AppError('NotFound', 'There is no such job.');
  if (call.grant.rule !== 'jiraAdmin') await connectionInReach(call, job.connectionId);
  return job;
}

const startFor = (kind: JobKind) => async (call: ResolverCall<'bulkExalate' | 'unbulkExalate'>) => {
  const job = await startJob(call.platform, kind, await triggerInReach(call, call.input.triggerId));
  return { ok: true, ...publicJob(job) };
};

export const triggerHandlers: Handlers<Keys> = {
  listTriggers: async (call) => {
    const reach = await connectionsInReach(call);
    const triggers = (await triggerStore(call.platform).list()).filter(
      (t) => (!call.input.connectionId || t.connectionId === call.input.connectionId) && (call.grant.rule === 'jiraAdmin' || reach.has(t.connectionId)),
    );
    return { ok: true, triggers: triggers.map((t) => rowOf(t, reach)) };
  },

  saveTrigger: async (call) => {
    const { platform, input } = call;
    const store = triggerStore(platform);
    const existing = input.id ? await triggerInReach(call, input.id) : undefined;
    const connection = await connectionInReach(call, input.connectionId);
    if (connection.state === 'pending') throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet; add triggers once it is active.`);
    // Checked as the person saving it: the count is what they can see.
    const matches = await checkTriggerQuery(call.jira, connection.localProjectKey, input.jql);
    const now = platform.clock.now();
    const trigger: Trigger = {
      id: existing?.id ?? platform.random.uuid(),
      connectionId: connection.id,
      entityType: input.entityType,
      jql: input.jql,
      notes: input.notes,
      active: input.active,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await store.save(trigger);
    return { ok: true, trigger: rowOf(trigger, new Map([[connection.id, connection]])), matches };
  },

  countTriggerMatches: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    return { ok: true, matches: await checkTriggerQuery(call.jira, connection.localProjectKey, call.input.jql), projectKey: connection.localProjectKey };
  },

  deleteTrigger: async (call) => {
    await triggerInReach(call, call.input.id);
    await triggerStore(call.platform).remove(call.input.id);
    return { ok: true, deleted: call.input.id };
  },

  bulkExalate: startFor('bulk-exalate'),
  unbulkExalate: startFor('unbulk-exalate'),

  getJob: async (call) => ({ ok: true, ...publicJob(await jobInReach(call, call.input.id)) }),

  listJobs: async (call) => {
    const { input } = call;
    const reach = await connectionsInReach(call);
    const jobs = (await jobStore(call.platform).list(100)).filter(
      (j) =>
        (!input.triggerId || j.triggerId === input.triggerId) &&
        (!input.connectionId || j.connectionId === input.connectionId) &&
        (call.grant.rule === 'jiraAdmin' || reach.has(j.connectionId)),
    );
    return { ok: true, jobs: jobs.map(publicJob) };
  },

  cancelJob: async (call) => {
    await jobInReach(call, call.input.id);
    return { ok: true, ...publicJob(await cancelJob(call.platform, call.input.id)) };
  },
};
