import { describe, expect, it } from 'vitest';
import type { JiraClient } from '../../src/jira/client';
import type { Replica } from '../../src/domain/replica';
import { ACCOUNT_MISS_TTL_MS, ACCOUNT_TTL_MS, prefetchLookups } from '../../src/sync/lookups';
import { twinStore, type AccountMap } from '../../src/sync/twins';
import { MemoryKvs, MemoryLog } from '../support/memory-platform';

// The partner's people are mapped to accounts here by email and the mapping is
// kept on the twin, so a steady stream of edits does not look users up on every
// sync. The rule: a found account is used for a day, an email with no account
// here for an hour, a failed search is not kept, and only the emails the
// replica carries now are kept.

const T0 = Date.parse('2026-11-23T09:00:00Z');

function fakeJira(directory: Record<string, string>, failing = new Set<string>()) {
  const searched: string[] = [];
  const jira = {
    metadata: { priorities: async () => [], statuses: async () => [], resolutions: async () => [] },
    projects: { get: async () => ({ id: '1' }), issueTypes: async () => [], defaultIssueTypeId: async () => null },
    users: {
      search: async (email: string) => {
        searched.push(email);
        if (failing.has(email)) throw new Error('Jira is down');
        const accountId = directory[email];
        return accountId ? [{ accountId, displayName: email, emailAddress: email, active: true }] : [];
      },
    },
  } as unknown as JiraClient;
  return { jira, searched };
}

const replica = (...emails: string[]) =>
  ({ reporter: emails[0] ? { email: emails[0], displayName: 'r' } : undefined, comments: emails.slice(1).map((email, i) => ({ id: String(i), body: 'c', author: { email, displayName: 'a' } })) }) as unknown as Replica;

async function lookUp(jira: JiraClient, now: number, r: Replica, accounts?: AccountMap) {
  const kvs = new MemoryKvs(undefined, () => now);
  return prefetchLookups({ jira, storage: { kvs, log: new MemoryLog() }, now, projectKeys: [], replica: r, connectionId: 'c', twins: twinStore(kvs), ...(accounts ? { accounts } : {}) });
}

describe('account mapping kept on the twin', () => {
  it('looks a person up once, then uses the kept mapping until a day has passed', async () => {
    const { jira, searched } = fakeJira({ 'ann@partner.example': 'acc-ann' });
    const first = await lookUp(jira, T0, replica('ann@partner.example'));
    expect(searched).toEqual(['ann@partner.example']);
    expect(first.lookups.users).toEqual([expect.objectContaining({ accountId: 'acc-ann' })]);

    const again = await lookUp(jira, T0 + ACCOUNT_TTL_MS - 1, replica('ann@partner.example'), first.accounts);
    expect(searched).toHaveLength(1);
    expect(again.lookups.users).toEqual(first.lookups.users);

    const dayLater = await lookUp(jira, T0 + ACCOUNT_TTL_MS, replica('ann@partner.example'), again.accounts);
    expect(searched).toHaveLength(2);
    expect(dayLater.accounts['ann@partner.example']!.at).toBe(T0 + ACCOUNT_TTL_MS);
  });

  it('keeps a miss for an hour only, so a person added here is found within the hour', async () => {
    const directory: Record<string, string> = {};
    const { jira, searched } = fakeJira(directory);
    const miss = await lookUp(jira, T0, replica('bob@partner.example'));
    expect(miss.lookups.users).toEqual([]);
    directory['bob@partner.example'] = 'acc-bob';
    expect((await lookUp(jira, T0 + ACCOUNT_MISS_TTL_MS - 1, replica('bob@partner.example'), miss.accounts)).lookups.users).toEqual([]);
    expect(searched).toHaveLength(1);
    const found = await lookUp(jira, T0 + ACCOUNT_MISS_TTL_MS, replica('bob@partner.example'), miss.accounts);
    expect(found.lookups.users).toEqual([expect.objectContaining({ accountId: 'acc-bob' })]);
    expect(searched).toHaveLength(2);
  });

  it('keeps nothing for a failed search, and only the emails the replica carries now', async () => {
    const { jira, searched } = fakeJira({ 'ann@partner.example': 'acc-ann', 'cy@partner.example': 'acc-cy' }, new Set(['cy@partner.example']));
    const first = await lookUp(jira, T0, replica('ann@partner.example', 'cy@partner.example'));
    expect(Object.keys(first.accounts)).toEqual(['ann@partner.example']);
    const next = await lookUp(jira, T0 + 1, replica('cy@partner.example'), first.accounts);
    expect(searched).toEqual(['ann@partner.example', 'cy@partner.example', 'cy@partner.example']);
    expect(Object.keys(next.accounts)).toEqual([]);
  });

  it('looks again when the kept time lies ahead of the clock (a clock set back)', async () => {
    const { jira, searched } = fakeJira({ 'ann@partner.example': 'acc-ann' });
    await lookUp(jira, T0, replica('ann@partner.example'), { 'ann@partner.example': { at: T0 + 60_000, users: [] } });
    expect(searched).toEqual(['ann@partner.example']);
  });
});

describe('twins stored before the account mapping', () => {
  it('read with an empty mapping, and keep it once written', async () => {
    const kvs = new MemoryKvs(undefined, () => T0);
    const twins = twinStore(kvs);
    // A twin as an installed app stored it before this field existed.
    const stored = {
      connectionId: 'c', localIssueId: '10', localKey: 'UD-1', remoteIssueId: '20', remoteKey: 'SC-1', remoteUrl: null, status: 'synchronized', origin: 'local',
      createdAt: T0, lastSyncAt: T0, outSeq: 3, inSeq: 2, lastSentHash: 'h', comments: { r1: 'l1' }, attachments: {}, ownComments: [], ownAttachments: [],
      fieldTimes: { summary: T0 }, remoteFieldTimes: {}, blockedBy: null,
    };
    await kvs.set('twin:c:10', stored);
    const read = await twins.get('c', '10');
    // Twins stored before worklogs synced read with no worklog copies, too.
    expect(read).toEqual({ ...stored, accounts: {}, worklogs: {} });
    await twins.save({ ...read!, accounts: { 'ann@partner.example': { at: T0, users: [] } } });
    expect((await twins.get('c', '10'))!.accounts).toEqual({ 'ann@partner.example': { at: T0, users: [] } });
    expect((await twins.findByRemote('c', '20'))!.comments).toEqual({ r1: 'l1' });
  });
});
