// The emulated sites driven by jira.js, the typed client real integrations
// use: every call the app makes (src/jira/client.ts) and the common calls of
// an admin's automation, each exchange held to the official contract.
import { HttpException } from 'jira.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { twoSites } from '../integration/helpers';
import { jiraJs, type ContractedClient } from '../support/jira-js';

const adf = (text: string) => ({ type: 'doc' as const, version: 1, content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] }] });
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';

let rt: LocalRuntime;
let admin: ContractedClient;
let dan: ContractedClient;
beforeAll(async () => {
  rt = await twoSites();
  admin = await jiraJs(rt, 'blue');
  dan = await jiraJs(rt, 'blue', 'dan.evans@blue.example.com');
});
afterAll(() => rt?.close());
afterEach(() => {
  expect(admin.findings).toEqual([]);
  expect(dan.findings).toEqual([]);
});

/** The status codes a refused call answered with, as jira.js reports them. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HttpException) return { status: error.status, data: (error.cause as { response?: { data?: unknown } })?.response?.data };
    throw error;
  }
  throw new Error('the call was not refused');
}

describe('jira.js drives every call the app makes', () => {
  it('reads who it is, the site, its projects, types, priorities, resolutions, statuses, fields, people and permissions', async () => {
    const jira = admin.client;
    expect((await jira.myself.getCurrentUser()).displayName).toBe('Ava Blue');
    expect((await jira.serverInfo.getServerInfo()).deploymentType).toBe('Cloud');
    const projects = await jira.projects.searchProjects({ maxResults: 100, startAt: 0 });
    expect(projects.values?.map((p) => p.key)).toEqual(['TEST', 'UD', 'WEB']);
    const web = await jira.projects.getProject({ projectIdOrKey: 'WEB' });
    const schemes = await jira.issueTypeSchemes.getIssueTypeSchemeForProjects({ projectId: [web.id!] });
    expect(schemes.values?.[0]?.projectIds).toEqual([web.id]);
    expect((await jira.issueTypes.getIssueTypesForProject({ projectId: web.id! })).map((t) => t.name)).toContain('Story');
    expect((await jira.issuePriorities.getPriorities()).map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect((await jira.issueResolutions.getResolutions()).length).toBe(4);
    expect((await jira.workflowStatuses.getStatuses()).map((s) => s.name)).toContain('In Review');
    const fields = await jira.issueFields.getFields();
    expect(fields.find((f) => f.name === 'Region')?.schema?.type).toBe('option-with-child');
    expect((await jira.users.getUser({ accountId: SAM })).displayName).toBe('Sam Rivera');
    expect((await jira.userSearch.findUsers({ query: 'sam', maxResults: 50 })).map((u) => u.accountId)).toEqual([SAM]);
    const permissions = await jira.permissions.getMyPermissions({ permissions: 'BROWSE_PROJECTS,ADMINISTER', projectKey: 'WEB' });
    expect((permissions.permissions as Record<string, { havePermission?: boolean }>).ADMINISTER?.havePermission).toBe(true);
  });

  it('creates, reads, edits, transitions, comments, attaches, searches, links and deletes issues', async () => {
    const jira = admin.client;
    const created = await jira.issues.createIssue({
      fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Driven by jira.js', description: adf('From a client'), labels: ['jirajs'] },
    });
    const issue = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['summary', 'status', 'labels'], expand: 'names' });
    expect(issue.fields.summary).toBe('Driven by jira.js');
    expect((await jira.issues.bulkFetchIssues({ issueIdsOrKeys: [created.key, 'UD-1'], fields: ['summary'] })).issues?.length).toBe(2);
    await jira.issues.editIssue({ issueIdOrKey: created.key, notifyUsers: false, fields: { summary: 'Edited by jira.js' } });
    const transitions = await jira.issues.getTransitions({ issueIdOrKey: created.key });
    const done = transitions.transitions?.find((t) => t.to?.name === 'Done');
    await jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: done!.id! } });
    expect((await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['status'] })).fields.status.name).toBe('Done');

    const comment = await jira.issueComments.addComment({
      issueIdOrKey: created.key, comment: adf('Internal'), properties: [{ key: 'sd.public.comment', value: { internal: true } }],
    });
    expect(comment.jsdPublic).toBe(false);
    const edited = await jira.issueComments.updateComment({ issueIdOrKey: created.key, id: comment.id!, body: adf('Edited'), notifyUsers: false, expand: 'renderedBody' });
    expect(edited.renderedBody).toBe('<p>Edited</p>');
    await jira.issueComments.deleteComment({ issueIdOrKey: created.key, id: comment.id! });

    const [attachment] = await jira.issueAttachments.addAttachment({
      issueIdOrKey: created.key, attachment: { filename: 'notes.txt', file: Buffer.from('bytes from jira.js'), mimeType: 'text/plain' },
    });
    const content = await jira.issueAttachments.getAttachmentContent({ id: attachment!.id!, redirect: false });
    expect(Buffer.from(content as unknown as ArrayBuffer).toString()).toBe('bytes from jira.js');
    await jira.issueAttachments.removeAttachment({ id: attachment!.id! });

    const found = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: 'labels = jirajs', fields: ['summary'], maxResults: 100 });
    expect(found.issues?.map((i) => i.key)).toEqual([created.key]);
    expect((await jira.issueSearch.countIssues({ jql: 'labels = jirajs' })).count).toBe(1);

    await jira.issueProperties.setIssueProperty({ issueIdOrKey: created.key, propertyKey: 'sync.twin', propertyValue: { remote: 'SC-1' } });
    expect((await jira.issueProperties.getIssueProperty({ issueIdOrKey: created.key, propertyKey: 'sync.twin' })).value).toEqual({ remote: 'SC-1' });
    await jira.issueProperties.deleteIssueProperty({ issueIdOrKey: created.key, propertyKey: 'sync.twin' });

    const remote = await jira.issueRemoteLinks.createOrUpdateRemoteIssueLink({
      issueIdOrKey: created.key, globalId: 'sync:green:SC-1', object: { url: 'https://green.example.com/browse/SC-1', title: 'SC-1' },
    });
    expect((await jira.issueRemoteLinks.getRemoteIssueLinkById({ issueIdOrKey: created.key, linkId: String(remote.id) })).globalId).toBe('sync:green:SC-1');
    await jira.issueLinks.linkIssues({ type: { name: 'Relates' }, inwardIssue: { key: created.key }, outwardIssue: { key: 'UD-1' } });
    const links = (await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['issuelinks'] })).fields.issuelinks;
    expect(links.map((l) => l.outwardIssue?.key)).toEqual(['UD-1']);
    await jira.issueLinks.deleteIssueLink({ linkId: links[0]!.id! });

    await jira.issues.deleteIssue({ issueIdOrKey: created.key, deleteSubtasks: true });
    expect((await refusal(jira.issues.getIssue({ issueIdOrKey: created.key }))).status).toBe(404);
  });
});

describe("jira.js drives an admin's automation", () => {
  it('walks an issue through a drawn workflow, transition by transition, setting the screen fields on the way', async () => {
    const jira = admin.client;
    const created = await jira.issues.createIssue({ fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Walk to Done' } });
    const path: string[] = [];
    // Toward Done along the workflow's only road: no transition leads there from Backlog.
    const order = ['To Do', 'In Progress', 'In Review', 'Done'];
    for (const target of order) {
      const { transitions } = await jira.issues.getTransitions({ issueIdOrKey: created.key, expand: 'transitions.fields' });
      const step = transitions!.find((t) => t.to?.name === target);
      expect(step, `a transition to ${target}`).toBeDefined();
      const fields = target === 'Done' ? { resolution: { name: 'Done' }, fixVersions: [{ name: '2.0' }] } : undefined;
      if (target === 'Done') expect(Object.keys(step!.fields ?? {})).toEqual(['resolution', 'fixVersions']);
      await jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: step!.id! }, ...(fields ? { fields } : {}) });
      path.push(step!.name!);
    }
    expect(path).toEqual(['Select for development', 'Start progress', 'Submit for review', 'Approve']);
    const issue = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['status', 'resolution', 'fixVersions'] });
    expect(issue.fields.fixVersions.map((v) => v.name)).toEqual(['2.0']);
    const refused = await refusal(jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: '11' } }));
    expect(refused).toMatchObject({ status: 400, data: { errorMessages: ["Transition id '11' is not valid for this issue."] } });
  });

  it('logs work, assigns and watches', async () => {
    const jira = admin.client;
    const created = await jira.issues.createIssue({
      fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Work on it', timetracking: { originalEstimate: '1d' } },
    });
    const worklog = await jira.issueWorklogs.addWorklog({
      issueIdOrKey: created.key, timeSpent: '2h', started: '2026-11-23T09:00:00.000+0000', comment: 'Pairing', adjustEstimate: 'auto',
    });
    expect(worklog).toMatchObject({ timeSpent: '2h', timeSpentSeconds: 7200 });
    const updated = await jira.issueWorklogs.updateWorklog({ issueIdOrKey: created.key, id: worklog.id!, timeSpent: '3h' });
    expect(updated.timeSpentSeconds).toBe(10800);
    expect((await jira.issueWorklogs.getIssueWorklog({ issueIdOrKey: created.key })).total).toBe(1);
    expect((await jira.issueWorklogs.getWorklogsForIds({ ids: [Number(worklog.id)] })).map((w) => w.id)).toEqual([worklog.id]);
    const time = (await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['timetracking'] })).fields.timetracking;
    expect(time).toMatchObject({ originalEstimate: '1d', remainingEstimate: '5h', timeSpent: '3h' });
    await jira.issueWorklogs.deleteWorklog({ issueIdOrKey: created.key, id: worklog.id!, adjustEstimate: 'leave' });

    await jira.issues.assignIssue({ issueIdOrKey: created.key, accountId: SAM });
    expect((await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['assignee'] })).fields.assignee?.accountId).toBe(SAM);
    await jira.issueWatchers.addWatcher({ issueIdOrKey: created.key, accountId: SAM });
    await dan.client.issueWatchers.addWatcher({ issueIdOrKey: created.key, accountId: DAN });
    const watchers = await jira.issueWatchers.getIssueWatchers({ issueIdOrKey: created.key });
    // Ava made it, and people watch what they make.
    expect(watchers.watchers?.map((w) => w.displayName)).toEqual(['Ava Blue', 'Sam Rivera', 'Dan Evans']);
    await dan.client.issueWatchers.removeWatcher({ issueIdOrKey: created.key, accountId: DAN });
    expect((await jira.issueWatchers.getIssueWatchers({ issueIdOrKey: created.key })).watchCount).toBe(2);
  });

  it('pages searches by nextPageToken, and follows nextPage links as they come', async () => {
    const jira = admin.client;
    for (let i = 0; i < 7; i++) {
      await jira.issues.createIssue({ fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `Page ${i}`, labels: ['paging'] } });
    }
    const keys: string[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
        jql: 'labels = paging ORDER BY key ASC', fields: ['summary'], maxResults: 3, ...(nextPageToken ? { nextPageToken } : {}),
      });
      keys.push(...(page.issues ?? []).map((i) => i.key!));
      nextPageToken = page.nextPageToken ?? undefined;
    } while (nextPageToken);
    expect(keys).toHaveLength(7);

    const names: string[] = [];
    let page = await jira.issueFields.getFieldsPaginated({ type: ['custom'], maxResults: 5 });
    names.push(...(page.values ?? []).map((f) => f.name));
    while (page.nextPage) {
      page = await jira.sendRequest<typeof page>({ url: page.nextPage, method: 'GET' }, undefined as never);
      names.push(...(page.values ?? []).map((f) => f.name));
    }
    expect(names).toHaveLength(13);
    expect(new Set(names).size).toBe(13);
  });

  it('reads fields, contexts and options, adds an option and uses it, and gets Jira\'s refusal for an unknown one', async () => {
    const jira = admin.client;
    const [region] = (await jira.issueFields.getFieldsPaginated({ query: 'Region' })).values ?? [];
    const contexts = await jira.issueCustomFieldContexts.getContextsForField({ fieldId: region!.id });
    const contextId = Number(contexts.values?.[0]?.id);
    const options = await jira.issueCustomFieldOptions.getOptionsForContext({ fieldId: region!.id, contextId });
    const asia = options.values?.find((o) => o.value === 'Asia');
    const created = await jira.issueCustomFieldOptions.createCustomFieldOption({
      fieldId: region!.id, contextId, options: [{ value: 'Korea', optionId: asia!.id }],
    });
    expect(created.options?.[0]).toMatchObject({ value: 'Korea', optionId: asia!.id, disabled: false });
    const issue = await jira.issues.createIssue({
      fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Seoul office', [region!.id]: { value: 'Asia', child: { value: 'Korea' } } },
    });
    const read = await jira.issues.getIssue({ issueIdOrKey: issue.key, fields: [region!.id] });
    expect(read.fields[region!.id]).toMatchObject({ value: 'Asia', child: { value: 'Korea' } });
    const refused = await refusal(jira.issues.createIssue({
      fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'x', [region!.id]: { value: 'Atlantis' } },
    }));
    expect(refused).toEqual({ status: 400, data: { errorMessages: [], errors: { [region!.id]: "Option value 'Atlantis' is not valid" } } });
  });

  it('manages components and versions and puts them on issues', async () => {
    const jira = admin.client;
    const component = await jira.projectComponents.createComponent({ name: 'Checkout', project: 'WEB', leadAccountId: DAN, assigneeType: 'COMPONENT_LEAD' });
    expect((await jira.projectComponents.getProjectComponents({ projectIdOrKey: 'WEB' })).map((c) => c.name)).toContain('Checkout');
    const version = await jira.projectVersions.createVersion({ name: '3.0', projectId: 10002, releaseDate: '2027-06-01' });
    const issue = await jira.issues.createIssue({
      fields: { project: { key: 'WEB' }, issuetype: { name: 'Story' }, summary: 'Pay', components: [{ id: component.id }], fixVersions: [{ id: version.id }] },
    });
    // Checkout's issues go to its lead when nobody is named.
    expect((await jira.issues.getIssue({ issueIdOrKey: issue.key, fields: ['assignee'] })).fields.assignee?.accountId).toBe(DAN);
    await jira.projectVersions.updateVersion({ id: version.id!, released: true });
    const released = await jira.projectVersions.getProjectVersionsPaginated({ projectIdOrKey: 'WEB', status: 'released' });
    expect(released.values?.map((v) => v.name)).toEqual(['1.0', '3.0']);
    await jira.projectComponents.deleteComponent({ id: component.id! });
    expect((await jira.issues.getIssue({ issueIdOrKey: issue.key, fields: ['components'] })).fields.components).toEqual([]);
    // A developer may not change the project's configuration.
    const sam = await jiraJs(rt, 'blue', 'sam.rivera@partner.example.com');
    expect((await refusal(sam.client.projectComponents.createComponent({ name: 'Nope', project: 'WEB' }))).status).toBe(403);
    expect(sam.findings).toEqual([]);
  });

  it('reads statuses, workflows and link types, and manages link types', async () => {
    const jira = admin.client;
    // jira.js checks this answer with its own schema.
    const statuses = await jira.status.search({ projectId: '10002' });
    expect(statuses.values?.map((s) => s.name)).toEqual(['Backlog', 'To Do', 'In Progress', 'In Review', 'Done', 'Reopened']);
    expect((await jira.workflowStatusCategories.getStatusCategories()).map((c) => c.key)).toEqual(['new', 'indeterminate', 'done']);
    const workflows = await jira.workflows.getWorkflowsPaginated({ workflowName: ['Website Review Workflow'], expand: 'transitions' });
    expect(workflows.values?.[0]?.transitions?.length).toBe(9);
    const type = await jira.issueLinkTypes.createIssueLinkType({ name: 'Follows', inward: 'is followed by', outward: 'follows' });
    await jira.issueLinkTypes.updateIssueLinkType({ issueLinkTypeId: type.id!, name: 'Follows', inward: 'precedes', outward: 'follows' });
    expect((await jira.issueLinkTypes.getIssueLinkType({ issueLinkTypeId: type.id! })).inward).toBe('precedes');
    await jira.issueLinkTypes.deleteIssueLinkType({ issueLinkTypeId: type.id! });
    expect((await jira.issueLinkTypes.getIssueLinkTypes()).issueLinkTypes?.map((l) => l.name)).not.toContain('Follows');
  });

  it('made every exchange through the site, under the contract', () => {
    expect(admin.calls.length).toBeGreaterThan(80);
    expect(admin.calls.every((call) => /^(GET|POST|PUT|DELETE) \/rest\/api\/3\//.test(call))).toBe(true);
  });
});
