import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, twoSites } from './helpers';

// The translateGroovy resolver as the admin page calls it: Jira admins only,
// bounded input, and a pathological source answered within the translation's
// budget instead of holding the invocation.

let rt: Awaited<ReturnType<typeof twoSites>>;
beforeAll(async () => {
  rt = await twoSites();
});
afterAll(() => rt?.close());

const BEN = '712020:b1e00000-2222-4000-8000-000000000002';

describe('translateGroovy', () => {
  it('answers the translation and what was not translated', async () => {
    const out = await invoke<{ script: string; unsupported: { line: number }[] }>(rt, 'blue', 'translateGroovy', {
      source: 'def m = ["Open": "To Do"]\nissue.setStatus(m[replica.status?.name] ?: "To Do")\nissue.components = replica.components',
      direction: 'incoming',
    });
    expect(out.script).toContain('issue.setStatus(m[replica.status?.name] || "To Do");');
    expect(out.unsupported.map((u) => u.line)).toEqual([3]);
  });

  it('refuses a source over 100,000 characters', async () => {
    await expect(invoke(rt, 'blue', 'translateGroovy', { source: 'x'.repeat(100_001), direction: 'incoming' })).rejects.toThrow(/400: .*100,000/);
  });

  it('answers a pathological source quickly, one way or the other', async () => {
    const started = performance.now();
    await invoke(rt, 'blue', 'translateGroovy', { source: '('.repeat(99_000), direction: 'outgoing' }).catch((e: Error) => expect(e.message).toMatch(/^translateGroovy → 400/));
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('is for Jira admins only', async () => {
    await expect(invoke(rt, 'blue', 'translateGroovy', { source: 'issue.summary = replica.summary', direction: 'incoming' }, { accountId: BEN, moduleKey: 'exalate-admin' })).rejects.toThrow(/403.*ADMINISTER/);
  });
});
