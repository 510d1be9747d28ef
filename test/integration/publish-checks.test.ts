import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, drain, invoke, jira, twoSites } from './helpers';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules';

// Rules checked at publish (names that do not exist are held back with their
// line until the admin publishes anyway), the drift check in maintenance, and
// a failed first sync shown on the sending side with the partner's reason.

let rt: Awaited<ReturnType<typeof twoSites>>;
let ids: { blueConnectionId: string; greenConnectionId: string };
beforeAll(async () => {
  rt = await twoSites();
  ids = await connect(rt);
});
afterAll(() => rt?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Warning { script: string; line: number; kind: string; side: string; name: string; message: string; suggestion?: string }
type Publish = { saved: boolean; version?: number; warnings: Warning[] };
type Rules = { version: number; incoming: string; warnings?: Warning[] };
type SyncErrorRow = { phase: string; kind: string; message: string; issueKey: string | null; scriptLine: number | null };

const outgoing = defaultOutgoingScript();
const withStatus = (status: string, projectKey = 'SC') => `${defaultIncomingScript({ projectKey })}\nissue.setStatus(${JSON.stringify(status)});\n`;
const lineOf = (script: string, text: string) => script.split('\n').findIndex((l) => l.includes(text)) + 1;
const rename = (site: string, id: string, name: string, category: 'TODO' | 'IN_PROGRESS' | 'DONE') =>
  jira(rt, site, 'PUT', '/statuses', { statuses: [{ id, name, statusCategory: category }] });
const errorsOn = async (site: string, connectionId: string) => (await invoke<{ errors: SyncErrorRow[] }>(rt, site, 'listErrors', { connectionId })).errors;
const rowOf = async (site: string, id: string) =>
  (await invoke<{ connections: { id: string; ruleWarnings?: Warning[] }[] }>(rt, site, 'listConnections')).connections.find((c) => c.id === id)!;
const maintenance = async () => {
  rt.forge.fireScheduledTriggers();
  await drain(rt);
};

describe('publish checks the names the rules refer to', () => {
  it('a status that exists gives no warning and publishes', async () => {
    const incoming = withStatus('In Review');
    const answer = await invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming });
    expect(answer).toMatchObject({ saved: true, warnings: [] });
    expect((await invoke<Rules>(rt, 'green', 'getRules', { connectionId: ids.greenConnectionId })).incoming).toBe(incoming);
  });

  it('a missing status is held back with its line and the nearest name; nothing is saved', async () => {
    const before = await invoke<Rules>(rt, 'green', 'getRules', { connectionId: ids.greenConnectionId });
    const incoming = withStatus('In Reveiw');
    const answer = await invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming });
    expect(answer).toEqual({
      ok: true,
      saved: false,
      warnings: [{ script: 'incoming', line: lineOf(incoming, 'In Reveiw'), kind: 'status', side: 'local', name: 'In Reveiw', suggestion: 'In Review', message: 'No status "In Reveiw" on this site; did you mean "In Review"?' }],
    });
    const after = await invoke<Rules>(rt, 'green', 'getRules', { connectionId: ids.greenConnectionId });
    expect(after.version).toBe(before.version);
    expect(after.incoming).toBe(before.incoming);
  });

  it('publishing anyway saves and records the warnings, on the rules and on the Connections page', async () => {
    // The project is one blue has, not green: the first sync will fail on it.
    const incoming = withStatus('In Review', 'NOPE');
    const held = await invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming });
    expect(held.saved).toBe(false);
    expect(held.warnings.map((w) => [w.kind, w.name, w.line])).toEqual([['project', 'NOPE', lineOf(incoming, '"NOPE"')]]);
    const saved = await invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming, acceptWarnings: true });
    expect(saved).toMatchObject({ saved: true, warnings: held.warnings });
    const rules = await invoke<Rules>(rt, 'green', 'getRules', { connectionId: ids.greenConnectionId });
    expect(rules.incoming).toBe(incoming);
    expect(rules.warnings).toEqual(held.warnings);
    expect((await rowOf('green', ids.greenConnectionId)).ruleWarnings).toEqual(held.warnings);
  });

  it('a Visual mapping naming a missing value is held back the same way', async () => {
    const visual = await connect(rt, { mode: 'visual' });
    const loaded = await invoke<{ mapping: { mappings: { id: string; values?: unknown[] }[] } & Record<string, unknown> }>(rt, 'blue', 'getMapping', { connectionId: visual.blueConnectionId });
    const mapping = { ...loaded.mapping, mappings: loaded.mapping.mappings.map((m) => (m.id === 'status' ? { ...m, values: [{ inviter: 'Todo', invitee: 'Open' }] } : m)) };
    const held = await invoke<Publish>(rt, 'blue', 'publishMapping', { connectionId: visual.blueConnectionId, mapping });
    expect(held).toMatchObject({ saved: false, warnings: [{ script: 'mapping', kind: 'status', side: 'local', name: 'Todo', suggestion: 'To Do' }] });
    const saved = await invoke<Publish>(rt, 'blue', 'publishMapping', { connectionId: visual.blueConnectionId, mapping, acceptWarnings: true });
    expect(saved).toMatchObject({ saved: true, version: 1 });
  });
});

describe('a first sync that fails on the receiving side', () => {
  it('shows on the sending side as an error with the partner’s reason, not "pending"', async () => {
    const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Goes nowhere' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: ids.blueConnectionId, issueKey: created.body.key });
    await drain(rt);

    const status = await invoke<{ twins: { status: string; error: { message: string } | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    expect(status.twins).toHaveLength(1);
    expect(status.twins[0]!.status).toBe('error');
    expect(status.twins[0]!.error?.message).toMatch(/^GreenJira could not create the issue: .*Specify a valid project ID or key/);
    const history = await invoke<{ entries: { direction: string; outcome: string; message?: string }[] }>(rt, 'blue', 'getIssueHistory', { issueKey: created.body.key });
    expect(history.entries[0]).toMatchObject({ direction: 'out', outcome: 'error', message: expect.stringContaining('could not create the issue') });
    const blueErrors = await errorsOn('blue', ids.blueConnectionId);
    expect(blueErrors.find((e) => e.issueKey === created.body.key)).toMatchObject({ phase: 'outgoing', kind: 'partner-first-sync-failed' });
  });

  it('a retry on the receiving side that fails again updates the same error on the sending side', async () => {
    const greenError = (await errorsOn('green', ids.greenConnectionId)).find((e) => e.phase === 'incoming') as SyncErrorRow & { id: string };
    expect(greenError.message).toMatch(/Specify a valid project/);
    await invoke(rt, 'green', 'retryError', { id: greenError.id });
    await drain(rt);
    const sender = (await errorsOn('blue', ids.blueConnectionId)).filter((e) => e.kind === 'partner-first-sync-failed') as (SyncErrorRow & { attempts: number })[];
    expect(sender).toHaveLength(1);
    expect(sender[0]!.attempts).toBe(2);
  });
});

describe('drift: names that were renamed after publishing', () => {
  it('a sync that failed on a missing value has the names checked at the next maintenance run, not a day later', async () => {
    // Published above with "In Review", which existed then; renamed since.
    expect((await rename('green', '10003', 'Peer Review', 'IN_PROGRESS')).status).toBe(204);
    await maintenance();
    const drift = (await errorsOn('green', ids.greenConnectionId)).filter((e) => e.phase === 'rules');
    expect(drift).toHaveLength(1);
    expect(drift[0]!.kind).toBe('rule-name-missing');
    // The name published anyway (NOPE) was known; only the drifted one is told.
    expect(drift[0]!.message).toContain('status "In Review"');
    expect(drift[0]!.message).not.toContain('NOPE');
    expect((await rowOf('green', ids.greenConnectionId)).ruleWarnings?.map((w) => w.name).sort()).toEqual(['In Review', 'NOPE']);
  });

  it('otherwise once a day: a rename is not seen before the day is over, and is seen after', async () => {
    const incoming = withStatus('Backlog', 'UD');
    expect(await invoke<Publish>(rt, 'blue', 'publishRules', { connectionId: ids.blueConnectionId, outgoing, incoming })).toMatchObject({ saved: true, warnings: [] });
    expect((await rename('blue', '10003', 'Icebox', 'TODO')).status).toBe(204);
    const ruleErrors = async () => (await errorsOn('blue', ids.blueConnectionId)).filter((e) => e.phase === 'rules');

    vi.setSystemTime(Date.now() + 60 * 60_000);
    await maintenance();
    expect(await ruleErrors()).toEqual([]);

    vi.setSystemTime(Date.now() + 24 * 60 * 60_000);
    await maintenance();
    const drift = await ruleErrors();
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ kind: 'rule-name-missing', scriptLine: lineOf(incoming, '"Backlog"') });
    expect(drift[0]!.message).toContain('status "Backlog" (the incoming script');
    expect((await rowOf('blue', ids.blueConnectionId)).ruleWarnings?.map((w) => w.name)).toEqual(['Backlog']);

    // Told once: the next day's check finds the same name missing and says nothing new.
    vi.setSystemTime(Date.now() + 24 * 60 * 60_000);
    await maintenance();
    expect(await ruleErrors()).toHaveLength(1);
    expect((await ruleErrors())[0]).toMatchObject({ kind: 'rule-name-missing' });
  });
});

describe('the receiving side fixes its rules and retries', () => {
  it('the issue is made, and the sender’s error clears with the ack', async () => {
    await invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming: defaultIncomingScript({ projectKey: 'SC' }) });
    const greenError = (await errorsOn('green', ids.greenConnectionId)).find((e) => e.phase === 'incoming') as SyncErrorRow & { id: string };
    await invoke(rt, 'green', 'retryError', { id: greenError.id });
    await drain(rt);
    const blueIssue = (await errorsOn('blue', ids.blueConnectionId)).find((e) => e.kind === 'partner-first-sync-failed');
    expect(blueIssue).toBeUndefined();
    const search = await jira(rt, 'blue', 'POST', '/search/jql', { jql: 'project = UD AND summary ~ "Goes nowhere"', fields: ['summary'] });
    const key = search.body.issues[0].key as string;
    const status = await invoke<{ twins: { status: string; remoteKey: string | null; error: unknown }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
    expect(status.twins[0]).toMatchObject({ status: 'synchronized', remoteKey: expect.stringMatching(/^SC-/), error: null });
  });
});
