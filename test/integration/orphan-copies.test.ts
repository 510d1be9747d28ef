import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runInvocation } from '../../src/local/forge/globals';
import { forgeKvs } from '../../src/forge/kvs';
import { twinStore } from '../../src/sync/twins';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';

// A run that stops between Jira's write and storage's (a process killed, an
// invocation ended at its limit) leaves a comment copy in Jira that the twin
// does not record. Here that state is made directly: the copy stays, the
// twin forgets it. The next replica must take that copy up, not make another.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-05T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

/** The twin on green forgets its comment copies, as when the run that made them stopped before recording them. */
async function forgetCopiesOnGreen(blueIssueId: string): Promise<void> {
  await runInvocation(rt.forge.installation('green'), 'test-storage', {}, async () => {
    const twins = twinStore(forgeKvs);
    const twin = await twins.findByRemote(greenConnectionId, blueIssueId);
    expect(Object.keys(twin!.comments)).toHaveLength(1);
    await twins.save({ ...twin!, comments: {}, ownComments: [] });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commentTexts = (issue: Record<string, any>) => (issue.fields.comment.comments as { body: unknown }[]).map((c) => JSON.stringify(c.body));

describe('a comment copy made but not recorded', () => {
  it('is taken up by the next sync, not made twice, and follows the original afterwards', async () => {
    const issue = (await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'orphans' } })).body as { id: string; key: string };
    const comment = (await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('copied once only') })).body as { id: string };
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: issue.key });
    await drain(rt);
    const status = await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: issue.key });
    const greenKey = status.twins[0]!.remoteKey;
    expect((await jira(rt, 'green', 'GET', `/issue/${greenKey}`)).body.fields.comment.comments).toHaveLength(1);

    await forgetCopiesOnGreen(issue.id);
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: 'orphans, edited' } });
    await drain(rt);
    const green = (await jira(rt, 'green', 'GET', `/issue/${greenKey}`)).body;
    expect(green.fields.summary).toBe('orphans, edited');
    expect(commentTexts(green)).toEqual([expect.stringContaining('copied once only')]);

    // The copy taken up is the twin's again: an edit of the original reaches it.
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}/comment/${comment.id}`, { body: adf('copied once only, edited') });
    await drain(rt);
    expect(commentTexts((await jira(rt, 'green', 'GET', `/issue/${greenKey}`)).body)).toEqual([expect.stringContaining('copied once only, edited')]);
  });

  it('leaves a person’s comment with the same words alone and makes the copy', async () => {
    const issue = (await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'same words' } })).body as { id: string; key: string };
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: issue.key });
    await drain(rt);
    const greenKey = (await invoke<{ twins: { remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: issue.key })).twins[0]!.remoteKey;
    // The copy's body is what green's incoming script writes; a person on green writes exactly that first.
    await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('agreed') });
    await drain(rt);
    const copy = (await jira(rt, 'green', 'GET', `/issue/${greenKey}`)).body.fields.comment.comments[0];
    await jira(rt, 'green', 'DELETE', `/issue/${greenKey}/comment/${copy.id}`);
    await drain(rt);
    await jira(rt, 'green', 'POST', `/issue/${greenKey}/comment`, { body: copy.body });
    await drain(rt);
    await forgetCopiesOnGreenIfAny(issue.id);
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: 'same words, edited' } });
    await drain(rt);
    const green = (await jira(rt, 'green', 'GET', `/issue/${greenKey}`)).body;
    expect(green.fields.comment.comments.map((c: { author: { accountId: string } }) => c.author.accountId)).toEqual([rt.site('green').adminAccountId, rt.site('green').appAccountId]);
  });
});

async function forgetCopiesOnGreenIfAny(blueIssueId: string): Promise<void> {
  await runInvocation(rt.forge.installation('green'), 'test-storage', {}, async () => {
    const twins = twinStore(forgeKvs);
    const twin = await twins.findByRemote(greenConnectionId, blueIssueId);
    await twins.save({ ...twin!, comments: {}, ownComments: [] });
  });
}
