import { describe, expect, it } from 'vitest';
import type { LocalIssue } from '../../src/domain/replica';
import { defaultIncomingScript, defaultOutgoingScript, validateScript } from '../../src/rules/defaults';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { applyIncoming, blueIssue, greenLookups, paragraph } from './fixtures';

const outgoingScript = defaultOutgoingScript();
const incomingScript = defaultIncomingScript({ projectKey: 'SC' });

async function send(issue: LocalIssue) {
  const out = await runOutgoing({ script: outgoingScript, issue });
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.replica;
}

async function receive(replica: Awaited<ReturnType<typeof send>>, issue: LocalIssue | null, lookups = greenLookups()) {
  const inc = await runIncoming({ script: incomingScript, replica, previous: null, issue, firstSync: issue === null, lookups });
  if (!inc.ok) throw new Error(`${inc.error.kind}: ${inc.error.message}`);
  return inc.result;
}

const attributedText = (doc: unknown) => JSON.stringify(doc);

describe('default outgoing script', () => {
  it('shares the fields Exalate shares by default', async () => {
    const issue = blueIssue();
    const replica = await send(issue);
    expect(replica).toMatchObject({
      id: '10042',
      key: 'UD-42',
      url: issue.url,
      project: { key: 'UD', name: 'UI Design' },
      type: { name: 'Improvement' },
      summary: issue.summary,
      description: issue.description,
      status: { name: 'In Progress', category: 'indeterminate' },
      priority: { name: 'High' },
      labels: ['frontend', 'mobile'],
      assignee: issue.assignee,
      reporter: issue.reporter,
      resolution: null,
      parentId: null,
    });
    expect(replica.comments?.map((c) => c.id)).toEqual(['20001', '20002', '20003']);
    expect(replica.comments?.[0]).toEqual(issue.comments[0]);
    expect(replica.attachments?.map((a) => [a.id, a.contentRef])).toEqual([
      ['30001', 'blue:attachment:30001'],
      ['30002', 'blue:attachment:30002'],
    ]);
    expect(replica).not.toHaveProperty('customFields');
  });

  it('never sends back the copies this connection made', async () => {
    const issue = blueIssue();
    issue.comments.push({ ...issue.comments[0]!, id: '20099', remoteId: '77001' });
    issue.attachments.push({ ...issue.attachments[0]!, id: '30099', remoteId: '88001' });
    const replica = await send(issue);
    expect(replica.comments?.map((c) => c.id)).toEqual(['20001', '20002', '20003']);
    expect(replica.attachments?.map((a) => a.id)).toEqual(['30001', '30002']);
  });
});

describe('default incoming script', () => {
  it('creates the twin on the first sync with summary, description, labels, comments and attachments', async () => {
    const issue = blueIssue();
    const result = await receive(await send(issue), null);
    expect(result.issue).toMatchObject({
      projectKey: 'SC',
      summary: issue.summary,
      description: issue.description,
      labels: ['frontend', 'mobile'],
    });
    expect(result.comments).toHaveLength(3);
    expect(result.comments[0]).toMatchObject({ op: 'add', remoteId: '20001', internal: false });
    const firstBody = attributedText(result.comments[0]!.op === 'add' ? result.comments[0]!.body : null);
    expect(firstBody).toContain('Jane Doe commented:');
    expect(firstBody).toContain('Reproduced on Safari too.');
    expect(result.attachments).toEqual([
      { op: 'add', remoteId: '30001', filename: 'screenshot.png', mimeType: 'image/png', size: 48213, sha256: 'a'.repeat(64), contentRef: 'blue:attachment:30001' },
      { op: 'add', remoteId: '30002', filename: 'har.json', mimeType: 'application/json', size: 1200, sha256: 'b'.repeat(64), contentRef: 'blue:attachment:30002' },
    ]);
    expect(result).toMatchObject({ status: null, unExalate: false, warnings: [] });
  });

  it('maps a type the project lacks to its default type, else Task', async () => {
    const replica = await send(blueIssue());
    expect((await receive(replica, null)).issue.typeName).toBe('Story');

    const noDefault = greenLookups();
    noDefault.issueTypesByProject = { SC: [{ id: '2', name: 'Bug' }] };
    expect((await receive(replica, null, noDefault)).issue.typeName).toBe('Task');

    const bug = await send({ ...blueIssue(), type: { name: 'BUG' }, typeName: 'BUG' });
    expect((await receive(bug, null)).issue.typeName).toBe('Bug');
  });

  it('changes nothing when the same replica arrives again', async () => {
    const replica = await send(blueIssue());
    const green = applyIncoming({}, await receive(replica, null));
    const again = await receive(replica, green);
    expect(again.comments).toEqual([]);
    expect(again.attachments).toEqual([]);
    expect(again.warnings).toEqual([]);
    expect(again.issue).toMatchObject({ summary: green.summary, description: green.description, labels: green.labels });
  });

  it('follows edits, deletions and additions on the other side, and only touches its own copies', async () => {
    const blue = blueIssue();
    const green = applyIncoming({}, await receive(await send(blue), null));
    green.comments.push({ id: '70001', author: { accountId: 'g-kim', displayName: 'Kim Lee' }, body: paragraph('Green-only note'), created: 'x', updated: 'x', internal: false });
    green.attachments.push({ id: '70002', filename: 'green.txt', mimeType: 'text/plain', size: 3, created: 'x', sha256: 'c'.repeat(64), contentRef: 'green:attachment:70002' });

    blue.comments[1] = { ...blue.comments[1]!, body: paragraph('Fix merged.'), updated: '2025-11-22T10:00:00.000+0000' };
    blue.comments.splice(0, 1);
    blue.comments.push({ id: '20004', author: blue.reporter!, body: paragraph('Thanks!'), created: 'y', updated: 'y', internal: false });
    blue.attachments.splice(1, 1);
    blue.summary = 'Login button misaligned on small screens';

    const result = await receive(await send(blue), green);
    const copyOf = (remoteId: string) => green.comments.find((c) => c.remoteId === remoteId)!.id;
    expect(result.issue.summary).toBe('Login button misaligned on small screens');
    expect(result.comments).toEqual([
      { op: 'update', id: copyOf('20002'), remoteId: '20002', body: expect.anything(), internal: false },
      { op: 'add', remoteId: '20004', body: expect.anything(), internal: false },
      { op: 'delete', id: copyOf('20001'), remoteId: '20001' },
    ]);
    expect(attributedText(result.comments[0])).toContain('Fix merged.');
    const harCopy = green.attachments.find((a) => a.remoteId === '30002')!;
    expect(result.attachments).toEqual([{ op: 'delete', id: harCopy.id, remoteId: '30002' }]);
    expect(result.warnings).toEqual([]);
  });
});

describe('validateScript', () => {
  it('accepts the default scripts', async () => {
    await expect(validateScript(outgoingScript, 'outgoing.js')).resolves.toEqual({ ok: true });
    await expect(validateScript(incomingScript, 'incoming.js')).resolves.toEqual({ ok: true });
  });

  it('reports a syntax error with its line and column without running the script', async () => {
    const result = await validateScript('replica.summary = issue.summary;\nwhile (true) {}\nreplica.labels = [issue.labels;', 'outgoing.js');
    expect(result).toMatchObject({ ok: false, error: { kind: 'syntax', line: 3 } });
    if (!result.ok) {
      expect(result.error.column).toBeGreaterThan(20);
      expect(result.error.message).toMatch(/^SyntaxError: /);
    }
  });

  it('quotes the chosen project safely', () => {
    expect(defaultIncomingScript({ projectKey: 'A"B' })).toContain('issue.projectKey = "A\\"B";');
  });
});
