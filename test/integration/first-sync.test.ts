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
    // "Last sync" counts both directions: the sender's row names its issue once the partner acked it.
    const rows = await invoke<{ connections: { id: string; lastSync: { issueKey: string } | null }[] }>(rt, 'blue', 'listConnections');
    expect(rows.connections.find((c) => c.id === blueConnectionId)?.lastSync?.issueKey).toBe(created.body.key);
    expect(green.body.fields.labels).toEqual(['login']);
    expect(green.body.fields.description).toEqual(adf('Steps to reproduce'));
  });
});

describe('the exalate issue property', () => {
  it('tells Jira on both sides that the issue is synced, and with what', async () => {
    const statusBefore = await jira(rt, 'blue', 'POST', '/search/jql', { jql: 'project = UD', fields: ['summary'], maxResults: 50 });
    const synced = statusBefore.body.issues.find((i: { fields: { summary: string } }) => i.fields.summary === 'Login page breaks');
    const blueProperty = await jira(rt, 'blue', 'GET', `/issue/${synced.id}/properties/exalate`);
    expect(blueProperty.status).toBe(200);
    const [twin] = blueProperty.body.value.twins;
    expect(twin).toMatchObject({ remoteKey: expect.stringMatching(/^SC-/) });
    const greenProperty = await jira(rt, 'green', 'GET', `/issue/${twin.remoteKey}/properties/exalate`);
    expect(greenProperty.body.value.twins[0]).toMatchObject({ remoteKey: expect.stringMatching(/^UD-/) });
  });
});
