import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisualMapping } from '../../src/domain/visual-mapping';
import { adf, connect, invoke, jira, twoSites } from '../integration/helpers';

// A Visual connection blue UD (inviter) ↔ green SC (invitee): blue → green
// Automatic for issues labelled "new-features", green → blue Manual, status
// To Do ↔ Open and In Progress ↔ In Progress, any other status an error.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
let greenConnectionId: string;

type MappingAnswer = { side: string; mapping: VisualMapping; rules: { outgoing: string; incoming: string }; partner: { version: number; state: string; reason: string | null } | null };

beforeAll(async () => {
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt, { mode: 'visual' }));
  const { mapping, side } = await invoke<MappingAnswer>(rt, 'blue', 'getMapping', { connectionId: blueConnectionId });
  expect(side).toBe('inviter');
  mapping.scope.inviter.filters = [{ field: 'labels', values: ['new-features'] }];
  mapping.sync = { toInvitee: 'automatic', toInviter: 'manual' };
  const status = mapping.mappings.find((m) => m.field === 'status')!;
  status.values = [{ inviter: 'To Do', invitee: 'Open' }, { inviter: 'In Progress', invitee: 'In Progress' }];
  status.ifNoMatch = { action: 'error' };
  const published = await invoke<{ version: number }>(rt, 'blue', 'publishMapping', { connectionId: blueConnectionId, mapping });
  expect(published.version).toBe(1);
  await rt.settle();
});
afterAll(() => rt?.close());

const syncStatus = (site: string, issueKey: string) =>
  invoke<{ twins: { remoteKey: string; status: string; error: { message: string } | null }[] }>(rt, site, 'getIssueSyncStatus', { issueKey });

async function create(site: string, project: string, fields: Record<string, unknown>) {
  const created = await jira(rt, site, 'POST', '/issue', { fields: { project: { key: project }, issuetype: { name: 'Task' }, ...fields } });
  expect(created.status).toBe(201);
  await rt.settle();
  return created.body.key as string;
}

async function moveTo(site: string, key: string, status: string) {
  const { body } = await jira(rt, site, 'GET', `/issue/${key}/transitions`);
  const transition = body.transitions.find((t: { to: { name: string } }) => t.to.name === status);
  expect((await jira(rt, site, 'POST', `/issue/${key}/transitions`, { transition: { id: transition.id } })).status).toBe(204);
  await rt.settle();
}

describe('Visual mode', () => {
  it('gives both sides the same mapping once the partner applied it', async () => {
    const green = await invoke<MappingAnswer>(rt, 'green', 'getMapping', { connectionId: greenConnectionId });
    expect(green.side).toBe('invitee');
    expect(green.mapping.version).toBe(1);
    expect(green.mapping.scope.inviter.filters).toEqual([{ field: 'labels', values: ['new-features'] }]);
    const blue = await invoke<MappingAnswer>(rt, 'blue', 'getMapping', { connectionId: blueConnectionId });
    expect(blue.partner).toMatchObject({ version: 1, state: 'applied' });
    // The rules are the compiled mapping, read-only as scripts.
    await expect(invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, ...green.rules })).rejects.toThrow(/403/);
  });

  it('syncs in-scope blue issues automatically, with the status mapped', async () => {
    const outOfScope = await create('blue', 'UD', { summary: 'Not a feature', labels: ['chore'] });
    expect((await syncStatus('blue', outOfScope)).twins).toHaveLength(0);

    const key = await create('blue', 'UD', { summary: 'Dark mode', labels: ['new-features'], description: adf('Everywhere') });
    const [twin] = (await syncStatus('blue', key)).twins;
    expect(twin?.status).toBe('synchronized');
    let green = (await jira(rt, 'green', 'GET', `/issue/${twin!.remoteKey}`)).body;
    expect(green.fields.summary).toBe('Dark mode');
    expect(green.fields.status.name).toBe('Open');

    await moveTo('blue', key, 'In Progress');
    green = (await jira(rt, 'green', 'GET', `/issue/${twin!.remoteKey}`)).body;
    expect(green.fields.status.name).toBe('In Progress');

    // Done has no value mapping and "If no matching value" says: report an error.
    await moveTo('blue', key, 'Done');
    const errors = await invoke<{ errors: { message: string; issueKey: string | null }[] }>(rt, 'green', 'listErrors', { connectionId: greenConnectionId });
    expect(errors.errors.map((e) => e.message).join('\n')).toMatch(/No status mapping for "Done"/);
    green = (await jira(rt, 'green', 'GET', `/issue/${twin!.remoteKey}`)).body;
    expect(green.fields.status.name).toBe('In Progress');
  });

  it('syncs green issues to blue only when someone exalates them', async () => {
    const key = await create('green', 'SC', { summary: 'From green' });
    expect((await syncStatus('green', key)).twins).toHaveLength(0);
    await invoke(rt, 'green', 'exalateIssue', { connectionId: greenConnectionId, issueKey: key });
    await rt.settle();
    const [twin] = (await syncStatus('green', key)).twins;
    const blue = (await jira(rt, 'blue', 'GET', `/issue/${twin!.remoteKey}`)).body;
    expect(blue.fields.project.key).toBe('UD');
    expect(blue.fields.summary).toBe('From green');
    expect(blue.fields.status.name).toBe('To Do'); // Open ← To Do
  });

  it('changes what blue sends when green publishes a new mapping', async () => {
    const key = await create('blue', 'UD', { summary: 'Search filters', labels: ['new-features'], description: adf('First text') });
    const before = await invoke<{ replica: { description?: unknown } }>(rt, 'blue', 'testRules', { connectionId: blueConnectionId, issueKey: key });
    expect(before.replica.description).toEqual(adf('First text'));

    const { mapping } = await invoke<MappingAnswer>(rt, 'green', 'getMapping', { connectionId: greenConnectionId });
    mapping.mappings.find((m) => m.field === 'description')!.direction = 'toInviter';
    // A stale version is refused rather than overwriting a newer publish.
    await expect(invoke(rt, 'green', 'publishMapping', { connectionId: greenConnectionId, mapping: { ...mapping, version: 0 } })).rejects.toThrow(/409: The mapping changed/);
    expect((await invoke<{ version: number }>(rt, 'green', 'publishMapping', { connectionId: greenConnectionId, mapping })).version).toBe(2);
    await rt.settle();

    const after = await invoke<{ replica: { description?: unknown; summary?: string } }>(rt, 'blue', 'testRules', { connectionId: blueConnectionId, issueKey: key });
    expect(after.replica.description).toBeUndefined();
    expect(after.replica.summary).toBe('Search filters');
    const [twin] = (await syncStatus('blue', key)).twins;
    await jira(rt, 'blue', 'PUT', `/issue/${key}`, { fields: { description: adf('Second text'), summary: 'Search filters v2' } });
    await rt.settle();
    const green = (await jira(rt, 'green', 'GET', `/issue/${twin!.remoteKey}`)).body;
    expect(green.fields.summary).toBe('Search filters v2');
    expect(green.fields.description).toEqual(adf('First text'));
  });

  it('refuses a manual sync in a direction the mapping disables', async () => {
    const { mapping } = await invoke<MappingAnswer>(rt, 'green', 'getMapping', { connectionId: greenConnectionId });
    mapping.sync.toInviter = 'disabled';
    await invoke(rt, 'green', 'publishMapping', { connectionId: greenConnectionId, mapping });
    await rt.settle();
    const key = await create('green', 'SC', { summary: 'Stays on green' });
    await expect(invoke(rt, 'green', 'exalateIssue', { connectionId: greenConnectionId, issueKey: key })).rejects.toThrow(/409: Sync from .* is Disabled in the Visual mapping/);
    // Blue → green stays Automatic.
    const blueKey = await create('blue', 'UD', { summary: 'Still flows', labels: ['new-features'] });
    expect((await syncStatus('blue', blueKey)).twins[0]?.status).toBe('synchronized');
  });

  it('upgrades to Script mode on both sides, keeping twins and the compiled rules', async () => {
    const blueRules = await invoke<{ outgoing: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
    const key = await create('blue', 'UD', { summary: 'Before upgrade', labels: ['new-features'] });
    const [twin] = (await syncStatus('blue', key)).twins;
    await invoke(rt, 'blue', 'upgradeConnection', { connectionId: blueConnectionId });
    await rt.settle();
    for (const [site, connectionId] of [['blue', blueConnectionId], ['green', greenConnectionId]] as const) {
      const rules = await invoke<{ mode: string; editable: boolean; outgoing: string }>(rt, site, 'getRules', { connectionId });
      expect(rules).toMatchObject({ mode: 'script', editable: true });
      expect(rules.outgoing).toContain('Visual mode (mapping version 3)');
    }
    expect((await invoke<{ outgoing: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId })).outgoing).toBe(blueRules.outgoing);
    await jira(rt, 'blue', 'PUT', `/issue/${key}`, { fields: { summary: 'After upgrade' } });
    await rt.settle();
    const after = (await syncStatus('blue', key)).twins;
    expect(after).toHaveLength(1);
    expect(after[0]!.remoteKey).toBe(twin!.remoteKey);
    expect((await jira(rt, 'green', 'GET', `/issue/${twin!.remoteKey}`)).body.fields.summary).toBe('After upgrade');
    await expect(invoke(rt, 'blue', 'getMapping', { connectionId: blueConnectionId })).rejects.toThrow(/409/);
  });

  it("shows the partner's refusal when the mapping names a project it does not have", async () => {
    const other = await connect(rt, { mode: 'visual' });
    const { mapping } = await invoke<MappingAnswer>(rt, 'blue', 'getMapping', { connectionId: other.blueConnectionId });
    mapping.scope.invitee.projectKey = 'NOPE';
    await invoke(rt, 'blue', 'publishMapping', { connectionId: other.blueConnectionId, mapping });
    await rt.settle();
    const blue = await invoke<MappingAnswer>(rt, 'blue', 'getMapping', { connectionId: other.blueConnectionId });
    expect(blue.partner).toMatchObject({ version: 1, state: 'refused' });
    expect(blue.partner?.reason).toMatch(/NOPE/);
    expect((await invoke<MappingAnswer>(rt, 'green', 'getMapping', { connectionId: other.greenConnectionId })).mapping.version).toBe(0);
    const rules = await invoke<{ syncs: string[] }>(rt, 'blue', 'getRules', { connectionId: other.blueConnectionId });
    expect(rules.syncs).toContain('status ↔');
  });
});
