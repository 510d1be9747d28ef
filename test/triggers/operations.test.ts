import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, invoke, jira, OUTLASTS_WAITS, withClockMoving } from '../integration/helpers';
import { connectedSites, createIssue, drain, failure, issuesUnderSync, searchAll, stop, syncStatus } from './helpers';

// Connect and Unexalate on single issues, and what the Statistics and Sync
// queue views report about them, between blue (UD) and green (SC).

let rt: Awaited<ReturnType<typeof connectedSites>>['rt'];
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  ({ rt, blueConnectionId, greenConnectionId } = await connectedSites());
});
afterAll(() => stop(rt));

const summaryOf = async (site: string, key: string) => (await jira(rt, site, 'GET', `/issue/${key}`)).body.fields.summary as string;
const edit = (site: string, key: string, fields: Record<string, unknown>) => jira(rt, site, 'PUT', `/issue/${key}`, { fields });

interface Totals {
  out: number;
  in: number;
  created: number;
  errors: number;
  latency: { count: number; medianMs: number | null; p95Ms: number | null };
}
interface StatsRow {
  connectionId: string;
  issuesUnderSync: number;
  bucket: string;
  totals: Totals;
  buckets: (Totals & { start: number })[];
}
const statistics = async (site: string, connectionId: string, period = 'day') =>
  (await invoke<{ connections: StatsRow[] }>(rt, site, 'getStatistics', { connectionId, period })).connections[0]!;

describe('Connect', () => {
  let blueKey: string;
  let greenKey: string;

  it('links two existing issues without creating any, once the partner has answered', async () => {
    blueKey = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Login page (blue)' })).key;
    greenKey = (await createIssue(rt, 'green', { project: { key: 'SC' }, summary: 'Login screen (green)' })).key;
    await drain(rt);
    const blueBefore = (await searchAll(rt, 'blue', 'project = UD')).length;
    const greenBefore = (await searchAll(rt, 'green', 'project = SC')).length;

    const answer = await invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: blueKey, remoteIssueKey: greenKey });
    expect(answer).toMatchObject({ ok: true, state: 'pending', remoteIssueKey: greenKey });
    // Until the partner answers, the panel shows the request and offers no other way in.
    const waiting = await syncStatus(rt, 'blue', blueKey);
    expect(waiting.twins).toEqual([]);
    expect(waiting.connects).toEqual([expect.objectContaining({ connectionId: blueConnectionId, remoteIssueKey: greenKey, state: 'pending' })]);
    expect(waiting.operations.connect).toEqual([]);
    expect(waiting.operations.exalate).toEqual([]);
    expect(await failure(invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: blueKey, remoteIssueKey: greenKey }))).toContain('waiting');

    await drain(rt);
    const blue = await syncStatus(rt, 'blue', blueKey);
    expect(blue.twins).toEqual([expect.objectContaining({ connectionId: blueConnectionId, remoteKey: greenKey, status: 'synchronized' })]);
    expect(blue.connects).toEqual([]);
    expect(blue.operations.unexalate).toEqual([expect.objectContaining({ connectionId: blueConnectionId })]);
    expect((await syncStatus(rt, 'green', greenKey)).twins).toEqual([expect.objectContaining({ connectionId: greenConnectionId, remoteKey: blueKey, status: 'synchronized' })]);
    // Nothing created, nothing changed.
    expect((await searchAll(rt, 'blue', 'project = UD')).length).toBe(blueBefore);
    expect((await searchAll(rt, 'green', 'project = SC')).length).toBe(greenBefore);
    expect(await summaryOf('green', greenKey)).toBe('Login screen (green)');
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(1);
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(1);
    expect((await statistics('blue', blueConnectionId)).totals).toMatchObject({ created: 1, out: 0, in: 0 });
    expect((await statistics('green', greenConnectionId)).totals).toMatchObject({ created: 1, out: 0, in: 0 });
  });

  it('then syncs later changes both ways by the rules', async () => {
    await edit('blue', blueKey, { summary: 'Login page', description: adf('Use the new design') });
    await drain(rt);
    expect(await summaryOf('green', greenKey)).toBe('Login page');
    await jira(rt, 'green', 'POST', `/issue/${greenKey}/comment`, { body: adf('Reviewed on green') });
    await drain(rt);
    const blue = (await jira(rt, 'blue', 'GET', `/issue/${blueKey}`)).body;
    expect(JSON.stringify(blue.fields.comment.comments.map((c: { body: unknown }) => c.body))).toContain('Reviewed on green');
    const history = await invoke<{ entries: { direction: string; cause: string; outcome: string; changes: { field: string }[] }[] }>(rt, 'blue', 'getIssueHistory', {
      issueKey: blueKey,
    });
    // Newest first: applied the comment, sent the edit, connected.
    expect(history.entries.map((e) => [e.direction, e.outcome])).toEqual([
      ['in', 'applied'],
      ['out', 'sent'],
      ['out', 'connected'],
    ]);
    expect(history.entries[1]!.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['summary', 'description']));
    expect((await statistics('blue', blueConnectionId)).totals).toMatchObject({ created: 1, out: 1, in: 1, errors: 0 });
  });

  it('refuses an issue already synced, a partner issue outside its project, taken, or missing', async () => {
    expect(await failure(invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: blueKey, remoteIssueKey: 'SC-1' }))).toMatch(
      /409: .* is already synced on the connection/,
    );
    expect(await failure(invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: 'UD 1', remoteIssueKey: 'SC-1' }))).toContain(
      'issueKey: is not an issue key',
    );
    const other = (await createIssue(rt, 'green', { project: { key: 'CM' }, summary: 'Elsewhere on green' })).key;
    const cases = [
      { remote: other, reason: /outside this connection's project SC/ },
      { remote: greenKey, reason: new RegExp(`${greenKey} is already synced on this connection`) },
      { remote: 'SC-9999', reason: /There is no issue SC-9999/ },
    ];
    for (const { remote, reason } of cases) {
      const local = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: `Wants ${remote}` })).key;
      await invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: local, remoteIssueKey: remote });
      await drain(rt);
      const status = await syncStatus(rt, 'blue', local);
      expect(status.twins).toEqual([]);
      expect(status.connects).toEqual([expect.objectContaining({ state: 'refused', remoteIssueKey: remote, reason: expect.stringMatching(reason) })]);
      // Refused: the issue can be exalated or connected again.
      expect(status.operations.connect).toEqual([expect.objectContaining({ connectionId: blueConnectionId })]);
    }
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(1);
  });

  it('withdraws a Connect still waiting for its answer, undoing the partner’s half when the answer comes', async () => {
    const local = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Changed my mind' })).key;
    const remote = (await createIssue(rt, 'green', { project: { key: 'SC' }, summary: 'Never mind' })).key;
    await drain(rt);
    // green's answer would reach blue from the invocation that links green's side; its delivery lease is
    // refused once (a storage rate limit), so the answer waits in the queue.
    rt.forge.kvs.refuseNext('local-green', (path, body) => path === '/api/v1/set' && (body as { key: string }).key.startsWith('lease:'), OUTLASTS_WAITS);
    await withClockMoving(rt, invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: local, remoteIssueKey: remote }));
    // The partner takes the request and links its side before the withdrawal is noticed.
    while ((await syncStatus(rt, 'green', remote)).twins.length === 0) await withClockMoving(rt, rt.forge.runDue(1));
    const answer = await invoke(rt, 'blue', 'unexalateIssue', { connectionId: blueConnectionId, issueKey: local });
    expect(answer).toMatchObject({ state: 'cancelled', remoteKey: remote });
    await drain(rt);
    expect((await syncStatus(rt, 'blue', local)).twins).toEqual([]);
    expect((await syncStatus(rt, 'blue', local)).connects).toEqual([]);
    expect((await syncStatus(rt, 'green', remote)).twins).toEqual([]);
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(1);
  });

  it('Unexalate lets the last change arrive, then stops syncing on both sides and keeps both issues', async () => {
    await edit('blue', blueKey, { summary: 'Login page, final' });
    const answer = await invoke(rt, 'blue', 'unexalateIssue', { connectionId: blueConnectionId, issueKey: blueKey });
    expect(answer).toMatchObject({ ok: true, state: 'stopping', remoteKey: greenKey });
    await drain(rt);
    expect(await summaryOf('green', greenKey)).toBe('Login page, final');
    expect((await syncStatus(rt, 'blue', blueKey)).twins).toEqual([]);
    expect((await syncStatus(rt, 'green', greenKey)).twins).toEqual([]);
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(0);
    expect(await issuesUnderSync(rt, 'green', greenConnectionId)).toBe(0);

    await edit('blue', blueKey, { summary: 'Blue after unexalate' });
    await edit('green', greenKey, { summary: 'Green after unexalate' });
    await drain(rt);
    expect(await summaryOf('green', greenKey)).toBe('Green after unexalate');
    expect(await summaryOf('blue', blueKey)).toBe('Blue after unexalate');
    expect(await failure(invoke(rt, 'blue', 'unexalateIssue', { connectionId: blueConnectionId, issueKey: blueKey }))).toMatch(/409: .* is not synced/);
    expect((await invoke<{ items: unknown[] }>(rt, 'blue', 'listQueue', {})).items).toEqual([]);
    expect((await invoke<{ items: unknown[] }>(rt, 'green', 'listQueue', {})).items).toEqual([]);
  });
});

describe('Statistics and the sync queue', () => {
  it('measure latency from the sender’s send to the change applied, in hour buckets', async () => {
    vi.setSystemTime(Date.parse('2026-11-23T14:58:00Z'));
    const key = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Slow road' })).key;
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: key });
    await drain(rt);
    // In the next hour, a change waits five minutes on a deactivated connection.
    vi.setSystemTime(Date.parse('2026-11-23T15:00:00Z'));
    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: blueConnectionId, active: false });
    await edit('blue', key, { summary: 'Slow road, edited' });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3, 4])], { type: 'application/octet-stream' }), 'map.bin');
    expect((await rt.fetch(`/blue/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form })).status).toBe(200);
    await drain(rt);
    // Held on the sending side: the replicas in the Sync queue, the small file's bytes inside the last one
    // (green said, answering the first sync, that it takes files that way).
    const held = (kind: string) => invoke<{ items: Record<string, unknown>[] }>(rt, 'blue', 'listQueue', { connectionId: blueConnectionId, direction: 'outgoing', kind });
    expect((await held('attachment')).items).toEqual([]);
    const replicas = (await held('issue')).items;
    expect(replicas.length).toBeGreaterThanOrEqual(1);
    for (const item of replicas) expect(item).toMatchObject({ type: 'replica', issueKey: key, attempts: 0, status: 'held: the connection is deactivated' });
    expect(replicas.at(-1)).toMatchObject({ files: 1 });
    vi.setSystemTime(Date.now() + 300_000);
    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: blueConnectionId, active: true });
    await drain(rt);
    const green = await statistics('green', greenConnectionId);
    expect(green.bucket).toBe('hour');
    expect(green.buckets).toHaveLength(24);
    const bucket = green.buckets.find((b) => b.start === Date.parse('2026-11-23T15:00:00Z'))!;
    expect(bucket).toMatchObject({ created: 0, errors: 0 });
    expect(bucket.in).toBe(bucket.latency.count);
    expect(green.buckets.find((b) => b.start === Date.parse('2026-11-23T14:00:00Z'))).toMatchObject({ in: 1, created: 1 });
    // Histogram bins are about a fifth wide.
    expect(bucket.latency.medianMs).toBeGreaterThan(250_000);
    expect(bucket.latency.medianMs).toBeLessThan(360_000);
    expect(bucket.latency.p95Ms).toBe(bucket.latency.medianMs);
    // The same numbers over a week, in day buckets.
    const week = await statistics('green', greenConnectionId, 'week');
    expect(week.bucket).toBe('day');
    expect(week.buckets).toHaveLength(7);
    expect(week.buckets.at(-1)).toMatchObject({ in: green.totals.in, created: green.totals.created });
    expect(week.totals.in).toBe(green.totals.in);
  });

  it('show a replica paused by an incoming error in the queue, with its attempts, and count the error', async () => {
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'green', 'getRules', { connectionId: greenConnectionId });
    const broken = `${rules.incoming}\nif (replica.summary === "boom") {\n  throw new Error("cannot take boom");\n}`;
    await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: rules.outgoing, incoming: broken });
    const key = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'boom' })).key;
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: key });
    await drain(rt);

    const { items } = await invoke<{ items: Record<string, unknown>[] }>(rt, 'green', 'listQueue', { direction: 'incoming', kind: 'issue' });
    expect(items).toEqual([
      expect.objectContaining({
        connectionId: greenConnectionId,
        direction: 'incoming',
        type: 'replica',
        remoteKey: key,
        localIssueId: null,
        attempts: 1,
        status: 'paused by an error',
        lastError: expect.stringContaining('cannot take boom'),
      }),
    ]);
    expect((await invoke<{ items: unknown[] }>(rt, 'green', 'listQueue', { direction: 'incoming', kind: 'attachment' })).items).toEqual([]);
    expect((await statistics('green', greenConnectionId)).totals.errors).toBe(1);

    await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: rules.outgoing, incoming: rules.incoming });
    const { errors } = await invoke<{ errors: { id: string }[] }>(rt, 'green', 'listErrors', {});
    await invoke(rt, 'green', 'retryError', { id: errors[0]!.id });
    await drain(rt);
    expect((await invoke<{ items: unknown[] }>(rt, 'green', 'listQueue', {})).items).toEqual([]);
    expect((await syncStatus(rt, 'blue', key)).twins).toEqual([expect.objectContaining({ status: 'synchronized' })]);
  });
});
