import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AppError } from '../domain/errors';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getStats, listConnectionRecords, requireConnection } from '../connections/store';
import { issueBrowseUrl } from '../sync/issue-reader';
import { twinStore } from '../sync/twins';
import { readStatistics, StatisticsPeriod } from '../sync/statistics';
import { cancelConnect, requestConnect } from '../triggers/connect';
import { unexalateWork } from '../triggers/unexalate';
import { listQueue, QueueDirection, QueueKind } from '../triggers/queue-view';
import { defineResolver, type ResolverHandler } from './define';

// The UI's API for issue operations (Connect, Unexalate) and the operations
// views (sync queue, statistics).

const Id = z.string().trim().min(1, 'is required').max(100);
const IssueKey = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255)
  .regex(/^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/, 'is not an issue key (e.g. UD-12)');

async function issueOf(platform: Platform, key: string) {
  try {
    const issue = await createJiraClient(platform.jira).issues.get(key, { fields: ['project'] });
    return { id: issue.id, key: issue.key, projectKey: issue.fields.project?.key ?? '', url: issue.self ? issueBrowseUrl(issue.self, issue.key) : null };
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') throw new AppError('NotFound', `Issue ${key} does not exist or the app cannot see it.`);
    throw e;
  }
}

function requireActive(connection: ConnectionRecord): void {
  if (connection.state !== 'active') throw new AppError('Conflict', `The connection "${connection.name}" is not active.`);
}

export const operationResolvers: Record<string, ResolverHandler> = {
  connectIssue: defineResolver(z.object({ connectionId: Id, issueKey: IssueKey, remoteIssueKey: IssueKey }), async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    requireActive(connection);
    const issue = await issueOf(platform, payload.issueKey);
    if (connection.kind === 'local' && issue.projectKey !== connection.localProjectKey) {
      throw new AppError('BadInput', `${issue.key} is not in project ${connection.localProjectKey}, the project of this side of the connection.`);
    }
    const record = await requestConnect(platform, connection, issue, payload.remoteIssueKey.toUpperCase());
    // The partner answers asynchronously; the issue panel shows the request until then.
    return { ok: true, state: record.state, issueKey: issue.key, remoteIssueKey: record.remoteIssueKey, connectionId: connection.id };
  }),

  unexalateIssue: defineResolver(z.object({ connectionId: Id, issueKey: IssueKey }), async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    const issue = await issueOf(platform, payload.issueKey);
    const twin = await twinStore(platform.kvs).get(connection.id, issue.id);
    if (!twin) {
      // A Connect that is still waiting for the partner is withdrawn instead.
      const withdrawn = await cancelConnect(platform.kvs, issue.id, connection.id);
      if (withdrawn) return { ok: true, state: 'cancelled', issueKey: issue.key, remoteKey: withdrawn.remoteIssueKey, connectionId: connection.id };
      throw new AppError('Conflict', `${issue.key} is not synced on the connection "${connection.name}".`);
    }
    // Queued behind what is in flight: the twin ends once the last change has arrived on both sides.
    await platform.queue.push([{ body: unexalateWork(twin, 'manual', platform.clock.now(), false) }]);
    return { ok: true, state: 'stopping', issueKey: issue.key, remoteKey: twin.remoteKey, connectionId: connection.id };
  }),

  listQueue: defineResolver(
    z.object({ connectionId: Id.optional(), direction: QueueDirection.optional(), kind: QueueKind.optional(), limit: z.number().int().min(1).max(500).optional() }),
    async (platform, payload) => ({ ok: true, items: await listQueue(platform, payload) }),
  ),

  getStatistics: defineResolver(z.object({ connectionId: Id.optional(), period: StatisticsPeriod.default('week') }), async (platform, payload) => {
    const connections = payload.connectionId ? [await requireConnection(platform, payload.connectionId)] : await listConnectionRecords(platform);
    const now = platform.clock.now();
    const rows = [];
    for (const connection of connections) {
      const stats = await getStats(platform, connection.id);
      rows.push({
        connectionId: connection.id,
        name: connection.name,
        issuesUnderSync: stats.issuesUnderSync,
        lastSync: stats.lastSync,
        ...(await readStatistics(platform.kvs, connection.id, payload.period, now)),
      });
    }
    return { ok: true, period: payload.period, connections: rows };
  }),
};
