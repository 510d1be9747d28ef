import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { invoke } from '../integration/helpers';
import { connectedSites, createIssue, drain, searchAll, stop, syncStatus } from './helpers';

// A bulk page whose issue meets a storage "later" (429, the minute's units spent) waits in its own
// invocation and tries that issue again, rather than sending the whole page back to the queue, where it
// would search Jira again and re-check every issue it had done.

const COUNT = 30;
let rt: LocalRuntime;
let blueConnectionId: string;
const issues: { id: string; key: string }[] = [];

beforeAll(async () => {
  ({ rt, blueConnectionId } = await connectedSites());
  for (let i = 0; i < COUNT; i++) issues.push(await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: `patient ${i}`, labels: ['patient'] }));
  await drain(rt);
}, 60_000);
afterAll(() => stop(rt));

describe('a bulk page that meets a storage limit', () => {
  it('waits it out in the invocation and goes on: one search, every issue over once', async () => {
    const { trigger } = await invoke<{ trigger: { id: string } }>(rt, 'blue', 'saveTrigger', { connectionId: blueConnectionId, entityType: 'issue', jql: 'labels = patient', notes: '', active: false });
    // The replica of issue 7 is refused four times: more than the storage adapter's own short retries (3).
    const seventh = `"twin:${blueConnectionId}:${issues[7]!.id}"`;
    let refused = 0;
    rt.forge.kvs.refuseNext(
      rt.forge.installation('blue').installationId,
      (path, body) => {
        const hit = path.endsWith('/transaction') && JSON.stringify(body).includes(seventh) && JSON.stringify(body).includes('"outbox:');
        if (hit) refused++;
        return hit;
      },
      4,
    );
    const searchesBefore = rt.site('blue').counters.byOperation.searchAndReconsileIssuesUsingJqlPost ?? 0;
    const job = await invoke<{ id: string }>(rt, 'blue', 'bulkExalate', { triggerId: trigger.id });
    await drain(rt);

    expect(refused).toBe(4);
    expect(await invoke(rt, 'blue', 'getJob', { id: job.id })).toMatchObject({ status: 'done', done: COUNT, failed: 0 });
    // The page ran once: a page handed back to the queue would have searched again.
    expect((rt.site('blue').counters.byOperation.searchAndReconsileIssuesUsingJqlPost ?? 0) - searchesBefore).toBe(1);
    expect(await searchAll(rt, 'green', 'project = SC AND labels = patient')).toHaveLength(COUNT);
    expect((await syncStatus(rt, 'blue', issues[7]!.key)).twins).toEqual([expect.objectContaining({ status: 'synchronized' })]);
  });
});
