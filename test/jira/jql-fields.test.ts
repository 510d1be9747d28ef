// JQL over what full field sync adds: versions, components, attachments,
// watchers, history searches (CHANGED, WAS) over the changelog, and the
// honest answer for fields these sites do not have (sprint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { adf, openHarness, type Harness } from './harness';

const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });
const HOUR = 3_600_000;

describe('JQL over versions, components, attachments, watchers and history', () => {
  let h: Harness;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    h = await openHarness('blue');
    const create = async (name: string, fields: Record<string, unknown>) => {
      const created = await h.call('POST', '/rest/api/3/issue', {
        body: { fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: `JQL ${name}`, labels: ['jqlfields'], ...fields } },
      });
      keys[name] = created.body.key;
    };
    await create('a', { components: [{ name: 'Backend' }], fixVersions: [{ name: '1.1' }], versions: [{ name: '1.0' }] });
    await create('b', { components: [{ name: 'Frontend' }, { name: 'Content' }], fixVersions: [{ name: '2.0' }] });
    await create('c', {});
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    await h.call('POST', `/rest/api/3/issue/${keys.b}/attachments`, { rawBody: form, headers: { 'X-Atlassian-Token': 'no-check' } });
    await h.call('POST', `/rest/api/3/issue/${keys.c}/watchers`, { body: DAN });
    // History: a moves along at known times, by known people.
    h.clock.advance(HOUR);
    await h.call('POST', `/rest/api/3/issue/${keys.a}/transitions`, { body: { transition: { id: '11' } }, ...as(DAN) });
    h.clock.advance(HOUR);
    await h.call('POST', `/rest/api/3/issue/${keys.a}/transitions`, { body: { transition: { id: '21' } } });
    await h.call('PUT', `/rest/api/3/issue/${keys.a}`, { body: { fields: { priority: { name: 'Highest' } } } });
    h.clock.advance(HOUR);
    // b was assigned to Frontend's lead, Dan, when it was made.
    await h.call('PUT', `/rest/api/3/issue/${keys.b}/assignee`, { body: { accountId: SAM } });
    await h.call('PUT', `/rest/api/3/issue/${keys.b}`, { body: { fields: { fixVersions: [{ name: '1.1' }] } } });
  });
  afterAll(() => h.close());

  const search = async (jql: string, caller: { as?: Caller } = {}) => {
    const answer = await h.call('POST', '/rest/api/3/search/jql', {
      body: { jql: `labels = jqlfields AND (${jql}) ORDER BY key ASC`, fields: ['summary'] }, ...caller,
    });
    if (answer.status !== 200) return answer.body.errorMessages as string[];
    return answer.body.issues.map((i: { key: string }) => Object.keys(keys).find((k) => keys[k] === i.key));
  };

  it('finds issues by fix version, affected version and component, by name or id', async () => {
    expect(await search('fixVersion = "1.1"')).toEqual(['a', 'b']);
    expect(await search('fixVersion in ("2.0", "1.0") OR affectedVersion = "1.0"')).toEqual(['a']);
    expect(await search('component = Frontend')).toEqual(['b']);
    expect(await search('component in (Backend, Content)')).toEqual(['a', 'b']);
    expect(await search('component is EMPTY')).toEqual(['c']);
    expect(await search('fixVersion != "1.1"')).toEqual([]);
    const backend = (await h.call('GET', '/rest/api/3/project/WEB/components')).body.find((c: { name: string }) => c.name === 'Backend').id;
    expect(await search(`component = ${backend}`)).toEqual(['a']);
    expect(await search('fixVersion = "9.9"')).toEqual(["The value '9.9' does not exist for the field 'fixVersion'."]);
    // Versions of projects a person cannot see do not exist for them.
    expect(await search('project = UD AND fixVersion = "1.1"', as(BEN))).toEqual(["The value '1.1' does not exist for the field 'fixVersion'."]);
    expect(await search('fixVersion in releasedVersions()')).toEqual(["Unable to find JQL function 'releasedVersions()'."]);
  });

  it('knows whether there are attachments, and who watches', async () => {
    expect(await search('attachments IS NOT EMPTY')).toEqual(['b']);
    expect(await search('attachments IS EMPTY')).toEqual(['a', 'c']);
    expect(await search('attachments = x.txt')).toEqual(["The operator '=' is not supported by the 'attachments' field."]);
    expect(await search(`watcher = "${DAN}"`)).toEqual(['c']);
    expect(await search('watcher = currentUser()', as(DAN))).toEqual(['c']);
    expect(await search('watcher = currentUser()', as(SAM))).toEqual([]);
    expect(await search('watcher = "Dan Evans" OR watcher is EMPTY')).toEqual(['a', 'b', 'c']);
    expect(await search('watcher is not EMPTY')).toEqual(['c']);
  });

  it('searches the history with CHANGED, its predicates, and WAS', async () => {
    const t0 = Date.parse('2026-11-23T12:00:00Z');
    expect(await search('status CHANGED')).toEqual(['a']);
    expect(await search('NOT status CHANGED')).toEqual(['b', 'c']);
    expect(await search('status CHANGED FROM Backlog TO "To Do"')).toEqual(['a']);
    expect(await search('status CHANGED FROM "To Do" TO Done')).toEqual([]);
    expect(await search(`status CHANGED BY "${DAN}"`)).toEqual(['a']);
    expect(await search('status CHANGED TO "In Progress" BY "Dan Evans"')).toEqual([]);
    expect(await search(`status CHANGED AFTER ${t0 + 90 * 60_000}`)).toEqual(['a']);
    expect(await search(`status CHANGED BEFORE ${t0 + 90 * 60_000} TO "In Progress"`)).toEqual([]);
    expect(await search('status CHANGED ON "2026-11-23"')).toEqual(['a']);
    expect(await search('status CHANGED DURING ("2026-11-24", "2026-11-30")')).toEqual([]);
    expect(await search('priority CHANGED TO Highest')).toEqual(['a']);
    expect(await search('assignee CHANGED FROM "Dan Evans" TO "Sam Rivera"')).toEqual(['b']);
    expect(await search('assignee CHANGED FROM EMPTY')).toEqual([]);
    expect(await search('fixVersion CHANGED TO "1.1"')).toEqual(['b']);
    expect(await search('status WAS "To Do"')).toEqual(['a']);
    expect(await search('status WAS Backlog')).toEqual(['a', 'b', 'c']);
    // a left Backlog an hour in; b and c are still there.
    expect(await search(`status WAS Backlog AFTER ${t0 + 90 * 60_000}`)).toEqual(['b', 'c']);
    expect(await search(`status WAS Backlog BEFORE ${t0 + 30 * 60_000}`)).toEqual(['a', 'b', 'c']);
    expect(await search('status WAS NOT "In Progress"')).toEqual(['b', 'c']);
    expect(await search(`status WAS IN ("To Do", "In Progress") BY "${DAN}"`)).toEqual(['a']);
    expect(await search('assignee WAS EMPTY')).toEqual(['a', 'c']);
    expect(await search(`assignee WAS "${SAM}" BY currentUser()`, as(DAN))).toEqual([]);
    expect(await search('summary CHANGED')).toEqual(["The operator 'changed' is not supported by the 'summary' field."]);
    expect(await search('fixVersion WAS "1.1"')).toEqual(["The operator 'was' is not supported by the 'fixVersion' field."]);
    expect(await search('status WAS Nope')).toEqual(["The value 'Nope' does not exist for the field 'status'."]);
  });

  it('answers for sprint as Jira does for a field the site does not have', async () => {
    expect(await search('sprint in openSprints()')).toEqual(["Field 'sprint' does not exist or you do not have permission to view it."]);
    expect(await search('sprint = 1')).toEqual(["Field 'sprint' does not exist or you do not have permission to view it."]);
    const ordered = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = WEB ORDER BY sprint' }, offContract: true });
    expect(ordered.body.errorMessages).toEqual(["Not able to sort using field 'sprint'."]);
  });

  it('keeps comments and worklogs out of the history searches of other fields', async () => {
    await h.call('POST', `/rest/api/3/issue/${keys.c}/comment`, { body: { body: adf('No status change') } });
    await h.call('POST', `/rest/api/3/issue/${keys.c}/worklog`, { body: { timeSpent: '1h' } });
    expect(await search('status CHANGED')).toEqual(['a']);
  });
});
