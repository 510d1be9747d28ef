import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';

// The app under Jira's per-issue write limit (20 writes to one issue in 2 s,
// 100 in 30 s; docs/forge-limits.md, Jira section): a burst of comments and
// edits on one issue, all at one instant, makes the receiving side write to
// its twin faster than Jira lets it. The writes Jira refuses (429
// jira-per-issue-on-write with Retry-After) wait in the queue and are made
// later: every comment arrives once, the last edit wins, nothing goes to the
// dead letters or the error list.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId } = await connect(rt));
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const COMMENTS = 2 * FORGE_LIMITS.jira.perIssueWritesPer2Seconds + 5;
const EDITS = 10;

describe("the app under Jira's per-issue write limit", () => {
  it('converges after a burst of edits to one issue meets the limit: every comment once, the last summary, nothing lost', async () => {
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'calm' } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await drain(rt);
    const { twins } = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    const remoteKey = twins[0]!.remoteKey;

    // A person (and a script of theirs) on blue, all at one instant: people's own calls are not held to the app's limits.
    for (let i = 0; i < COMMENTS; i++) {
      expect((await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf(`burst comment ${i}`) })).status).toBe(201);
      if (i % Math.ceil(COMMENTS / EDITS) === 0) await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: `edit ${i}` } });
    }
    await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: 'final' } });

    const hitBefore = rt.usage('green').limitsHit['jira.perIssueWritesPer2Seconds'] ?? 0;
    await rt.settle();
    // The first pass met the limit: green's twin holds at most the limit's worth of new comments.
    const early = await jira<{ fields: { comment: { comments: unknown[] } } }>(rt, 'green', 'GET', `/issue/${remoteKey}`);
    expect(early.body.fields.comment.comments.length).toBeLessThan(COMMENTS);
    expect(rt.usage('green').limitsHit['jira.perIssueWritesPer2Seconds'] ?? 0).toBeGreaterThan(hitBefore);

    await drain(rt);
    const green = await jira<{ fields: { summary: string; comment: { comments: { body: unknown }[] } } }>(rt, 'green', 'GET', `/issue/${remoteKey}`);
    const texts = green.body.fields.comment.comments.map((c) => JSON.stringify(c.body).match(/burst comment (\d+)/)?.[1]);
    // Each comment once: none lost, none doubled.
    expect(texts.slice().sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: COMMENTS }, (_, i) => String(i)));
    expect(green.body.fields.summary).toBe('final');
    // And nothing echoed back onto blue.
    const blue = await jira<{ fields: { summary: string; comment: { comments: unknown[] } } }>(rt, 'blue', 'GET', `/issue/${created.body.key}`);
    expect(blue.body.fields.comment.comments).toHaveLength(COMMENTS);
    expect(blue.body.fields.summary).toBe('final');
    expect(rt.forge.queue.deadLetters()).toEqual([]);
    const errors = await invoke<{ errors: unknown[] }>(rt, 'blue', 'listErrors', { connectionId: blueConnectionId });
    expect(errors.errors).toEqual([]);
    const greenErrors = await invoke<{ connections: { id: string }[] }>(rt, 'green', 'listConnections');
    for (const connection of greenErrors.connections) {
      expect((await invoke<{ errors: unknown[] }>(rt, 'green', 'listErrors', { connectionId: connection.id })).errors).toEqual([]);
    }
  });
});
