// Every change made through the REST API fires the product event Jira Cloud
// fires, with Forge's payload shape and the caller as actor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProductEvent } from '../../src/local/contracts';
import { adf, openHarness, START, type Harness } from './harness';

const BEN = '712020:b1e00000-2222-4000-8000-000000000002';

describe('product events', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  const drain = (): ProductEvent[] => h.events.splice(0, h.events.length);
  const types = (events: ProductEvent[]): string[] => events.map((e) => e.eventType);

  async function createTask(summary = 'Event source'): Promise<{ id: string; key: string }> {
    const created = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary } },
    });
    return created.body;
  }

  it('fires created:issue with the issue, the actor and the associated user', async () => {
    const { id, key } = await createTask();
    const [event, ...rest] = drain();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      eventType: 'avi:jira:created:issue',
      actorAccountId: h.site.appAccountId,
      payload: {
        eventType: 'avi:jira:created:issue',
        atlassianId: h.site.appAccountId,
        associatedUsers: [{ accountId: h.site.appAccountId }],
        issue: {
          id,
          key,
          fields: {
            summary: 'Event source',
            issuetype: { name: 'Task' },
            project: { key: 'UD' },
            status: { name: 'To Do', statusCategory: { key: 'new' } },
            creator: { accountId: h.site.appAccountId },
            reporter: { accountId: h.site.appAccountId },
            assignee: null,
            created: '2026-11-23T12:00:00.000+0000',
          },
        },
      },
    });
  });

  it('fires updated:issue with a changelog of every changed field, and assigned:issue for a new assignee', async () => {
    const { key } = await createTask();
    drain();
    h.clock.advance(60_000);
    await h.call('PUT', `/rest/api/3/issue/${key}`, {
      body: {
        fields: { summary: 'Renamed', assignee: { accountId: BEN }, customfield_10021: { value: 'Minor' } },
        update: { labels: [{ add: 'sync' }] },
      },
      as: { kind: 'user', accountId: BEN },
    });
    const events = drain();
    expect(types(events)).toEqual(['avi:jira:updated:issue', 'avi:jira:assigned:issue']);
    const [updated] = events;
    expect(updated?.actorAccountId).toBe(BEN);
    const changelog = updated?.payload.changelog as { id: string; items: Record<string, unknown>[] };
    expect(changelog.id).toMatch(/^\d+$/);
    expect(changelog.items).toEqual(
      expect.arrayContaining([
        { field: 'summary', fieldId: 'summary', fieldtype: 'jira', from: null, fromString: 'Event source', to: null, toString: 'Renamed' },
        { field: 'labels', fieldId: 'labels', fieldtype: 'jira', from: null, fromString: '', to: null, toString: 'sync' },
        { field: 'assignee', fieldId: 'assignee', fieldtype: 'jira', from: null, fromString: null, to: BEN, toString: 'Ben Carter' },
        { field: 'Severity', fieldId: 'customfield_10021', fieldtype: 'custom', from: null, fromString: null, to: '10102', toString: 'Minor' },
      ]),
    );
    expect(changelog.items).toHaveLength(4);
    expect((updated?.payload.issue as { fields: { updated: string } }).fields.updated).toBe('2026-11-23T12:01:00.000+0000');
    const history = await h.call('GET', `/rest/api/3/issue/${key}/changelog`);
    expect(history.body.values.at(-1).id).toBe(changelog.id);
  });

  it('fires nothing for an edit that changes nothing', async () => {
    const { key } = await createTask();
    drain();
    await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { summary: 'Event source', labels: [] } } });
    expect(drain()).toEqual([]);
  });

  it('fires updated:issue for a transition, with status and resolution in the changelog', async () => {
    const { key } = await createTask();
    drain();
    await h.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '31' } } });
    const [event] = drain();
    expect(event?.eventType).toBe('avi:jira:updated:issue');
    expect((event?.payload.changelog as { items: unknown[] }).items).toEqual([
      { field: 'status', fieldId: 'status', fieldtype: 'jira', from: '10000', fromString: 'To Do', to: '10001', toString: 'Done' },
      { field: 'resolution', fieldId: 'resolution', fieldtype: 'jira', from: null, fromString: null, to: '10000', toString: 'Done' },
    ]);
  });

  it('fires commented:issue on comment create and on edit, and deleted:comment on delete', async () => {
    const { id } = await createTask();
    drain();
    const added = await h.call('POST', `/rest/api/3/issue/${id}/comment`, { body: { body: adf('First') }, as: { kind: 'user', accountId: BEN } });
    h.clock.advance(1000);
    await h.call('PUT', `/rest/api/3/issue/${id}/comment/${added.body.id}`, { body: { body: adf('First, edited') } });
    await h.call('DELETE', `/rest/api/3/issue/${id}/comment/${added.body.id}`);
    const events = drain();
    expect(types(events)).toEqual(['avi:jira:commented:issue', 'avi:jira:commented:issue', 'avi:jira:deleted:comment']);
    expect(events[0]).toMatchObject({
      actorAccountId: BEN,
      payload: {
        issue: { id, fields: { summary: 'Event source' } },
        comment: { id: added.body.id, body: adf('First'), author: { accountId: BEN }, jsdPublic: true },
        atlassianId: BEN,
      },
    });
    expect(events[1]).toMatchObject({
      actorAccountId: h.site.appAccountId,
      payload: {
        comment: {
          id: added.body.id, body: adf('First, edited'), author: { accountId: BEN },
          updateAuthor: { accountId: h.site.appAccountId }, updated: '2026-11-23T12:00:01.000+0000',
        },
      },
    });
    expect(events[2]?.payload.comment).toMatchObject({ id: added.body.id });
  });

  it('fires deleted:issue once per issue and no comment deletes when an issue goes', async () => {
    const { key } = await createTask();
    await h.call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: adf('Soon gone') } });
    const sub = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Sub-task' }, summary: 'Child', parent: { key } } },
    });
    drain();
    await h.call('DELETE', `/rest/api/3/issue/${key}?deleteSubtasks=true`);
    const events = drain();
    expect(types(events)).toEqual(['avi:jira:deleted:issue', 'avi:jira:deleted:issue']);
    expect(events.map((e) => (e.payload.issue as { key: string }).key)).toEqual([sub.body.key, key]);
  });

  it('fires attachment events alongside the history entry Jira records', async () => {
    const { key } = await createTask();
    drain();
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const added = await h.call('POST', `/rest/api/3/issue/${key}/attachments`, { rawBody: form, headers: { 'X-Atlassian-Token': 'no-check' } });
    await h.call('DELETE', `/rest/api/3/attachment/${added.body[0].id}`);
    const events = drain();
    expect(types(events)).toEqual([
      'avi:jira:created:attachment', 'avi:jira:updated:issue', 'avi:jira:deleted:attachment', 'avi:jira:updated:issue',
    ]);
    const { id: issueId } = (await h.call('GET', `/rest/api/3/issue/${key}?fields=summary`)).body;
    // Forge documents `eventType` and `attachment` only: no issue beside it, the issue's id inside it.
    expect(events[0]?.payload).toEqual({
      eventType: 'avi:jira:created:attachment',
      attachment: {
        id: added.body[0].id, issueId, fileName: 'hello.txt', mimeType: 'text/plain', size: 5,
        created: expect.any(String), author: { accountId: h.site.appAccountId },
      },
    });
    expect(events[2]?.payload).toMatchObject({ eventType: 'avi:jira:deleted:attachment', attachment: { id: added.body[0].id, issueId } });
    expect((events[1]?.payload.changelog as { items: unknown[] }).items).toEqual([
      { field: 'Attachment', fieldId: 'attachment', fieldtype: 'jira', from: null, fromString: null, to: added.body[0].id, toString: 'hello.txt' },
    ]);
  });

  it('fires issue link events with the link type and both ends', async () => {
    drain();
    await h.call('POST', '/rest/api/3/issueLink', {
      body: { type: { name: 'Relates' }, inwardIssue: { key: 'UD-1' }, outwardIssue: { key: 'UD-3' } },
    });
    const link = (await h.call('GET', '/rest/api/3/issue/UD-1?fields=issuelinks')).body.fields.issuelinks[0];
    await h.call('DELETE', `/rest/api/3/issueLink/${link.id}`);
    const events = drain();
    expect(types(events)).toEqual(['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']);
    // The link, not an issue: its id, both ends' issue and project ids, its type.
    for (const [i, eventType] of ['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink'].entries()) {
      expect(events[i]?.payload).toEqual({
        eventType,
        id: link.id,
        sourceIssueId: '10000',
        destinationIssueId: '10002',
        sourceProjectId: expect.stringMatching(/^\d+$/),
        destinationProjectId: expect.stringMatching(/^\d+$/),
        issueLinkType: expect.objectContaining({ name: 'Relates', inwardName: 'relates to', outwardName: 'relates to' }),
      });
    }
  });

  it('fires nothing for reads and for failed writes', async () => {
    drain();
    await h.call('GET', '/rest/api/3/issue/UD-1');
    await h.call('PUT', '/rest/api/3/issue/UD-1', { body: { fields: { priority: { name: 'Urgent' } } } });
    await h.call('POST', '/rest/api/3/issue/UD-1/transitions', { body: { transition: { id: '999' } } });
    expect(drain()).toEqual([]);
    expect(h.clock.now()).toBe(START);
  });
});
