import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { adf, connect, invoke, jira } from './helpers';

// The process dies between any two steps of the work (and once with work
// claimed but unfinished); a new process on the same data finishes the job:
// nothing lost, nothing doubled.

afterEach(() => vi.useRealTimers());

describe('restarts in the middle of syncing', () => {
  it('finishes every sync after restarts at arbitrary points, without duplicates', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
    const dataDir = mkdtempSync(join(tmpdir(), 'restart-'));
    const baseUrl = 'http://restart.test';
    let rt: LocalRuntime = await createLocalRuntime({ dataDir, reset: true, baseUrl });
    const { blueConnectionId } = await connect(rt);

    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `restart ${i}`, description: adf(`body ${i}`) } });
      keys.push(created.body.key);
      await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
      await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf(`comment ${i}`) });
    }

    // A deterministic walk: run a few events, then "kill" the process.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 5;
    for (let restart = 0; restart < 8; restart++) {
      for (let step = next(); step > 0; step--) await rt.forge.runDue(1);
      if (restart === 3) rt.forge.queue.take(Date.now(), 3, 60_000); // claimed, never finished
      rt.close();
      rt = await createLocalRuntime({ dataDir, baseUrl });
    }
    for (let round = 0; round < 5; round++) {
      await rt.settle();
      vi.setSystemTime(Date.now() + 61_000);
      rt.forge.fireScheduledTriggers();
    }
    await rt.settle();

    const green = await jira<{ issues: { fields: { summary: string; comment: { comments: unknown[] } } }[] }>(rt, 'green', 'POST', '/search/jql', {
      jql: 'project = SC AND summary ~ "restart"',
      fields: ['summary', 'comment'],
      maxResults: 100,
    });
    const summaries = green.body.issues.map((i) => i.fields.summary).sort();
    expect(summaries).toEqual(keys.map((_, i) => `restart ${i}`).sort());
    for (const issue of green.body.issues) expect(issue.fields.comment.comments).toHaveLength(1);
    for (const key of keys) {
      const status = await invoke<{ twins: { status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
      expect(status.twins.map((t) => t.status)).toEqual(['synchronized']);
    }
    rt.close();
  });
});
