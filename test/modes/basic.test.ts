import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adf, invoke, jira, twoSites } from '../integration/helpers';

// Basic mode, made by project admins from Project settings → Exalate: Dan
// administers blue's UD only, Hugo green's SC only; neither is a site admin.

const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const HUGO = '712020:96ee0000-2222-4000-8000-000000000002';
const fromProjectSettings = (accountId: string, projectKey: string) => ({ moduleKey: 'exalate-project-settings', accountId, extension: { project: { key: projectKey } } });

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueToSc: string;
let blueToCm: string;
let greenUrl: string;

async function invite(projectKey: string, context: Record<string, unknown>, mode = 'basic') {
  return invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', { destinationUrl: greenUrl, mode, localName: 'BlueJira', remoteName: 'GreenJira', projectKey }, context);
}

beforeAll(async () => {
  rt = await twoSites();
  greenUrl = (await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance')).exalateUrl;
  const toSc = await invite('UD', fromProjectSettings(DAN, 'UD'));
  await invoke(rt, 'green', 'acceptInvitation', { invitationCode: toSc.invitationCode, projectKey: 'SC' }, fromProjectSettings(HUGO, 'SC'));
  blueToSc = toSc.connectionId;
  const toCm = await invite('UD', fromProjectSettings(DAN, 'UD'));
  // CM has no project admin of its own: green's Jira admin accepts from the admin page.
  await invoke(rt, 'green', 'acceptInvitation', { invitationCode: toCm.invitationCode, projectKey: 'CM' });
  blueToCm = toCm.connectionId;
  await rt.settle();
});
afterAll(() => rt?.close());

async function exalate(connectionId: string, issueKey: string) {
  await invoke(rt, 'blue', 'exalateIssue', { connectionId, issueKey });
  await rt.settle();
  const status = await invoke<{ twins: { connectionId: string; remoteKey: string; status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey });
  return status.twins.find((t) => t.connectionId === connectionId)!;
}

describe('Basic connections from project settings', () => {
  it('syncs summary, description, comments, attachments and type, with the default-type fallback', async () => {
    const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Improvement' }, summary: 'Faster search', description: adf('Index the titles'), labels: ['search'], priority: { name: 'High' } } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    await jira(rt, 'blue', 'POST', `/issue/${key}/comment`, { body: adf('Agreed with product') });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3, 4])], { type: 'application/octet-stream' }), 'notes.bin');
    expect((await rt.fetch(`/blue/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form })).status).toBe(200);

    const sc = await exalate(blueToSc, key);
    expect(sc.status).toBe('synchronized');
    const green = (await jira(rt, 'green', 'GET', `/issue/${sc.remoteKey}`)).body;
    expect(green.fields.project.key).toBe('SC');
    expect(green.fields.summary).toBe('Faster search');
    expect(green.fields.description).toEqual(adf('Index the titles'));
    expect(green.fields.issuetype.name).toBe('Story'); // no Improvement on green: SC's default type
    expect(green.fields.comment.comments).toHaveLength(1);
    expect(JSON.stringify(green.fields.comment.comments[0].body)).toContain('Agreed with product');
    expect(green.fields.attachment.map((a: { filename: string }) => a.filename)).toEqual(['notes.bin']);
    // Basic mode does not carry labels or priority.
    expect(green.fields.labels ?? []).toEqual([]);
    expect(green.fields.priority?.name).not.toBe('High');

    const cm = await exalate(blueToCm, key);
    const inCm = (await jira(rt, 'green', 'GET', `/issue/${cm.remoteKey}`)).body;
    expect(inCm.fields.project.key).toBe('CM');
    expect(inCm.fields.issuetype.name).toBe('Task'); // CM has no default type

    // And back: a comment and a new summary on green reach blue.
    await jira(rt, 'green', 'PUT', `/issue/${sc.remoteKey}`, { fields: { summary: 'Faster search (v2)' } });
    await jira(rt, 'green', 'POST', `/issue/${sc.remoteKey}/comment`, { body: adf('Estimate: two days') });
    await rt.settle();
    const blue = (await jira(rt, 'blue', 'GET', `/issue/${key}`)).body;
    expect(blue.fields.summary).toBe('Faster search (v2)');
    expect(blue.fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body)).join()).toContain('Estimate: two days');
  });

  it('shows the fixed rules read-only and refuses edits', async () => {
    const rules = await invoke<{ mode: string; editable: boolean; outgoing: string; incoming: string; syncs: string[] }>(rt, 'blue', 'getRules', { connectionId: blueToSc }, fromProjectSettings(DAN, 'UD'));
    expect(rules).toMatchObject({ mode: 'basic', editable: false });
    expect(rules.syncs.join('; ')).toMatch(/^Summary; Description; Comments .*public.*; Attachments; Issue type/);
    expect(rules.outgoing).toContain('replica.summary');
    expect(rules.outgoing).not.toContain('replica.status');
    await expect(invoke(rt, 'blue', 'publishRules', { connectionId: blueToSc, outgoing: 'replica.summary = "x";', incoming: rules.incoming }, fromProjectSettings(DAN, 'UD'))).rejects.toThrow(/403: "publishRules" cannot be called from the module exalate-project-settings/);
    await expect(invoke(rt, 'blue', 'publishRules', { connectionId: blueToSc, outgoing: 'replica.summary = "x";', incoming: rules.incoming })).rejects.toThrow(/403/);
  });

  it('keeps a project admin to their own project and to Basic mode', async () => {
    await expect(invite('TEST', fromProjectSettings(DAN, 'TEST'))).rejects.toThrow(/403: You need the Jira permission "Administer Projects" \(ADMINISTER_PROJECTS\) on project TEST/);
    // The page's project cannot be swapped for another in the payload.
    await expect(invite('TEST', fromProjectSettings(DAN, 'UD'))).rejects.toThrow(/403: This page belongs to project UD/);
    await expect(invite('UD', fromProjectSettings(DAN, 'UD'), 'script')).rejects.toThrow(/403: Project settings make Basic connections only/);
    // Hugo administers SC, not CM.
    const toCm = await invite('UD', fromProjectSettings(DAN, 'UD'));
    await expect(invoke(rt, 'green', 'acceptInvitation', { invitationCode: toCm.invitationCode, projectKey: 'CM' }, fromProjectSettings(HUGO, 'CM'))).rejects.toThrow(/403: You need the Jira permission "Administer Projects" \(ADMINISTER_PROJECTS\) on project CM/);
    // Connections of another project are neither listed nor reachable.
    const listed = await invoke<{ connections: { id: string; localProjectKey: string }[] }>(rt, 'green', 'listConnections', {}, fromProjectSettings(HUGO, 'SC'));
    expect(listed.connections.map((c) => c.localProjectKey)).toEqual(['SC']);
    const all = await invoke<{ connections: { id: string; localProjectKey: string }[] }>(rt, 'green', 'listConnections');
    const cmConnection = all.connections.find((c) => c.localProjectKey === 'CM')!;
    await expect(invoke(rt, 'green', 'setConnectionActive', { connectionId: cmConnection.id, active: false }, fromProjectSettings(HUGO, 'SC'))).rejects.toThrow(/403: This connection belongs to project CM: from the settings of SC/);
    await expect(invoke(rt, 'green', 'setConnectionActive', { connectionId: cmConnection.id, active: false }, fromProjectSettings(HUGO, 'CM'))).rejects.toThrow(/403: You need the Jira permission "Administer Projects" \(ADMINISTER_PROJECTS\) on project CM/);
    // A Jira admin may use project settings too.
    const asAdmin = await invoke<{ connections: unknown[] }>(rt, 'green', 'listConnections', {}, fromProjectSettings('712020:96ee0000-1111-4000-8000-000000000001', 'CM'));
    expect(asAdmin.connections).toHaveLength(1);
    // What only a Jira admin does is not offered to project settings at all.
    await expect(invoke(rt, 'green', 'listErrors', {}, fromProjectSettings(HUGO, 'SC'))).rejects.toThrow(/403: "listErrors" cannot be called from the module exalate-project-settings/);
  });
});
