import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, connect, invoke, jira, twoSites } from './helpers';

let rt: Awaited<ReturnType<typeof twoSites>>;
beforeAll(async () => {
  rt = await twoSites();
});
afterAll(() => rt?.close());

describe('a first sync over a public Script-mode connection', () => {
  it('creates the twin on green with the fields, and links both sides', async () => {
    const { blueConnectionId } = await connect(rt);
    const created = await jira(rt, 'blue', 'POST', '/issue', {
      fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Login page breaks', description: adf('Steps to reproduce'), labels: ['login'] },
    });
    expect(created.status).toBe(201);
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await rt.settle();

    const status = await invoke<{ twins: { remoteKey: string; status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    expect(status.twins).toHaveLength(1);
    expect(status.twins[0]!.status).toBe('synchronized');
    const remoteKey = status.twins[0]!.remoteKey;
    expect(remoteKey).toMatch(/^SC-/);

    const green = await jira(rt, 'green', 'GET', `/issue/${remoteKey}`);
    expect(green.body.fields.summary).toBe('Login page breaks');
    expect(green.body.fields.labels).toEqual(['login']);
    expect(green.body.fields.description).toEqual(adf('Steps to reproduce'));
  });
});
