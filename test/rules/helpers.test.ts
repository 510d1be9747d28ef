import { describe, expect, it } from 'vitest';
import type { AdfDoc, LocalIssue, Replica } from '../../src/domain/replica';
import { runIncoming, type IncomingRun } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { blueIssue, greenLookups, jane, omar, paragraph } from './fixtures';

// The bindings scripts use, one at a time, through the public runners.

const at = '2025-11-20T09:00:00.000+0000';

function replicaWith(extra: Partial<Replica> = {}): Replica {
  return {
    id: '10042',
    key: 'UD-42',
    summary: 'Remote summary',
    comments: [
      { id: 'r1', author: jane, body: paragraph('first'), created: at, updated: at, internal: false },
      { id: 'r2', author: omar, body: paragraph('second, edited'), created: at, updated: at, internal: false },
      { id: 'r3', author: jane, body: paragraph('third'), created: at, updated: at, internal: false },
    ],
    ...extra,
  };
}

function greenTwin(): LocalIssue {
  const attributed = (who: string, text: string): AdfDoc => ({
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: `${who} commented:` }] },
      { type: 'paragraph', content: [{ type: 'text', text }] },
    ],
  });
  return {
    ...blueIssue(),
    id: '11042',
    key: 'SC-42',
    projectKey: 'SC',
    project: { key: 'SC', name: 'Software Chasers' },
    typeName: 'Story',
    type: { name: 'Story' },
    status: { name: 'Open', category: 'new' },
    comments: [
      { id: 'g1', remoteId: 'r1', author: jane, body: attributed('Jane Doe', 'first'), created: at, updated: at, internal: false },
      { id: 'g2', remoteId: 'r2', author: omar, body: attributed('Omar Haddad', 'second'), created: at, updated: at, internal: false },
      { id: 'g9', remoteId: 'r9', author: omar, body: attributed('Omar Haddad', 'gone'), created: at, updated: at, internal: false },
      { id: 'g5', author: { accountId: 'g-kim', displayName: 'Kim Lee' }, body: paragraph('local note'), created: at, updated: at, internal: false },
    ],
    attachments: [
      { id: 'ga1', remoteId: 'ra1', filename: 'a.png', mimeType: 'image/png', size: 10, created: at, sha256: 'a'.repeat(64), contentRef: 'green:ga1' },
      { id: 'ga9', remoteId: 'ra9', filename: 'gone.png', mimeType: 'image/png', size: 10, created: at, sha256: 'b'.repeat(64), contentRef: 'green:ga9' },
      { id: 'ga5', filename: 'local.txt', mimeType: 'text/plain', size: 1, created: at, sha256: 'c'.repeat(64), contentRef: 'green:ga5' },
    ],
  };
}

async function incoming(script: string, overrides: Partial<IncomingRun> = {}) {
  const out = await runIncoming({ script, replica: replicaWith(), previous: null, issue: greenTwin(), firstSync: false, lookups: greenLookups(), ...overrides });
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.result;
}

const text = (value: unknown) => JSON.stringify(value);

describe('commentHelper.mergeComments', () => {
  it('adds new remote comments, updates changed copies, deletes removed copies, and leaves local comments alone', async () => {
    const result = await incoming('issue.comments = commentHelper.mergeComments(issue, replica);');
    expect(result.comments.map((op) => [op.op, 'id' in op ? op.id : undefined, op.remoteId])).toEqual([
      ['update', 'g2', 'r2'],
      ['add', undefined, 'r3'],
      ['delete', 'g9', 'r9'],
    ]);
    expect(text(result.comments[0])).toContain('second, edited');
    expect(text(result.comments[1])).toContain('Jane Doe commented:');
    expect(result.warnings).toEqual([]);
  });

  it("heads a copy with its author and the partner's site, and keeps copies made under the earlier heading while their text is the same", async () => {
    const result = await incoming('issue.comments = commentHelper.mergeComments(issue, replica);', { partnerName: 'Blue Jira' });
    // g1 (r1, "Jane Doe commented:" over the unchanged "first") stays as it is: no update, so an upgrade rewrites nothing.
    expect(result.comments.map((op) => [op.op, op.remoteId])).toEqual([
      ['update', 'r2'],
      ['add', 'r3'],
      ['delete', 'r9'],
    ]);
    // A changed one and a new one get the new heading.
    expect(text(result.comments[0])).toContain('Omar Haddad, on Blue Jira:');
    expect(text(result.comments[0])).not.toContain('commented:');
    expect(text(result.comments[1])).toContain('Jane Doe, on Blue Jira:');
  });

  it('applies the change function to every copy', async () => {
    const result = await incoming('issue.comments = commentHelper.mergeComments(issue, replica, c => { c.internal = true; });');
    expect(result.comments.map((op) => [op.op, op.remoteId, 'internal' in op ? op.internal : undefined])).toEqual([
      ['update', 'r1', true],
      ['update', 'r2', true],
      ['add', 'r3', true],
      ['delete', 'r9', undefined],
    ]);
  });

  it('lets the change function rewrite bodies or skip comments', async () => {
    const script = `issue.comments = commentHelper.mergeComments(issue, replica, (c, remote) => {
      if (remote.id === "r3") return false;
      c.body = { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "[synced] " + remote.author.displayName }] }] };
    });`;
    const result = await incoming(script);
    expect(result.comments.map((op) => [op.op, op.remoteId])).toEqual([
      ['update', 'r1'],
      ['update', 'r2'],
      ['delete', 'r9'],
    ]);
    expect(text(result.comments[0])).toContain('[synced] Jane Doe');
  });

  it('changes nothing when the replica carries no comments', async () => {
    const result = await incoming('issue.comments = commentHelper.mergeComments(issue, replica);', { replica: replicaWith({ comments: undefined }) });
    expect(result.comments).toEqual([]);
  });

  it('refuses to change or remove comments this connection did not make', async () => {
    const result = await incoming('issue.comments = [];');
    expect(result.comments.map((op) => op.op)).toEqual(['delete', 'delete', 'delete']);
    expect(result.warnings).toEqual(['Comment g5 was not made by this connection; it was kept although the script removed it.']);

    const edited = await incoming('issue.comments[3].body = "rewritten";');
    expect(edited.comments).toEqual([]);
    expect(edited.warnings[0]).toMatch(/g5 was not made by this connection/);
  });

  it('lets a script add a comment of its own', async () => {
    const result = await incoming('issue.comments.push({ body: "Synced from " + replica.key, internal: true });');
    expect(result.comments).toEqual([{ op: 'add', body: paragraph('Synced from UD-42'), internal: true }]);
  });
});

describe('attachmentHelper.mergeAttachments', () => {
  const remote = (id: string, filename: string) => ({ id, filename, mimeType: 'image/png', size: 10, created: at, sha256: 'd'.repeat(64), contentRef: `blue:${id}` });

  it('adds new remote attachments and deletes removed copies only', async () => {
    const replica = replicaWith({ attachments: [remote('ra1', 'a.png'), remote('ra2', 'b.png')] });
    const result = await incoming('issue.attachments = attachmentHelper.mergeAttachments(issue, replica);', { replica });
    expect(result.attachments).toEqual([
      { op: 'add', remoteId: 'ra2', filename: 'b.png', mimeType: 'image/png', size: 10, sha256: 'd'.repeat(64), contentRef: 'blue:ra2' },
      { op: 'delete', id: 'ga9', remoteId: 'ra9' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('reports an attachment the script made up without content', async () => {
    const out = await runIncoming({
      script: 'issue.attachments.push({ remoteId: "x", filename: "f.txt" });',
      replica: replicaWith(),
      previous: null,
      issue: greenTwin(),
      firstSync: false,
    });
    expect(out).toMatchObject({ ok: false, error: { kind: 'output' } });
    if (!out.ok) expect(out.error.message).toMatch(/issue\.attachments\[3\]/);
  });
});

describe('nodeHelper and syncHelper', () => {
  it('finds types, priorities, statuses, resolutions and users, ignoring case', async () => {
    const script = `debug.log(
      nodeHelper.getIssueType("bug", "SC"),
      nodeHelper.getIssueType("Improvement"),
      nodeHelper.getDefaultIssueType("SC"),
      nodeHelper.getPriority("HIGH"),
      nodeHelper.getStatus("done"),
      nodeHelper.getResolution("won't fix"),
      nodeHelper.getUserByEmail("jane@blue.EXAMPLE"),
      nodeHelper.getUserByAccountId("g-kim"),
      nodeHelper.getUserByEmail(null),
      nodeHelper.getIssueType("Incident", "toString")
    );`;
    const result = await incoming(script);
    expect(result.logs).toEqual([
      [
        '{"id":"2","name":"Bug"}',
        'null',
        '{"id":"3","name":"Story"}',
        '{"id":"2","name":"High"}',
        '{"id":"5","name":"Done"}',
        `{"id":"2","name":"Won't Fix"}`,
        '{"accountId":"g-jane","displayName":"Jane Doe","email":"Jane@Blue.example"}',
        '{"accountId":"g-kim","displayName":"Kim Lee","email":"kim@green.example"}',
        'null',
        'null',
      ].join(' '),
    ]);
  });

  it('finds the local twin of a remote issue', async () => {
    const result = await incoming(
      'debug.log(syncHelper.getLocalIssueKeyFromRemoteId("10001"), syncHelper.getLocalIssueKeyFromRemoteId(10001), syncHelper.getLocalIssueKeyFromRemoteId("__proto__"), syncHelper.getLocalIssueKeyFromRemoteId("404"));',
    );
    expect(result.logs).toEqual(['{"id":"11001","key":"SC-1"} {"id":"11001","key":"SC-1"} null null']);
  });

  it('records the unexalate wish', async () => {
    expect((await incoming('if (replica.summary === "Remote summary") syncHelper.unExalate();')).unExalate).toBe(true);
    expect((await incoming('issue.summary = replica.summary;')).unExalate).toBe(false);
  });

  it('maps users for outgoing scripts too', async () => {
    const out = await runOutgoing({
      script: 'replica.customKeys = { lead: nodeHelper.getUserByAccountId("g-kim") };',
      issue: blueIssue(),
      lookups: greenLookups(),
    });
    expect(out).toMatchObject({ ok: true, replica: { customKeys: { lead: { accountId: 'g-kim', displayName: 'Kim Lee' } } } });
  });
});

describe('incoming bindings', () => {
  it('records the status wish from issue.setStatus or an assignment', async () => {
    expect((await incoming('issue.setStatus("Done");')).status).toBe('Done');
    expect((await incoming('issue.status = "In Progress";')).status).toBe('In Progress');
    expect((await incoming('issue.status = { name: "Open" };')).status).toBeNull();
    expect((await incoming('issue.summary = "x";')).status).toBeNull();
  });

  it('offers the previous replica, parsed only when read', async () => {
    const previous = replicaWith({ summary: 'Old summary' });
    expect((await incoming('issue.summary = previous ? previous.summary : "none";', { previous })).issue.summary).toBe('Old summary');
    expect((await incoming('issue.summary = previous === null ? "none" : "some";')).issue.summary).toBe('none');
  });

  it('reads the issue type from typeName or type, whichever the script set', async () => {
    expect((await incoming('issue.typeName = "Bug";')).issue.typeName).toBe('Bug');
    expect((await incoming('issue.type = { name: "Task" };')).issue.typeName).toBe('Task');
    expect((await incoming('issue.summary = "x";')).issue.typeName).toBe('Story');
  });

  it('starts the first sync from an empty issue', async () => {
    const result = await incoming('debug.log(JSON.stringify(issue), firstSync); issue.projectKey = "SC"; issue.typeName = "Task"; issue.summary = replica.summary;', {
      issue: null,
      firstSync: true,
    });
    // Next to empty: only a place for custom field lines such as issue.customFields["Story Points"] = ….
    expect(result.logs).toEqual(['{"customFields":{}} true']);
    expect(result.issue).toEqual({ projectKey: 'SC', typeName: 'Task', summary: 'Remote summary', customFields: {} });
  });

  it('accepts plain text where ADF is expected', async () => {
    const result = await incoming('issue.description = "Line one\\nline two\\n\\nSecond paragraph";');
    expect(result.issue.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Line one' }, { type: 'hardBreak' }, { type: 'text', text: 'line two' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Second paragraph' }] },
      ],
    });
  });

  it('reports an invalid issue with the path to the bad field', async () => {
    const out = await runIncoming({ script: 'issue.summary = 42;', replica: replicaWith(), previous: null, issue: greenTwin(), firstSync: false });
    expect(out).toMatchObject({ ok: false, error: { kind: 'output', line: null } });
    if (!out.ok) expect(out.error.message).toMatch(/issue\.summary/);
  });
});

describe('outgoing validation', () => {
  it('reports an invalid replica with the path to the bad field', async () => {
    const out = await runOutgoing({ script: 'replica.summary = issue.summary;\nreplica.comments = [{ id: "1", body: 5 }];', issue: blueIssue() });
    expect(out).toMatchObject({ ok: false, error: { kind: 'output' } });
    if (!out.ok) expect(out.error.message).toMatch(/^The script produced an invalid replica: replica\.comments\[0\]\./);
  });

  it('reports a misspelt replica field instead of dropping it', async () => {
    const out = await runOutgoing({ script: 'replica.sumary = issue.summary;', issue: blueIssue() });
    expect(out).toMatchObject({ ok: false, error: { kind: 'output' } });
    if (!out.ok) expect(out.error.message).toMatch(/sumary/);
  });

  it('starts the replica with the issue identity', async () => {
    const out = await runOutgoing({ script: '', issue: blueIssue() });
    expect(out).toEqual({ ok: true, replica: { id: '10042', key: 'UD-42' }, logs: [] });
  });
});
