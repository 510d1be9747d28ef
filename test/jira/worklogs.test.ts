// Logging work as Jira does it: worklogs in Jira's shape, the remaining
// estimate kept as `adjustEstimate` asks, the history and the Forge events,
// and who may log, edit and delete work.
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Caller, ProductEvent } from '../../src/local/contracts';
import { adf, openHarness, START, type Harness } from './harness';

const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });

describe('worklogs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  const task = async (fields: Record<string, unknown> = {}, project = 'UD'): Promise<string> => {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: project }, issuetype: { name: 'Task' }, summary: 'Work', ...fields } },
    });
    return created.body.key;
  };
  const time = async (key: string) => (await h.call('GET', `/rest/api/3/issue/${key}?fields=timetracking,timespent,timeestimate,workratio,progress`)).body.fields;
  const log = (key: string, body: Record<string, unknown>, query = '', caller: { as?: Caller } = {}) =>
    h.call('POST', `/rest/api/3/issue/${key}/worklog${query}`, { body, ...caller });

  it('logs work in Jira\'s shape and keeps the issue\'s time tracking', async () => {
    const key = await task({ timetracking: { originalEstimate: '1d' } });
    expect((await time(key)).timetracking).toEqual({
      originalEstimate: '1d', originalEstimateSeconds: 28800, remainingEstimate: '1d', remainingEstimateSeconds: 28800,
    });
    const added = await log(key, { timeSpent: '1h 30m', started: '2026-11-23T09:00:00.000+0100', comment: adf('Paired on it') });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      timeSpent: '1h 30m', timeSpentSeconds: 5400, started: '2026-11-23T08:00:00.000+0000', comment: adf('Paired on it'),
      author: { accountId: h.site.appAccountId }, updateAuthor: { accountId: h.site.appAccountId },
      created: '2026-11-23T12:00:00.000+0000',
    });
    expect(added.body.self).toBe(`http://jira.test/blue/rest/api/3/issue/${added.body.issueId}/worklog/${added.body.id}`);
    const fields = await time(key);
    expect(fields).toMatchObject({ timespent: 5400, timeestimate: 23400, workratio: 18, progress: { progress: 5400, total: 28800, percent: 18 } });
    expect(fields.timetracking.timeSpent).toBe('1h 30m');
    expect(fields.timetracking.remainingEstimate).toBe('6h 30m');
  });

  it('fires the worklog event and records time spent, the worklog and the estimate in the history', async () => {
    const key = await task({ timetracking: { originalEstimate: '2h' } });
    h.events.splice(0);
    const added = await log(key, { timeSpentSeconds: 3600 });
    const events = h.events.splice(0) as ProductEvent[];
    expect(events.map((e) => e.eventType)).toEqual(['avi:jira:created:worklog', 'avi:jira:updated:issue']);
    expect(events[0]!.payload).toMatchObject({
      eventType: 'avi:jira:created:worklog',
      worklog: { id: added.body.id, issueId: added.body.issueId, timeSpentSeconds: 3600, timeSpent: '1h', author: { accountId: h.site.appAccountId } },
    });
    expect((events[1]!.payload as { changelog: { items: unknown[] } }).changelog.items).toEqual([
      { field: 'timespent', fieldId: 'timespent', fieldtype: 'jira', from: null, fromString: null, to: '3600', toString: '3600' },
      { field: 'timeestimate', fieldId: 'timeestimate', fieldtype: 'jira', from: '7200', fromString: '7200', to: '3600', toString: '3600' },
      { field: 'WorklogId', fieldId: 'worklogId', fieldtype: 'jira', from: null, fromString: null, to: added.body.id, toString: added.body.id },
    ]);

    h.clock.advance(60_000);
    const edited = await h.call('PUT', `/rest/api/3/issue/${key}/worklog/${added.body.id}`, { body: { timeSpent: '90m', comment: adf('Longer') } });
    expect(edited.body).toMatchObject({ timeSpentSeconds: 5400, updated: new Date(START + 60_000).toISOString().replace('Z', '+0000'), comment: adf('Longer') });
    expect((await time(key)).timeestimate).toBe(1800);
    expect(h.events.splice(0).map((e) => e.eventType)).toEqual(['avi:jira:updated:worklog', 'avi:jira:updated:issue']);

    expect((await h.call('DELETE', `/rest/api/3/issue/${key}/worklog/${added.body.id}`)).status).toBe(204);
    const deleted = h.events.splice(0);
    expect(deleted.map((e) => e.eventType)).toEqual(['avi:jira:deleted:worklog', 'avi:jira:updated:issue']);
    expect(await time(key)).toMatchObject({ timespent: null, timeestimate: 7200 });
    expect((await h.call('GET', `/rest/api/3/issue/${key}/worklog/${added.body.id}`)).status).toBe(404);
  });

  it('adjusts the remaining estimate as adjustEstimate asks', async () => {
    const key = await task({ timetracking: { originalEstimate: '1d', remainingEstimate: '8h' } });
    await log(key, { timeSpent: '1h' }, '?adjustEstimate=leave');
    expect((await time(key)).timeestimate).toBe(28800);
    await log(key, { timeSpent: '1h' }, '?adjustEstimate=new&newEstimate=3h');
    expect((await time(key)).timeestimate).toBe(10800);
    const manual = await log(key, { timeSpent: '1h' }, '?adjustEstimate=manual&reduceBy=30m');
    expect((await time(key)).timeestimate).toBe(9000);
    await h.call('DELETE', `/rest/api/3/issue/${key}/worklog/${manual.body.id}?adjustEstimate=manual&increaseBy=2h`);
    expect((await time(key)).timeestimate).toBe(16200);
    const missing = await log(key, { timeSpent: '1h' }, '?adjustEstimate=new');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ newEstimate: 'You must supply a valid new estimate.' });
    expect((await log(key, { timeSpent: '1h' }, '?adjustEstimate=manual')).body.errors.reduceBy).toBeDefined();
  });

  it('refuses a worklog without time, with an unreadable duration or start, and stores nothing', async () => {
    const key = await task();
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{}, { timeLogged: 'You must indicate the time spent working.' }],
      [{ timeSpent: 'soon' }, { timeLogged: 'Invalid time duration entered.' }],
      [{ timeSpentSeconds: 30 }, { timeLogged: 'Invalid time duration entered.' }],
      [{ timeSpent: '1h', started: '2026-11-23T09:00:00.000+01:00' }, { started: 'Error parsing time: 2026-11-23T09:00:00.000+01:00' }],
      [{ timeSpent: '1h', comment: 'plain' }, { comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' }],
    ];
    for (const [body, errors] of cases) {
      const refused = await log(key, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors).toEqual(errors);
    }
    expect((await h.call('GET', `/rest/api/3/issue/${key}/worklog`)).body).toMatchObject({ total: 0, worklogs: [] });
  });

  it('lists, pages and reads worklogs, also in bulk by id', async () => {
    const key = await task();
    const ids: string[] = [];
    for (const day of ['20', '21', '22']) {
      ids.push((await log(key, { timeSpent: '1h', started: `2026-11-${day}T09:00:00.000+0000` })).body.id);
    }
    const list = await h.call('GET', `/rest/api/3/issue/${key}/worklog?startAt=1&maxResults=1`);
    expect(list.body).toMatchObject({ startAt: 1, maxResults: 1, total: 3, worklogs: [{ id: ids[1] }] });
    const after = await h.call('GET', `/rest/api/3/issue/${key}/worklog?startedAfter=${Date.parse('2026-11-21T00:00:00Z')}`);
    expect(after.body.worklogs.map((w: { id: string }) => w.id)).toEqual(ids.slice(1));
    const inIssue = (await h.call('GET', `/rest/api/3/issue/${key}?fields=worklog`)).body.fields.worklog;
    expect(inIssue).toMatchObject({ startAt: 0, maxResults: 20, total: 3 });
    const bulk = await h.call('POST', '/rest/api/3/worklog/list', { body: { ids: [Number(ids[2]), Number(ids[0]), 999999] } });
    expect(bulk.body.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[0]]);
    expect((await h.call('POST', '/rest/api/3/worklog/list', { body: { ids: [] } })).status).toBe(400);
  });

  it('logs work through update.worklog on edit', async () => {
    const key = await task();
    await h.call('PUT', `/rest/api/3/issue/${key}`, {
      body: { update: { worklog: [{ add: { timeSpent: '45m', started: '2026-11-22T10:00:00.000+0000' } }] } },
    });
    expect((await h.call('GET', `/rest/api/3/issue/${key}/worklog`)).body.worklogs).toMatchObject([{ timeSpent: '45m' }]);
  });

  it('lets workers log, and only admins touch other people\'s work', async () => {
    const test = await task({}, 'TEST');
    const refused = await log(test, { timeSpent: '1h' }, '', as(CHLOE));
    expect(refused.status).toBe(400);
    expect(refused.body.errorMessages).toEqual(['You do not have the permission to associate a worklog to this issue.']);
    expect((await log(test, { timeSpent: '1h' }, '', as(DAN))).status).toBe(201);

    const ud = await task();
    const sams = await log(ud, { timeSpent: '1h' }, '', as(SAM));
    const path = `/rest/api/3/issue/${ud}/worklog/${sams.body.id}`;
    expect((await h.call('PUT', path, { body: { timeSpent: '2h' }, ...as(BEN) })).body.errorMessages).toEqual(['You do not have the permission to update this worklog.']);
    expect((await h.call('DELETE', path, as(BEN))).status).toBe(400);
    expect((await h.call('PUT', path, { body: { timeSpent: '2h' }, ...as(SAM) })).status).toBe(200);
    expect((await h.call('PUT', path, { body: { timeSpent: '3h' }, ...as(DAN) })).status).toBe(200);
    // Work on a project the caller cannot see is not there for them.
    expect((await h.call('GET', `/rest/api/3/issue/${test}/worklog`, as(BEN))).status).toBe(404);
    const testLog = (await h.call('GET', `/rest/api/3/issue/${test}/worklog`)).body.worklogs[0].id;
    expect((await h.call('POST', '/rest/api/3/worklog/list', { body: { ids: [Number(testLog)] }, ...as(BEN) })).body).toEqual([]);
  });
});
