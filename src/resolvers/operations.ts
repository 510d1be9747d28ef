import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import { getStats, listConnectionRecords, requireConnection } from '../connections/store';
import { twinStore } from '../sync/twins';
import { readStatistics } from '../sync/statistics';
import { requestConnect, winnerOf } from '../operations/connect';
import { cancelConnect } from '../sync/connect-requests';
import { unexalateWork } from '../operations/unexalate';
import { listQueue } from '../operations/queue-view';
import type { Handlers } from './define';
import { assertIssueInScope, connectionInReach, issueInReach } from './scope';

// The UI's API for issue operations (Connect, Unexalate) and the operations
// views (sync queue, statistics).

type Keys = 'connectIssue' | 'unexalateIssue' | 'listQueue' | 'getStatistics';

function requireActive(connection: ConnectionRecord): void {
  if (connection.state !== 'active') throw new AppError('Conflict', `The connection "${connection.name}" is not active.`);
}

export const operationHandlers: Handlers<Keys> = {
  connectIssue: async (call) => {
    const { platform, input } = call;
    const connection = await connectionInReach(call, input.connectionId);
    requireActive(connection);
    const issue = await issueInReach(call, input.issueKey);
    assertIssueInScope(connection, issue);
    // Left out, the choice is "none": what Connect did before there was one. The issue panel asks, and offers "this side wins" first.
    const record = await requestConnect(platform, connection, issue, input.remoteIssueKey.toUpperCase(), winnerOf(input.initialSync));
    // The partner answers asynchronously; the issue panel shows the request until then.
    return { ok: true, state: record.state, issueKey: issue.key, remoteIssueKey: record.remoteIssueKey, connectionId: connection.id, initialSync: input.initialSync ?? 'none' };
  },

  unexalateIssue: async (call) => {
    const { platform, input } = call;
    const connection = await connectionInReach(call, input.connectionId);
    const issue = await issueInReach(call, input.issueKey);
    const twin = await twinStore(platform.kvs).get(connection.id, issue.id);
    if (!twin) {
      // A Connect that is still waiting for the partner is withdrawn instead.
      const withdrawn = await cancelConnect(platform, issue.id, connection.id);
      if (withdrawn) return { ok: true, state: 'cancelled', issueKey: issue.key, remoteKey: withdrawn.remoteIssueKey, connectionId: connection.id };
      throw new AppError('Conflict', `${issue.key} is not synced on the connection "${connection.name}".`);
    }
    // Queued behind what is in flight: the twin ends once the last change has arrived on both sides.
    await platform.queue.push([{ body: unexalateWork(twin, 'manual', platform.clock.now(), false) }]);
    return { ok: true, state: 'stopping', issueKey: issue.key, remoteKey: twin.remoteKey, connectionId: connection.id };
  },

  listQueue: async ({ platform, input }) => ({ ok: true, items: await listQueue(platform, input) }),

  getStatistics: async ({ platform, input }) => {
    const connections = input.connectionId ? [await requireConnection(platform, input.connectionId)] : await listConnectionRecords(platform);
    const now = platform.clock.now();
    const rows = [];
    for (const connection of connections) {
      const stats = await getStats(platform, connection.id);
      rows.push({
        connectionId: connection.id,
        name: connection.name,
        issuesUnderSync: stats.issuesUnderSync,
        lastSync: stats.lastSync,
        ...(await readStatistics(platform, connection.id, input.period, now)),
      });
    }
    return { ok: true, period: input.period, connections: rows };
  },
};
