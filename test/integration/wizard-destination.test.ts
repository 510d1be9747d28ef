import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeInvitation } from '../../src/domain/invitation';
import { drain, invoke, twoSites } from './helpers';

// The Initiate wizard's destination, in the local runtime: the partner's
// Jira site address (what an admin knows) or its Exalate URL, each resolved
// to the other; connection names unique per site; the inviter's description
// on the accepting side; and Visual mode's pickers, read as the admin and
// refused to anyone else.

const DAN = '712020:b1e00000-4444-4000-8000-000000000004'; // administers UD on blue, not a Jira admin
const projectPage = (projectKey: string) => ({ moduleKey: 'exalate-project-settings', extension: { project: { key: projectKey } } });

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueSite: string;
let greenSite: string;
let greenEndpoint: string;

type Row = { id: string; name: string; description: string; status: string; remoteName: string };
const rows = async (site: string) => (await invoke<{ connections: Row[] }>(rt, site, 'listConnections')).connections;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites();
  blueSite = (await invoke<{ siteUrl: string }>(rt, 'blue', 'getInstance')).siteUrl;
  const green = await invoke<{ siteUrl: string; exalateUrl: string }>(rt, 'green', 'getInstance');
  greenSite = green.siteUrl;
  greenEndpoint = green.exalateUrl;
});

afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

describe('the destination an admin pastes', () => {
  it('resolves an Exalate URL to its site and name, a Jira site to itself, and this site to a local connection', async () => {
    await expect(invoke(rt, 'blue', 'describeDestination', { url: greenEndpoint })).resolves.toMatchObject({ kind: 'endpoint', siteUrl: greenSite, exalateUrl: greenEndpoint });
    await expect(invoke(rt, 'blue', 'describeDestination', { url: `${greenSite}/` })).resolves.toMatchObject({ kind: 'site', siteUrl: greenSite, exalateUrl: null });
    await expect(invoke(rt, 'blue', 'describeDestination', { url: 'https://acme.atlassian.net/jira/your-work' })).resolves.toMatchObject({
      kind: 'site',
      siteUrl: 'https://acme.atlassian.net',
    });
    await expect(invoke(rt, 'blue', 'describeDestination', { url: blueSite })).resolves.toMatchObject({ kind: 'this-instance' });
  });

  it('refuses what is neither, saying what to paste, and stores nothing', async () => {
    const paste = /Paste your partner's Jira site address, such as https:\/\/acme\.atlassian\.net, or the Exalate URL/;
    await expect(invoke(rt, 'blue', 'describeDestination', { url: 'acme' })).rejects.toThrow(paste);
    await expect(invoke(rt, 'blue', 'describeDestination', { url: 'http://acme.example.com' })).rejects.toThrow(/plain http/);
    await expect(invoke(rt, 'blue', 'describeDestination', { url: 'http://acme.example.com' })).rejects.toThrow(paste);
    expect(await rows('blue')).toEqual([]);
  });

  it('connects through the site address: the partner\'s Exalate URL arrives with the acceptance and carries the sync', async () => {
    const made = await invoke<{ connectionId: string; invitationCode: string; kind: string; partnerSiteUrl: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: greenSite,
      mode: 'script',
      localName: 'BlueJira',
      remoteName: 'green',
      name: 'Design to Chasers',
      description: 'UI bugs go to the Chasers team.',
      projectKey: 'UD',
    });
    expect(made).toMatchObject({ kind: 'public', partnerSiteUrl: greenSite });
    const code = decodeInvitation(made.invitationCode);
    expect(code.description).toBe('UI bugs go to the Chasers team.');

    await invoke(rt, 'green', 'acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    await drain(rt);
    const blueRow = (await rows('blue')).find((r) => r.id === made.connectionId);
    const greenRow = (await rows('green')).find((r) => r.id === made.connectionId);
    expect(blueRow).toMatchObject({ status: 'Active', name: 'Design to Chasers' });
    expect(greenRow).toMatchObject({ status: 'Active', name: 'Design to Chasers', description: 'UI bugs go to the Chasers team.' });
    const ping = await invoke<{ ok: boolean }>(rt, 'blue', 'pingConnection', { connectionId: made.connectionId });
    expect(ping.ok).toBe(true);
  });

  it('refuses a name this site already has, typed by an admin; a proposed one is made unique', async () => {
    const base = { destinationUrl: greenSite, mode: 'script', localName: 'BlueJira', remoteName: 'green', projectKey: 'UD' };
    const before = await rows('blue');
    await expect(invoke(rt, 'blue', 'initiateConnection', { ...base, name: ' design TO chasers ' })).rejects.toThrow(
      /409: name: a connection named "Design to Chasers" already exists on this site\. Choose another name\./,
    );
    expect(await rows('blue')).toEqual(before);
    await invoke(rt, 'blue', 'initiateConnection', base);
    const second = await invoke<{ invitationCode: string }>(rt, 'blue', 'initiateConnection', base);
    expect((await rows('blue')).map((r) => r.name)).toEqual(expect.arrayContaining(['BlueJira_to_green', 'BlueJira_to_green_2']));
    // The accepting side: a name taken there is refused when typed, made free when not.
    await expect(invoke(rt, 'green', 'acceptInvitation', { invitationCode: second.invitationCode, projectKey: 'SC', name: 'design to chasers' })).rejects.toThrow(/409: name:/);
    await invoke(rt, 'green', 'acceptInvitation', { invitationCode: second.invitationCode, projectKey: 'SC' });
    expect((await rows('green')).map((r) => r.name)).toContain('BlueJira_to_green_2');
    await expect(invoke(rt, 'blue', 'updateConnection', { connectionId: (await rows('blue'))[0]!.id, name: 'BlueJira_to_green_2' })).rejects.toThrow(/409: name:/);
  });
});

describe("Visual mode's picker values", () => {
  it("lists a project's types, its workflows' statuses, priorities, custom fields with options, and people with avatars", async () => {
    const values = await invoke<{
      issueTypes: { name: string }[];
      statuses: { name: string }[];
      priorities: { name: string }[];
      customFields: { name: string; type: string; options: string[] }[];
    }>(rt, 'blue', 'getJiraValues', { projectKey: 'WEB' });
    expect(values.issueTypes.map((t) => t.name)).toContain('Bug');
    expect(values.statuses.map((s) => s.name)).toEqual(expect.arrayContaining(['Backlog', 'To Do', 'In Progress', 'In Review', 'Done']));
    expect(values.priorities.length).toBeGreaterThan(2);
    const select = values.customFields.find((f) => f.type === 'select');
    expect(select?.options.length).toBeGreaterThan(0);
    expect(values.customFields.some((f) => f.type === 'user')).toBe(true);
    const people = await invoke<{ users: { displayName: string; avatarUrl: string | null }[] }>(rt, 'blue', 'searchUsers', { query: 'dan' });
    expect(people.users).toEqual([expect.objectContaining({ displayName: 'Dan Evans', avatarUrl: expect.stringMatching(/^http/) })]);
  });

  it('are for Jira admins on the admin page only', async () => {
    await expect(invoke(rt, 'blue', 'getJiraValues', { projectKey: 'UD' }, { ...projectPage('UD'), accountId: DAN })).rejects.toThrow(
      /403: "getJiraValues" cannot be called from the module exalate-project-settings/,
    );
    await expect(invoke(rt, 'blue', 'searchUsers', { query: 'a' }, { moduleKey: 'exalate-admin', accountId: DAN })).rejects.toThrow(/403: .*\(ADMINISTER\)/);
    await expect(invoke(rt, 'blue', 'getJiraValues', { projectKey: 'NOPE' })).rejects.toThrow(/NOPE/);
  });
});
