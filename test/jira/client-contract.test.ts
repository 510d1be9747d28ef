import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JiraHttp } from '../../src/ports';
import type { JiraSite } from '../../src/local/contracts';
import { openJiraSite } from '../../src/local/jira/site';
import { createJiraClient } from '../../src/jira/client';
import { createContractValidator, type ContractValidator } from '../support/contract';
import { answerOf } from '../support/emulated-jira';

// The app's own Jira client, held to the same official contract as the
// emulator: every request it makes and every answer it gets is validated, so
// a call that real Jira Cloud would reject fails here too.

let site: JiraSite;
let validator: ContractValidator;
const departures: string[] = [];
const operations = new Set<string>();

/** The JiraHttp port over the emulated site, checking each exchange against the contract. */
const checkedHttp: JiraHttp = {
  async request(request) {
    const url = new URL(request.path, 'http://client.test');
    const response = await site.handle(
      new Request(url, { method: request.method, headers: request.headers, body: request.body as BodyInit | undefined }),
      { kind: 'app' },
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    const requestIsJson = (request.headers?.['Content-Type'] ?? '').includes('json');
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const problems = validator.check(
      { method: request.method, path: url.pathname, query, headers: request.headers, body: requestIsJson && typeof request.body === 'string' ? JSON.parse(request.body) : undefined },
      { status: response.status, body: isJson && bytes.length ? JSON.parse(new TextDecoder().decode(bytes)) : undefined },
    );
    const op = validator.operationId(request.method, url.pathname);
    if (op) operations.add(op);
    departures.push(...problems.map((p) => `${request.method} ${url.pathname}: ${p}`));
    return answerOf(response, bytes);
  },
};

beforeAll(async () => {
  validator = await createContractValidator();
  site = openJiraSite({ name: 'blue', dataDir: ':memory:', baseUrl: 'http://client.test/blue', clock: { now: () => Date.parse('2026-11-23T12:00:00Z') } });
});
afterAll(() => site?.close());

describe('the Jira client against the official contract', () => {
  it('makes only calls the contract allows and reads only answers it describes', async () => {
    const jira = createJiraClient(checkedHttp);
    await jira.myself();
    const projects = await jira.projects.search();
    const ud = projects.values.find((p) => p.key === 'UD')!;
    await jira.projects.get('UD');
    await jira.projects.issueTypes(ud.id);
    await jira.projects.defaultIssueTypeId(ud.id);
    await jira.metadata.priorities();
    await jira.metadata.statuses();
    await jira.metadata.resolutions();
    await jira.metadata.fields();
    const me = await jira.myself();
    await jira.users.get(me.accountId);
    await jira.users.search('blue');

    const created = await jira.issues.create({ fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Contract', labels: ['a'] } });
    await jira.issues.edit(created.key, { fields: { summary: 'Contract, edited' }, update: { labels: [{ add: 'b' }] } });
    const issue = await jira.issues.get(created.key, { fields: ['summary', 'labels', 'comment', 'attachment', 'status'] });
    expect(issue.fields.summary).toBe('Contract, edited');
    await jira.issues.bulkFetch([created.id], ['summary']);
    const { transitions } = await jira.issues.transitions(created.key);
    await jira.issues.transition(created.key, transitions[0]!.id);

    const comment = await jira.comments.add(created.key, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] });
    await jira.comments.update(created.key, comment.id, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hello' }] }] });
    await jira.comments.delete(created.key, comment.id);

    const bytes = new TextEncoder().encode('attachment body');
    const attachment = await jira.attachments.add(created.key, { filename: 'a.txt', mimeType: 'text/plain', bytes });
    expect(await jira.attachments.content(attachment.id)).toEqual(bytes);
    await jira.attachments.delete(attachment.id);

    await jira.properties.set(created.key, 'exalate', { connections: ['c1'] });
    expect(await jira.properties.get(created.key, 'exalate')).toEqual({ connections: ['c1'] });
    await jira.properties.delete(created.key, 'exalate');
    expect(await jira.properties.get(created.key, 'exalate')).toBeUndefined();
    await jira.remoteLinks.upsert(created.key, { globalId: 'exalate:c1:10001', url: 'http://green.test/browse/SC-1', title: 'SC-1' });

    const page = await jira.search.jql('project = UD', { fields: ['summary'], maxResults: 2 });
    expect(page.issues.length).toBeGreaterThan(0);
    if (page.nextPageToken) await jira.search.jql('project = UD', { fields: ['summary'], maxResults: 2, nextPageToken: page.nextPageToken });
    expect(await jira.search.approximateCount('project = UD')).toBeGreaterThan(0);
    expect(await jira.permissions.mine(['ADMINISTER_PROJECTS'], 'UD')).toEqual({ ADMINISTER_PROJECTS: true });
    await jira.issues.delete(created.key);

    expect(departures).toEqual([]);
    expect(operations.size).toBeGreaterThanOrEqual(28);
  });

  it('turns Jira errors into values naming the problem', async () => {
    const jira = createJiraClient(checkedHttp);
    await expect(jira.issues.get('UD-99999')).rejects.toMatchObject({ kind: 'not-found', status: 404 });
    await expect(jira.issues.create({ fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'x', priority: { name: 'Urgentest' } } })).rejects.toMatchObject({
      kind: 'bad-request',
      errors: { priority: expect.any(String) },
    });
    site.faults.setRateLimit(1, { retryAfterSeconds: 7, seed: 1 });
    await expect(jira.myself()).rejects.toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000, transient: true });
    site.faults.setRateLimit(0);
    site.faults.setDown('refused');
    await expect(jira.myself()).rejects.toMatchObject({ kind: 'unavailable', transient: true });
    site.faults.setDown(null);
    expect(departures).toEqual([]);
  });
});
