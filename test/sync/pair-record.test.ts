import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { INLINE_REPLICA_MAX_BYTES, keepReplica, lastAppliedKey, lastSentKey, newTwin, twinStore } from '../../src/sync/twins';
import { saveWithHistory } from '../../src/sync/history';
import { KvsData, MemoryKvs } from '../support/memory-platform';
import { connect, drain, invoke, jira, twoSites } from '../integration/helpers';

// One record per synced pair: the twin carries the replicas kept for comparing and its history count, so a
// synced edit reads one record where it read four. Installed apps hold twins in the layout before it (the
// replicas under `replica-out:`/`replica-in:`, the count under `histn:`): they keep working and move over.

async function kvsCall(rt: LocalRuntime, site: string, op: 'get' | 'set' | 'delete', body: Record<string, unknown>): Promise<Response> {
  return rt.forge.kvs.handle(rt.forge.installation(site).installationId, `/api/v1/${op}`, { method: 'POST', body: JSON.stringify(body) });
}
async function read(rt: LocalRuntime, site: string, key: string): Promise<unknown> {
  const response = await kvsCall(rt, site, 'get', { key });
  if (response.status === 404) return undefined;
  return ((await response.json()) as { value: unknown }).value;
}
async function write(rt: LocalRuntime, site: string, key: string, value: unknown): Promise<void> {
  expect((await kvsCall(rt, site, 'set', { key, value })).status).toBeLessThan(300);
}

type StoredTwin = Record<string, unknown> & { connectionId: string; localIssueId: string; sent?: unknown; applied?: unknown; historyCount?: number };

/** Rewrite a twin as the layout before the pair record stored it: replicas and history count under their own keys. */
async function toOldLayout(rt: LocalRuntime, site: string, twinKey: string): Promise<{ sent: unknown; applied: unknown; count: number }> {
  const twin = (await read(rt, site, twinKey)) as StoredTwin;
  const { sent, applied, historyCount, ...v1 } = twin;
  const { connectionId, localIssueId } = twin;
  if (sent) await write(rt, site, lastSentKey(connectionId, localIssueId), sent);
  if (applied) await write(rt, site, lastAppliedKey(connectionId, localIssueId), applied);
  await write(rt, site, `histn:${connectionId}:${localIssueId}`, historyCount);
  await write(rt, site, twinKey, v1);
  return { sent, applied, count: historyCount ?? 0 };
}

describe('a twin stored before the pair record (migration)', () => {
  let rt: Awaited<ReturnType<typeof twoSites>>;
  let connectionId: string;
  let issueKey: string;
  let blueId: string;
  let greenId: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
    rt = await twoSites();
    ({ blueConnectionId: connectionId } = await connect(rt));
    const created = await jira<{ key: string; id: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Before the upgrade' } });
    issueKey = created.body.key;
    blueId = created.body.id;
    await invoke(rt, 'blue', 'exalateIssue', { connectionId, issueKey });
    await drain(rt);
    await jira(rt, 'blue', 'PUT', `/issue/${issueKey}`, { fields: { summary: 'Edited before the upgrade' } });
    await drain(rt);
    greenId = (await read(rt, 'blue', `twin:${connectionId}:${blueId}`) as { remoteIssueId: string }).remoteIssueId;
  }, 120_000);

  afterAll(() => {
    rt?.close();
    vi.useRealTimers();
  });

  it('keeps syncing, moves the replicas and the count onto the twin, and its history runs on', async () => {
    const blueBefore = await toOldLayout(rt, 'blue', `twin:${connectionId}:${blueId}`);
    const greenBefore = await toOldLayout(rt, 'green', `twin:${connectionId}:${greenId}`);
    expect(blueBefore.sent).toMatchObject({ summary: 'Edited before the upgrade' });
    expect(greenBefore.applied).toMatchObject({ summary: 'Edited before the upgrade' });
    expect(blueBefore.count).toBeGreaterThan(1);
    // An old twin reads as a twin without them.
    const old = await twinStore({ get: (key: string) => read(rt, 'blue', key) } as never).get(connectionId, blueId);
    expect(old?.sent).toBeUndefined();

    await jira(rt, 'blue', 'PUT', `/issue/${issueKey}`, { fields: { summary: 'Edited after the upgrade' } });
    await drain(rt);

    const green = await jira<{ fields: { summary: string } }>(rt, 'green', 'GET', `/issue/${greenId}`);
    expect(green.body.fields.summary).toBe('Edited after the upgrade');
    const blueTwin = (await read(rt, 'blue', `twin:${connectionId}:${blueId}`)) as StoredTwin;
    const greenTwin = (await read(rt, 'green', `twin:${connectionId}:${greenId}`)) as StoredTwin;
    expect(blueTwin.sent).toMatchObject({ summary: 'Edited after the upgrade' });
    expect(greenTwin.applied).toMatchObject({ summary: 'Edited after the upgrade' });
    expect(blueTwin.historyCount).toBe(blueBefore.count + 1);
    expect(greenTwin.historyCount).toBe(greenBefore.count + 1);
    // The old keys are gone: they moved with the twin's write.
    expect(await read(rt, 'blue', lastSentKey(connectionId, blueId))).toBeUndefined();
    expect(await read(rt, 'green', lastAppliedKey(connectionId, greenId))).toBeUndefined();
    // The history goes on from the old count: the new entry is the newest, none before it was overwritten.
    const history = await invoke<{ entries: { n: number; outcome: string; changes: { field: string; from: unknown; to: unknown }[] }[] }>(rt, 'blue', 'getIssueHistory', { issueKey });
    const ns = history.entries.map((e) => e.n);
    expect(ns).toEqual([...ns].sort((a, b) => b - a));
    expect(ns[0]).toBe(blueBefore.count + 1);
    expect(new Set(ns).size).toBe(ns.length);
    // The replica read from the old key was the `previous` this send compared with: only the summary changed.
    expect(history.entries[0]!.changes.map((c) => c.field)).toEqual(['summary']);
  });
});

describe('the pair record', () => {
  it('keeps a large replica under its own key, and reads it back from there', async () => {
    const data = new KvsData();
    const kvs = new MemoryKvs(data);
    const twins = twinStore(kvs);
    const twin = newTwin({ connectionId: 'c1', localIssueId: '1', localKey: 'UD-1', origin: 'local', now: 1 });
    const big = { id: '1', key: 'UD-1', summary: 'x'.repeat(INLINE_REPLICA_MAX_BYTES + 1) };
    const kept = keepReplica(twin, 'sent', big);
    expect(kept.twin.sent).toBe('apart');
    await twins.save(kept.twin, kept.ops);
    expect(data.values.has(lastSentKey('c1', '1'))).toBe(true);
    const stored = (await twins.get('c1', '1'))!;
    expect(await twins.lastSent(stored)).toEqual(big);
    // Small again: back on the twin, and the key it was kept under goes in the same write.
    const small = keepReplica(stored, 'sent', { id: '1', key: 'UD-1', summary: 'short' });
    await twins.save(small.twin, small.ops);
    expect(data.values.has(lastSentKey('c1', '1'))).toBe(false);
    expect(await twins.lastSent((await twins.get('c1', '1'))!)).toEqual({ id: '1', key: 'UD-1', summary: 'short' });
  });

  it('counts history on the twin: no counter read once it carries the count, and the counter key kept for a twin made again', async () => {
    const data = new KvsData();
    const kvs = new MemoryKvs(data);
    const twins = twinStore(kvs);
    await kvs.set('histn:c1:1', 7);
    const twin = newTwin({ connectionId: 'c1', localIssueId: '1', localKey: 'UD-1', origin: 'local', now: 1 });
    await saveWithHistory(kvs, twin, 10, { direction: 'out', cause: 'event', outcome: 'sent', changes: [] });
    const saved = (await twins.get('c1', '1'))!;
    expect(saved.historyCount).toBe(8);
    expect(await kvs.get('histn:c1:1')).toBe(8);
    // Carrying the count, the next entry does not ask the counter: a counter that says otherwise is not read.
    await kvs.set('histn:c1:1', 1);
    await saveWithHistory(kvs, saved, 11, { direction: 'out', cause: 'event', outcome: 'sent', changes: [] });
    expect((await twins.get('c1', '1'))!.historyCount).toBe(9);
    expect(await kvs.get('hist:c1:1:09')).toMatchObject({ n: 9 });
  });
});
