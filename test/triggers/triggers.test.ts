import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, invoke, jira } from '../integration/helpers';
import { connectedSites, countTriggerReads, createIssue, drain, failure, issuesUnderSync, searchAll, searches, stop, syncStatus } from './helpers';

// JQL triggers between blue (UD) and green (SC), through the sites' REST
// APIs and the app's resolvers only.

let rt: Awaited<ReturnType<typeof connectedSites>>['rt'];
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  ({ rt, blueConnectionId, greenConnectionId } = await connectedSites());
});
afterAll(() => stop(rt));

interface TriggerRow {
  id: string;
  connectionId: string;
  connectionName: string;
  jql: string;
  notes: string;
  active: boolean;
}

const saveTrigger = (payload: Record<string, unknown>) =>
  invoke<{ trigger: TriggerRow; matches: number }>(rt, 'blue', 'saveTrigger', { connectionId: blueConnectionId, entityType: 'issue', notes: '', active: true, ...payload });

describe('saving triggers', () => {
  it('checks the query against Jira and shows Jira’s own message', async () => {
    const trailing = await failure(saveTrigger({ jql: 'issuetype = Task AND' }));
    expect(trailing).toBe('saveTrigger → 400: Jira does not accept this query: Error in the JQL Query: Expecting a field name at the end of the query.');
    // Positions point into the query as the admin wrote it.
    const syntax = await failure(saveTrigger({ jql: 'issuetype = Task AND AND labels = x' }));
    expect(syntax).toMatch(/^saveTrigger → 400: Jira does not accept this query: Error in the JQL Query: .*\(line 1, character 22\)/);
    const field = await failure(saveTrigger({ jql: 'colour = red' }));
    expect(field).toContain("Field 'colour' does not exist");
    const value = await failure(saveTrigger({ jql: 'issuetype = Unicorn' }));
    expect(value).toContain('Unicorn');
    expect(await failure(saveTrigger({ jql: 'issuetype = Task ORDER BY created' }))).toContain('ORDER BY');
    expect(await failure(saveTrigger({ jql: '   ' }))).toContain('jql: is required');
    expect(await failure(saveTrigger({ jql: 'issuetype = Task', connectionId: 'nope' }))).toContain('no connection');
    // A query that demands another project could never fire on this connection (UD): refused with the reason.
    expect(await failure(saveTrigger({ jql: 'project = TEST AND issuetype = Task' }))).toMatch(/400: jql: this query only selects issues of project TEST, but the connection syncs project UD/);
    expect(await failure(saveTrigger({ jql: 'project in (TEST, "Test") and labels = x' }))).toMatch(/only selects issues of projects TEST, Test/);
    const { triggers } = await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', {});
    expect(triggers).toEqual([]);
  });

  it('saves, lists (with the connection name), edits and deletes', async () => {
    const saved = await saveTrigger({ jql: 'labels = scratch', notes: 'a note', active: false });
    expect(saved.trigger).toMatchObject({ jql: 'labels = scratch', notes: 'a note', active: false, connectionName: 'BlueJira_to_GreenJira' });
    expect(saved.matches).toBe(0);
    const edited = await saveTrigger({ id: saved.trigger.id, jql: 'labels = scratched', notes: 'edited', active: false });
    expect(edited.trigger.id).toBe(saved.trigger.id);
    const all = await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', {});
    expect(all.triggers.map((t) => [t.jql, t.notes])).toEqual([['labels = scratched', 'edited']]);
    const mine = await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', { connectionId: blueConnectionId });
    expect(mine.triggers).toHaveLength(1);
    expect((await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', { connectionId: 'other' })).triggers).toEqual([]);
    await invoke(rt, 'blue', 'deleteTrigger', { id: saved.trigger.id });
    expect((await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', {})).triggers).toEqual([]);
    expect(await failure(invoke(rt, 'blue', 'deleteTrigger', { id: saved.trigger.id }))).toContain('404');
  });
});

describe('a trigger on "project = UD AND issuetype = Task"', () => {
  let triggerId: string;
  const underSync = async (key: string) => (await syncStatus(rt, 'blue', key)).twins.map((t) => t.connectionId);

  beforeAll(async () => {
    ({ trigger: { id: triggerId } } = await saveTrigger({ jql: 'project = UD AND issuetype = Task', notes: 'sync tasks' }));
  });

  it('brings a new Task under sync at once and leaves a Bug alone, with one search per event', async () => {
    const before = searches(rt, 'blue');
    const task = await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Task by trigger' });
    const bug = await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Bug left alone', issuetype: { name: 'Bug' } });
    await drain(rt);
    expect(searches(rt, 'blue') - before).toBe(2);
    const status = await syncStatus(rt, 'blue', task.key);
    expect(status.twins).toEqual([expect.objectContaining({ connectionId: blueConnectionId, status: 'synchronized' })]);
    const remote = (await jira(rt, 'green', 'GET', `/issue/${status.twins[0]!.remoteKey}`)).body;
    expect(remote.fields.summary).toBe('Task by trigger');
    expect(remote.fields.project.key).toBe('SC');
    expect(await underSync(bug.key)).toEqual([]);
    expect(await searchAll(rt, 'green', 'project = SC AND summary ~ "alone"')).toEqual([]);

    // Once a twin on the only connection of its project, its events cost no search and no read of the triggers.
    const twinned = searches(rt, 'blue');
    const triggerReads = countTriggerReads(rt, 'blue');
    await jira(rt, 'blue', 'PUT', `/issue/${task.key}`, { fields: { summary: 'Task by trigger, edited' } });
    await drain(rt);
    expect(searches(rt, 'blue')).toBe(twinned);
    expect(triggerReads()).toBe(0);
    // The Bug is in the same project but no twin: its edit reads the triggers (and the query leaves it alone).
    await jira(rt, 'blue', 'PUT', `/issue/${bug.key}`, { fields: { summary: 'Bug left alone, edited' } });
    await drain(rt);
    expect(triggerReads()).toBe(1);
    expect(await underSync(bug.key)).toEqual([]);
    expect((await jira(rt, 'green', 'GET', `/issue/${status.twins[0]!.remoteKey}`)).body.fields.summary).toBe('Task by trigger, edited');
  });

  it('brings an issue in when an edit makes it match', async () => {
    const bug = await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Becomes a task', issuetype: { name: 'Bug' } });
    await drain(rt);
    expect(await underSync(bug.key)).toEqual([]);
    expect((await jira(rt, 'blue', 'PUT', `/issue/${bug.key}`, { fields: { issuetype: { name: 'Task' } } })).status).toBe(204);
    await drain(rt);
    const status = await syncStatus(rt, 'blue', bug.key);
    expect(status.twins).toEqual([expect.objectContaining({ status: 'synchronized' })]);
    expect((await jira(rt, 'green', 'GET', `/issue/${status.twins[0]!.remoteKey}`)).body.fields.summary).toBe('Becomes a task');
  });

  it('keeps to the connection’s project, whatever the query says', async () => {
    await saveTrigger({ id: triggerId, jql: 'issuetype = Task', notes: 'sync tasks' });
    const elsewhere = await createIssue(rt, 'blue', { project: { key: 'TEST' }, summary: 'Task in another project' });
    await drain(rt);
    expect(await underSync(elsewhere.key)).toEqual([]);
    await saveTrigger({ id: triggerId, jql: 'project = UD AND issuetype = Task', notes: 'sync tasks' });
  });

  it('ignores events while disabled', async () => {
    await saveTrigger({ id: triggerId, jql: 'project = UD AND issuetype = Task', active: false });
    const task = await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Made while disabled' });
    await drain(rt);
    expect(await underSync(task.key)).toEqual([]);
    await saveTrigger({ id: triggerId, jql: 'project = UD AND issuetype = Task', active: true });
    // Enabled again: the next change of the issue brings it in.
    await jira(rt, 'blue', 'PUT', `/issue/${task.key}`, { fields: { labels: ['again'] } });
    await drain(rt);
    expect(await underSync(task.key)).toEqual([blueConnectionId]);
  });

  it('on a deactivated connection, makes the twin and queues the replica until it is active again', async () => {
    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: blueConnectionId, active: false });
    const before = await issuesUnderSync(rt, 'blue', blueConnectionId);
    const task = await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: 'Made while deactivated' });
    await drain(rt);
    const status = await syncStatus(rt, 'blue', task.key);
    expect(status.twins).toEqual([expect.objectContaining({ status: 'pending', remoteKey: null })]);
    expect(await issuesUnderSync(rt, 'blue', blueConnectionId)).toBe(before + 1);
    const queue = await invoke<{ items: { type: string; issueKey: string | null; status: string; kind: string }[] }>(rt, 'blue', 'listQueue', {
      connectionId: blueConnectionId,
      direction: 'outgoing',
      kind: 'issue',
    });
    expect(queue.items).toEqual([expect.objectContaining({ type: 'replica', issueKey: task.key, kind: 'issue', status: 'held: the connection is deactivated' })]);
    expect(await searchAll(rt, 'green', 'project = SC AND summary ~ "deactivated"')).toEqual([]);

    await invoke(rt, 'blue', 'setConnectionActive', { connectionId: blueConnectionId, active: true });
    await drain(rt);
    expect((await syncStatus(rt, 'blue', task.key)).twins).toEqual([expect.objectContaining({ status: 'synchronized' })]);
    expect((await searchAll(rt, 'green', 'project = SC AND summary ~ "deactivated"')).map((i) => i.summary)).toEqual(['Made while deactivated']);
    expect((await invoke<{ items: unknown[] }>(rt, 'blue', 'listQueue', { direction: 'outgoing' })).items).toEqual([]);
  });

  it('checks each candidate connection when the issue’s project has triggers on two connections', async () => {
    // A second connection from blue UD, to green's CM project, with its own trigger on Bugs.
    const second = await connect(rt, { greenProject: 'CM' });
    await invoke(rt, 'blue', 'saveTrigger', { connectionId: second.blueConnectionId, jql: 'issuetype = Bug', notes: '', active: true });
    // Searches per event: one combined search, then each connection but the last only if it matched.
    const cost = async (fields: Record<string, unknown>) => {
      const before = searches(rt, 'blue');
      const issue = await createIssue(rt, 'blue', { project: { key: 'UD' }, ...fields });
      await drain(rt);
      return { issue, searches: searches(rt, 'blue') - before };
    };
    const { issue: bug, searches: forBug } = await cost({ summary: 'Bug for the second', issuetype: { name: 'Bug' } });
    const { issue: task, searches: forTask } = await cost({ summary: 'Task for the first' });
    const { issue: story, searches: forStory } = await cost({ summary: 'Story for none', issuetype: { name: 'Story' } });
    // The connection asked first costs one more when it is the one that does not match.
    expect([forBug, forTask].sort()).toEqual([2, 3]);
    expect(forStory).toBe(1);
    expect(await underSync(bug.key)).toEqual([second.blueConnectionId]);
    expect(await underSync(task.key)).toEqual([blueConnectionId]);
    expect(await underSync(story.key)).toEqual([]);
    expect((await searchAll(rt, 'green', 'project = CM AND summary ~ "second"')).map((i) => i.summary)).toEqual(['Bug for the second']);
    await invoke(rt, 'blue', 'deleteConnection', { connectionId: second.blueConnectionId });
    // Minutes at a time: the purge makes its second pass fifteen minutes after the deletion.
    await drain(rt, 60_000);
    // Its triggers went with it.
    const { triggers } = await invoke<{ triggers: TriggerRow[] }>(rt, 'blue', 'listTriggers', {});
    expect(triggers.map((t) => t.connectionId)).toEqual([blueConnectionId]);
  });

  it('counts what it did in the statistics and the history', async () => {
    const stats = await invoke<{ connections: { connectionId: string; issuesUnderSync: number; totals: { out: number; in: number; created: number } }[] }>(
      rt,
      'blue',
      'getStatistics',
      { connectionId: blueConnectionId, period: 'day' },
    );
    // Five issues came under sync on the first connection in this file, each sent once or twice.
    const [row] = stats.connections;
    expect(row!.issuesUnderSync).toBe(5);
    expect(row!.totals.created).toBe(5);
    expect(row!.totals.out).toBeGreaterThanOrEqual(5);
    const green = await invoke<{ connections: { connectionId: string; totals: { in: number; created: number } }[] }>(rt, 'green', 'getStatistics', {
      connectionId: greenConnectionId,
      period: 'day',
    });
    expect(green.connections[0]!.totals.created).toBe(5);
    expect(green.connections[0]!.totals.in).toBe(row!.totals.out);
    const task = (await searchAll(rt, 'blue', 'project = UD AND summary ~ "Becomes"'))[0]!;
    const history = await invoke<{ entries: { cause: string; outcome: string; changes: { field: string }[] }[] }>(rt, 'blue', 'getIssueHistory', { issueKey: task.key });
    expect(history.entries.at(-1)).toMatchObject({ cause: 'trigger', outcome: 'sent' });
  });
});
