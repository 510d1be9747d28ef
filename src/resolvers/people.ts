import { AppError } from '../domain/errors';
import type { Person } from '../domain/people';
import type { JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { readPeople, savePeople } from '../sync/people';
import type { Handlers } from './define';
import { connectionInReach } from './scope';

// The connection's People settings (src/domain/people.ts). Every person named here is looked up as the
// admin who saves, so only people that admin can see are placed, and an app account or a deactivated
// person is refused rather than becoming an assignee nobody can reach.

async function personHere(jira: JiraClient, accountId: string, role: string): Promise<Person> {
  let user;
  try {
    user = await jira.users.get(accountId);
  } catch (e) {
    if (isJiraError(e) && (e.kind === 'not-found' || e.kind === 'bad-request')) throw new AppError('BadInput', `${role}: there is no person ${accountId} on this site, or you cannot see them.`);
    throw e;
  }
  if (user.accountType && user.accountType !== 'atlassian') throw new AppError('BadInput', `${role}: ${user.displayName ?? accountId} is an app or customer account, not a person of this site.`);
  if (user.active === false) throw new AppError('BadInput', `${role}: ${user.displayName ?? accountId} is deactivated on this site.`);
  return { accountId: user.accountId, displayName: user.displayName ?? user.accountId };
}

export const peopleHandlers: Handlers<'getPeopleMapping' | 'setPeopleMapping'> = {
  getPeopleMapping: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    return { ok: true, people: await readPeople(call.platform, connection.id) };
  },

  setPeopleMapping: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    const { fallbackAccountId, accounts } = call.input;
    // Each person once, however many rows name them.
    const seen = new Map<string, Promise<Person>>();
    const here = (accountId: string, role: string) => seen.get(accountId) ?? seen.set(accountId, personHere(call.jira, accountId, role)).get(accountId)!;
    const fallback = fallbackAccountId ? await here(fallbackAccountId, 'Fallback person') : null;
    const rows = [];
    for (const row of accounts) {
      const local = await here(row.localAccountId, `The row for ${row.remoteDisplayName || row.remoteAccountId}`);
      rows.push({ remote: { accountId: row.remoteAccountId, displayName: row.remoteDisplayName || row.remoteAccountId }, local });
    }
    return { ok: true, people: await savePeople(call.platform, connection.id, { fallback, accounts: rows }) };
  },
};
