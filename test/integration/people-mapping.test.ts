import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, invoke, twoSites } from './helpers';
import { addRules, create, exalate, history, read, type Runtime } from './fields-support';

// The partner's people, placed on this side (issue #17 item 9): by email where the partner shares it, else
// by the connection's People table, else its fallback person; never silently the app. Blue UD ↔ green SC,
// green's incoming script maps assignee and reporter with nodeHelper.mapUser, as its default suggests.

const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003'; // blue, email hidden
const BEN = '712020:b1e00000-2222-4000-8000-000000000002'; // blue, email visible, no account on green
const DAN = '712020:b1e00000-4444-4000-8000-000000000004'; // blue
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11'; // the same person on both sites
const HUGO = '712020:96ee0000-2222-4000-8000-000000000002'; // green
const IRIS = '712020:96ee0000-3333-4000-8000-000000000003'; // green, email hidden
const JACK = '712020:96ee0000-4444-4000-8000-000000000004'; // green, not an admin
const GREEN_APP = '712020:96ee0000-0a99-4000-8000-0000000000a2';

type People = { people: { fallback: { accountId: string } | null; accounts: { remote: { accountId: string }; local: { accountId: string } }[]; unmatched: { accountId: string; displayName: string }[] } };

let rt: Runtime;
let ids: { blueConnectionId: string; greenConnectionId: string };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-05T09:00:00Z'));
  rt = await twoSites();
  ids = await connect(rt);
  await addRules(rt, 'green', ids.greenConnectionId, { incoming: 'issue.assignee = nodeHelper.mapUser(replica.assignee);\nissue.reporter = nodeHelper.mapUser(replica.reporter);' });
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const people = () => invoke<People>(rt, 'green', 'getPeopleMapping', { connectionId: ids.greenConnectionId });
const mention = (id: string, text: string) => ({ type: 'mention', attrs: { id, text } });

describe('people of the other side', () => {
  it('with no match and no fallback, leaves the field as it is with a warning (never silently the app) and lists the person for the admin', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Hidden reporter', reporter: { accountId: CHLOE }, assignee: { accountId: BEN } });
    const twin = await exalate(rt, ids.blueConnectionId, issue.key);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.assignee ?? null).toBeNull();
    const warnings = (await history(rt, 'green', twin.remoteKey)).flatMap((h) => h.warnings ?? []).join('\n');
    expect(warnings).toContain('Chloe Dunn has no account here');
    expect(warnings).toContain('Ben Carter has no account here');
    expect((await people()).people.unmatched.map((p) => p.displayName).sort()).toEqual(['Ben Carter', 'Chloe Dunn']);
  });

  it('refuses People settings from a non-admin, and an app account or an unknown person as a target, saving nothing', async () => {
    const edit = { connectionId: ids.greenConnectionId, fallbackAccountId: HUGO, accounts: [] };
    await expect(invoke(rt, 'green', 'setPeopleMapping', edit, { accountId: JACK })).rejects.toThrow(/403/);
    await expect(invoke(rt, 'green', 'getPeopleMapping', { connectionId: ids.greenConnectionId }, { accountId: JACK })).rejects.toThrow(/403/);
    await expect(invoke(rt, 'green', 'setPeopleMapping', { ...edit, fallbackAccountId: GREEN_APP })).rejects.toThrow(/app or customer account/);
    await expect(invoke(rt, 'green', 'setPeopleMapping', { ...edit, accounts: [{ remoteAccountId: CHLOE, remoteDisplayName: 'Chloe Dunn', localAccountId: '712020:nobody' }] })).rejects.toThrow(/no person 712020:nobody/);
    await expect(
      invoke(rt, 'green', 'setPeopleMapping', { ...edit, accounts: [1, 2].map(() => ({ remoteAccountId: CHLOE, remoteDisplayName: 'Chloe Dunn', localAccountId: IRIS })) }),
    ).rejects.toThrow(/twice/);
    const after = (await people()).people;
    expect(after.fallback).toBeNull();
    expect(after.accounts).toEqual([]);
  });

  it('places people by the account table, then the fallback person; the table takes them off the unmatched list', async () => {
    const saved = await invoke<People>(rt, 'green', 'setPeopleMapping', {
      connectionId: ids.greenConnectionId,
      fallbackAccountId: HUGO,
      accounts: [{ remoteAccountId: CHLOE, remoteDisplayName: 'Chloe Dunn', localAccountId: IRIS }],
    });
    expect(saved.people.unmatched.map((p) => p.displayName)).toEqual(['Ben Carter']);

    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Mapped people', reporter: { accountId: CHLOE }, assignee: { accountId: BEN } });
    const twin = await exalate(rt, ids.blueConnectionId, issue.key);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.reporter?.accountId).toBe(IRIS); // the table
    expect(green.fields.assignee?.accountId).toBe(HUGO); // the fallback
    const warnings = (await history(rt, 'green', twin.remoteKey)).flatMap((h) => h.warnings ?? []);
    expect(warnings.filter((w) => /has no account here/.test(w))).toEqual([]);
    // Ben took the fallback: still listed, so the admin can give him a row.
    expect((await people()).people.unmatched.map((p) => p.displayName)).toEqual(['Ben Carter']);
  });

  it('points mentions at the people they map to here, and turns the rest into their names', async () => {
    const description = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [mention(CHLOE, '@Chloe Dunn'), { type: 'text', text: ' and ' }, mention(DAN, '@Dan Evans'), { type: 'text', text: ' and ' }, mention(SAM, '@Sam Rivera')] }],
    };
    // Sam is the assignee too: his email finds him on green, where he is the same account.
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Mentions', description, assignee: { accountId: SAM } });
    await drain(rt);
    const twin = await exalate(rt, ids.blueConnectionId, issue.key);
    const paragraph = (await read(rt, 'green', twin.remoteKey)).fields.description.content[0].content as { type: string; text?: string; attrs?: { id: string; text: string } }[];
    expect(paragraph).toEqual([
      expect.objectContaining({ type: 'mention', attrs: expect.objectContaining({ id: IRIS, text: '@Iris Jones' }) }),
      { type: 'text', text: ' and ' },
      { type: 'text', text: '@Dan Evans' },
      { type: 'text', text: ' and ' },
      expect.objectContaining({ type: 'mention', attrs: expect.objectContaining({ id: SAM }) }),
    ]);
    // Dan, mentioned but placed nowhere, is listed for the admin.
    expect((await people()).people.unmatched.map((p) => p.accountId)).toContain(DAN);
  });
});
