import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, requireConnection, listConnectionRecords } from '../connections/store';
import { runOutgoing, validateScript } from '../rules';
import { fieldCatalog, readLocalIssue } from '../sync/issue-reader';
import { getRules, saveRules } from '../sync/rules-store';
import { twinStore } from '../sync/twins';
import { syncErrorStore } from '../sync/sync-errors';
import { readHistory } from '../sync/history';
import { requestOutgoing } from '../sync/engine';
import { connectRecords } from '../triggers/connect';
import { defineResolver, type ResolverHandler } from './define';

// The UI's API for rules, manual sync, the issue panel and the Errors page.

const ConnectionId = z.object({ connectionId: z.string().min(1, 'is required') });
const IssueKey = z.string().trim().min(1, 'is required').max(255);

async function readIssue(platform: Platform, issueKey: string) {
  const jira = createJiraClient(platform.jira);
  try {
    return await readLocalIssue({ jira, kvs: platform.kvs, issueIdOrKey: issueKey, catalog: await fieldCatalog(jira, platform.kvs, platform.clock.now()) });
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') throw new AppError('NotFound', `Issue ${issueKey} does not exist or the app cannot see it.`);
    throw e;
  }
}

export const syncResolvers: Record<string, ResolverHandler> = {
  getRules: defineResolver(ConnectionId, async (platform, { connectionId }) => {
    const connection = await requireConnection(platform, connectionId);
    const rules = await getRules(platform, connection);
    return { ok: true, mode: connection.mode, editable: connection.mode === 'script', ...rules };
  }),

  publishRules: defineResolver(ConnectionId.extend({ outgoing: z.string().max(100_000), incoming: z.string().max(100_000) }), async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    if (connection.mode !== 'script') {
      throw new AppError('Forbidden', `The rules of a ${connection.mode === 'basic' ? 'Basic' : 'Visual'} connection cannot be edited as scripts.`);
    }
    for (const [which, source] of [['outgoing', payload.outgoing], ['incoming', payload.incoming]] as const) {
      const checked = await validateScript(source, which === 'outgoing' ? 'outgoing.js' : 'incoming.js');
      if (!checked.ok) {
        // The line goes into the message as well: on Forge a resolver error reaches the UI as its message only.
        const where = checked.error.line ? ` (line ${checked.error.line}${checked.error.column ? `, column ${checked.error.column}` : ''})` : '';
        throw new AppError('ScriptError', `The ${which} script does not compile: ${checked.error.message}${where}`, { script: which, line: checked.error.line, column: checked.error.column });
      }
    }
    const current = await getRules(platform, connection);
    const saved = await saveRules(platform, connection.id, { outgoing: payload.outgoing, incoming: payload.incoming }, current.version);
    return { ok: true, version: saved.version, publishedAt: saved.publishedAt };
  }),

  testRules: defineResolver(ConnectionId.extend({ issueKey: IssueKey, outgoing: z.string().max(100_000).optional() }), async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    const script = payload.outgoing ?? (await getRules(platform, connection)).outgoing;
    const { issue } = await readIssue(platform, payload.issueKey);
    const started = performance.now();
    const run = await runOutgoing({ script, issue });
    const elapsedMs = performance.now() - started;
    if (!run.ok) return { ok: false, error: run.error, logs: run.logs, elapsedMs };
    return { ok: true, replica: run.replica, logs: run.logs, elapsedMs };
  }),

  exalateIssue: defineResolver(ConnectionId.extend({ issueKey: IssueKey }), async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    if (connection.state !== 'active') throw new AppError('Conflict', `The connection "${connection.name}" is not active.`);
    const { issue } = await readIssue(platform, payload.issueKey);
    if (connection.kind === 'local' && issue.projectKey !== connection.localProjectKey) {
      throw new AppError('BadInput', `${issue.key} is not in project ${connection.localProjectKey}, the project of this side of the connection.`);
    }
    await requestOutgoing(platform, connection.id, issue.id, 'manual');
    return { ok: true, issueKey: issue.key, issueId: issue.id, connectionId: connection.id };
  }),

  getIssueSyncStatus: defineResolver(z.object({ issueKey: IssueKey }), async (platform, payload) => {
    const jira = createJiraClient(platform.jira);
    const raw = await jira.issues.get(payload.issueKey, { fields: ['project'] }).catch((e) => {
      if (isJiraError(e) && e.kind === 'not-found') throw new AppError('NotFound', `Issue ${payload.issueKey} does not exist or the app cannot see it.`);
      throw e;
    });
    const twins = await twinStore(platform.kvs).listForIssue(raw.id);
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const rows = [];
    for (const twin of twins) {
      const connection = await getConnection(platform, twin.connectionId);
      const error = twin.blockedBy ? await errors.get(twin.blockedBy) : undefined;
      rows.push({
        connectionId: twin.connectionId,
        connectionName: connection?.name ?? '(deleted connection)',
        remoteKey: twin.remoteKey,
        remoteUrl: twin.remoteUrl,
        status: error?.status === 'open' ? 'error' : twin.status,
        error: error?.status === 'open' ? { id: error.id, message: error.message, line: error.scriptLine } : null,
        lastSyncAt: twin.lastSyncAt,
      });
    }
    const connections = (await listConnectionRecords(platform)).filter((c) => c.state === 'active' && c.localProjectKey === raw.fields.project?.key);
    const names = new Map(connections.map((c) => [c.id, c.name]));
    // Connect requests waiting for the partner's answer, or refused by it.
    const connects = [];
    for (const c of await connectRecords(platform.kvs, raw.id)) {
      // A refusal stops mattering once the issue is synced on that connection another way.
      if (twins.some((t) => t.connectionId === c.connectionId)) continue;
      const connectionName = names.get(c.connectionId) ?? (await getConnection(platform, c.connectionId))?.name ?? '(deleted connection)';
      connects.push({ connectionId: c.connectionId, connectionName, remoteIssueKey: c.remoteIssueKey, state: c.state, reason: c.reason, requestedAt: c.requestedAt });
    }
    const synced = new Set([...twins.map((t) => t.connectionId), ...connects.filter((c) => c.state === 'pending').map((c) => c.connectionId)]);
    const open = connections.filter((c) => !synced.has(c.id)).map((c) => ({ connectionId: c.id, name: c.name }));
    return {
      ok: true,
      issueKey: raw.key,
      twins: rows,
      connects,
      operations: {
        exalate: open,
        connect: open,
        unexalate: rows.map((r) => ({ connectionId: r.connectionId, name: r.connectionName })),
      },
    };
  }),

  getIssueHistory: defineResolver(z.object({ issueKey: IssueKey }), async (platform, payload) => {
    const jira = createJiraClient(platform.jira);
    const raw = await jira.issues.get(payload.issueKey, { fields: ['project'] });
    const twins = await twinStore(platform.kvs).listForIssue(raw.id);
    const entries = (await Promise.all(twins.map((t) => readHistory(platform.kvs, t.connectionId, t.localIssueId)))).flat().sort((a, b) => b.at - a.at);
    return { ok: true, issueKey: raw.key, entries };
  }),

  listErrors: defineResolver(z.object({ connectionId: z.string().optional(), status: z.enum(['open', 'resolved']).optional(), cursor: z.string().optional() }), async (platform, payload) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const page = await errors.list({ connectionId: payload.connectionId, status: payload.status ?? 'open', cursor: payload.cursor });
    const names = new Map((await listConnectionRecords(platform)).map((c) => [c.id, c.name]));
    return { ok: true, errors: page.errors.map((e) => ({ ...e, connectionName: names.get(e.connectionId) ?? '(deleted connection)' })), nextCursor: page.nextCursor ?? null };
  }),

  retryError: defineResolver(z.object({ id: z.string().min(1) }), async (platform, payload) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const error = await errors.resolve(payload.id);
    if (!error) throw new AppError('NotFound', 'That error no longer exists.');
    if (error.phase === 'outgoing' && error.localIssueId) await requestOutgoing(platform, error.connectionId, error.localIssueId, 'retry');
    if (error.phase === 'incoming') {
      const twin = error.localIssueId ? await twinStore(platform.kvs).get(error.connectionId, error.localIssueId) : undefined;
      const remoteIssueId = twin?.remoteIssueId ?? error.remoteIssueId;
      if (twin) await twinStore(platform.kvs).save({ ...twin, blockedBy: null });
      if (remoteIssueId) await platform.queue.push([{ body: { kind: 'sync.incoming', connectionId: error.connectionId, remoteIssueId } }]);
    }
    return { ok: true, retried: error.id };
  }),

  resolveError: defineResolver(z.object({ id: z.string().min(1) }), async (platform, payload) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const error = await errors.resolve(payload.id);
    if (!error) throw new AppError('NotFound', 'That error no longer exists.');
    if (error.localIssueId) {
      const twin = await twinStore(platform.kvs).get(error.connectionId, error.localIssueId);
      if (twin) await twinStore(platform.kvs).save({ ...twin, blockedBy: null, status: 'pending' });
    }
    return { ok: true, resolved: error.id };
  }),
};
