import { AppError } from '../domain/errors';
import { methodFrom } from '../domain/visual-mapping';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, listConnectionRecords } from '../connections/store';
import { runOutgoing, validateScript } from '../rules';
import { looksLikeGroovy } from '../domain/groovy-signs';
import { BASIC_SYNCS } from '../rules/basic';
import { fieldCatalog, readLocalIssue } from '../sync/issue-reader';
import { getRules, saveRules } from '../sync/rules-store';
import { ruleNameWarnings } from '../sync/rule-names';
import { recordNameCheck } from '../sync/name-drift';
import { twinStore } from '../sync/twins';
import { syncErrorStore } from '../sync/sync-errors';
import { readHistory } from '../sync/history';
import { requestOutgoing } from '../sync/engine';
import { getMapping, sideOf } from '../sync/visual-store';
import { connectRecords } from '../sync/connect-requests';
import { choiceOf } from '../operations/connect';
import type { Handlers } from './define';
import { assertIssueInScope, connectionInReach, issueInReach } from './scope';
import { describeMapping } from './visual';

// The UI's API for rules, manual sync, the issue panel and the Errors page.

type Keys = 'getRules' | 'publishRules' | 'testRules' | 'exalateIssue' | 'getIssueSyncStatus' | 'getIssueHistory' | 'listErrors' | 'retryError' | 'resolveError';

export const syncHandlers: Handlers<Keys> = {
  getRules: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    const rules = await getRules(call.platform, connection);
    const answer = { ok: true as const, mode: connection.mode, editable: connection.mode === 'script', ...rules };
    // Basic and Visual rules are shown read-only, with what they sync in words.
    if (connection.mode === 'basic') return { ...answer, syncs: [...BASIC_SYNCS] };
    if (connection.mode === 'visual') return { ...answer, syncs: (await getMapping(call.platform, connection)).mappings.map(describeMapping) };
    return answer;
  },

  publishRules: async (call) => {
    const { platform, input } = call;
    const connection = await connectionInReach(call, input.connectionId);
    if (connection.mode !== 'script') {
      throw new AppError('Forbidden', `The rules of a ${connection.mode === 'basic' ? 'Basic' : 'Visual'} connection cannot be edited as scripts.`);
    }
    for (const [which, source] of [['outgoing', input.outgoing], ['incoming', input.incoming]] as const) {
      const checked = await validateScript(source, which === 'outgoing' ? 'outgoing.js' : 'incoming.js');
      if (!checked.ok) {
        // The line goes into the message as well: on Forge a resolver error reaches the UI as its message only.
        const where = checked.error.line ? ` (line ${checked.error.line}${checked.error.column ? `, column ${checked.error.column}` : ''})` : '';
        // Admins coming from Exalate paste Groovy: say so, rather than leave them with a JavaScript syntax error.
        const groovy = looksLikeGroovy(source).groovy;
        const hint = groovy ? ' Rules are JavaScript; this looks like Exalate\'s Groovy — the editor can translate it.' : '';
        throw new AppError('ScriptError', `The ${which} script does not compile: ${checked.error.message}${where}${hint}`, { script: which, line: checked.error.line, column: checked.error.column, groovy });
      }
    }
    // Names that do not exist here would fail at the first sync: held back until the admin says to publish anyway.
    // Read as the admin publishing: what they cannot see, they cannot name.
    const scripts = { outgoing: input.outgoing, incoming: input.incoming };
    const warnings = await ruleNameWarnings(platform, connection, { scripts }, call.jira);
    if (warnings.length > 0 && !input.acceptWarnings) return { ok: true, saved: false as const, warnings };
    const current = await getRules(platform, connection);
    const saved = await saveRules(platform, connection.id, scripts, current.version, warnings);
    await recordNameCheck(platform, connection.id, { at: saved.publishedAt ?? platform.clock.now(), cause: 'publish', warnings });
    return { ok: true, saved: true as const, version: saved.version, publishedAt: saved.publishedAt, warnings };
  },

  testRules: async (call) => {
    const { platform, input } = call;
    const connection = await connectionInReach(call, input.connectionId);
    const script = input.outgoing ?? (await getRules(platform, connection)).outgoing;
    const target = await issueInReach(call, input.issueKey);
    // The issue is read as the person testing (they see what Jira lets them see); field names are the app's catalog.
    const catalog = await fieldCatalog(createJiraClient(platform.jira), platform, platform.clock.now());
    let issue;
    try {
      ({ issue } = await readLocalIssue({ jira: call.jira, storage: platform, issueIdOrKey: target.key, catalog }));
    } catch (e) {
      if (isJiraError(e) && e.kind === 'not-found') throw new AppError('NotFound', `Issue ${target.key} does not exist or you do not have permission to see it.`);
      throw e;
    }
    const started = performance.now();
    const run = await runOutgoing({ script, issue });
    const elapsedMs = performance.now() - started;
    if (!run.ok) return { ok: false, error: run.error, logs: run.logs, elapsedMs };
    return { ok: true, replica: run.replica, logs: run.logs, elapsedMs };
  },

  exalateIssue: async (call) => {
    const { platform, input } = call;
    const connection = await connectionInReach(call, input.connectionId);
    if (connection.state !== 'active') throw new AppError('Conflict', `The connection "${connection.name}" is not active.`);
    if (connection.mode === 'visual' && methodFrom(await getMapping(platform, connection), sideOf(connection)) === 'disabled') {
      throw new AppError('Conflict', `Sync from ${connection.localName} is Disabled in the Visual mapping of "${connection.name}": change the sync method to Manual or Automatic first.`);
    }
    const issue = await issueInReach(call, input.issueKey);
    assertIssueInScope(connection, issue);
    await requestOutgoing(platform, connection.id, issue.id, 'manual');
    return { ok: true, issueKey: issue.key, issueId: issue.id, connectionId: connection.id };
  },

  getIssueSyncStatus: async (call) => {
    const { platform } = call;
    const issue = await issueInReach(call, call.input.issueKey);
    const twins = await twinStore(platform.kvs).listForIssue(issue.id);
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
        status: error?.status === 'open' ? ('error' as const) : twin.status,
        error: error?.status === 'open' ? { id: error.id, message: error.message, line: error.scriptLine } : null,
        lastSyncAt: twin.lastSyncAt,
      });
    }
    // Only connections whose project is the issue's can take it.
    const connections = (await listConnectionRecords(platform)).filter((c) => c.state === 'active' && c.localProjectKey.toUpperCase() === issue.projectKey.toUpperCase());
    const names = new Map(connections.map((c) => [c.id, c.name]));
    // Connect requests waiting for the partner's answer, or refused by it.
    const connects = [];
    for (const c of await connectRecords(platform, issue.id)) {
      // A refusal stops mattering once the issue is synced on that connection another way.
      if (twins.some((t) => t.connectionId === c.connectionId)) continue;
      const connectionName = names.get(c.connectionId) ?? (await getConnection(platform, c.connectionId))?.name ?? '(deleted connection)';
      connects.push({ connectionId: c.connectionId, connectionName, remoteIssueKey: c.remoteIssueKey, state: c.state, reason: c.reason, requestedAt: c.requestedAt, initialSync: choiceOf(c.initialSync) });
    }
    const synced = new Set([...twins.map((t) => t.connectionId), ...connects.filter((c) => c.state === 'pending').map((c) => c.connectionId)]);
    // Only someone who may edit the issue is offered the actions that change how it syncs.
    const mayEdit = call.grant.rule !== 'issueBrowse' || call.grant.canEdit;
    const open = mayEdit ? connections.filter((c) => !synced.has(c.id)).map((c) => ({ connectionId: c.id, name: c.name })) : [];
    return {
      ok: true,
      issueKey: issue.key,
      twins: rows,
      connects,
      operations: {
        exalate: open,
        connect: open,
        unexalate: mayEdit ? rows.map((r) => ({ connectionId: r.connectionId, name: r.connectionName })) : [],
      },
    };
  },

  getIssueHistory: async (call) => {
    const issue = await issueInReach(call, call.input.issueKey);
    const twins = await twinStore(call.platform.kvs).listForIssue(issue.id);
    const entries = (await Promise.all(twins.map((t) => readHistory(call.platform.kvs, t.connectionId, t.localIssueId)))).flat().sort((a, b) => b.at - a.at);
    return { ok: true, issueKey: issue.key, entries };
  },

  listErrors: async ({ platform, input }) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const page = await errors.list({ connectionId: input.connectionId, status: input.status ?? 'open', cursor: input.cursor });
    const names = new Map((await listConnectionRecords(platform)).map((c) => [c.id, c.name]));
    return { ok: true, errors: page.errors.map((e) => ({ ...e, connectionName: names.get(e.connectionId) ?? '(deleted connection)' })), nextCursor: page.nextCursor ?? null };
  },

  retryError: async ({ platform, input }) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const error = await errors.resolve(input.id);
    if (!error) throw new AppError('NotFound', 'That error no longer exists.');
    if (error.phase === 'outgoing' && error.localIssueId) await requestOutgoing(platform, error.connectionId, error.localIssueId, 'retry');
    if (error.phase === 'incoming') {
      const twin = error.localIssueId ? await twinStore(platform.kvs).get(error.connectionId, error.localIssueId) : undefined;
      const remoteIssueId = twin?.remoteIssueId ?? error.remoteIssueId;
      if (twin && error.severity !== 'warning') await twinStore(platform.kvs).save({ ...twin, blockedBy: null });
      if (remoteIssueId) await platform.queue.push([{ body: { kind: 'sync.incoming', connectionId: error.connectionId, remoteIssueId } }]);
    }
    return { ok: true, retried: error.id };
  },

  resolveError: async ({ platform, input }) => {
    const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
    const error = await errors.resolve(input.id);
    if (!error) throw new AppError('NotFound', 'That error no longer exists.');
    if (error.localIssueId && error.severity !== 'warning') {
      const twin = await twinStore(platform.kvs).get(error.connectionId, error.localIssueId);
      if (twin) await twinStore(platform.kvs).save({ ...twin, blockedBy: null, status: 'pending' });
    }
    return { ok: true, resolved: error.id };
  },
};
