import type { AdfDoc, IncomingResult, LocalIssue, RuleLookupsInput } from '../../src/domain/replica';

export const jane = { accountId: '5b10a2844c20165700ede21g', displayName: 'Jane Doe', email: 'jane@blue.example' };
export const omar = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Omar Haddad', email: 'omar@blue.example' };

export function paragraph(text: string): AdfDoc {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

const sha = (c: string) => c.repeat(64);

/** A UD issue on the blue site as the engine reads it: rich description, three
 *  comments, two attachments. */
export function blueIssue(): LocalIssue {
  return {
    id: '10042',
    key: 'UD-42',
    url: 'http://localhost:4000/blue/browse/UD-42',
    projectKey: 'UD',
    project: { key: 'UD', name: 'UI Design' },
    typeName: 'Improvement',
    type: { name: 'Improvement' },
    summary: 'Login button misaligned on narrow screens',
    description: {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'On screens under ' },
            { type: 'text', text: '360px', marks: [{ type: 'code' }] },
            { type: 'text', text: ' the button overlaps the footer.' },
          ],
        },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Open /login' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Resize to 320px' }] }] },
          ],
        },
      ],
    },
    status: { name: 'In Progress', category: 'indeterminate' },
    priority: { name: 'High' },
    labels: ['frontend', 'mobile'],
    assignee: omar,
    reporter: jane,
    dueDate: '2025-12-01',
    resolution: null,
    parentId: null,
    customFields: { 'Story Points': { type: 'number', value: 3 } },
    comments: [
      { id: '20001', author: jane, body: paragraph('Reproduced on Safari too.'), created: '2025-11-20T09:00:00.000+0000', updated: '2025-11-20T09:00:00.000+0000', internal: false },
      { id: '20002', author: omar, body: paragraph('Fix is in review.'), created: '2025-11-21T10:30:00.000+0000', updated: '2025-11-21T11:00:00.000+0000', internal: false },
      { id: '20003', author: omar, body: paragraph('Customer is on the enterprise plan.'), created: '2025-11-21T12:00:00.000+0000', updated: '2025-11-21T12:00:00.000+0000', internal: true },
    ],
    attachments: [
      { id: '30001', filename: 'screenshot.png', mimeType: 'image/png', size: 48213, created: '2025-11-20T09:01:00.000+0000', sha256: sha('a'), contentRef: 'blue:attachment:30001' },
      { id: '30002', filename: 'har.json', mimeType: 'application/json', size: 1200, created: '2025-11-20T09:02:00.000+0000', sha256: sha('b'), contentRef: 'blue:attachment:30002' },
    ],
    issueLinks: [],
    worklogs: [],
    components: [],
    fixVersions: [],
  };
}

/** What the green side knows: project SC and its types, users, priorities. */
export function greenLookups(): RuleLookupsInput {
  return {
    issueTypesByProject: {
      SC: [
        { id: '1', name: 'Task', default: false },
        { id: '2', name: 'Bug' },
        { id: '3', name: 'Story', default: true },
      ],
      OPS: [{ id: '9', name: 'Incident' }],
    },
    priorities: [
      { id: '1', name: 'Highest' },
      { id: '2', name: 'High' },
      { id: '3', name: 'Medium' },
    ],
    statuses: [
      { id: '1', name: 'Open', category: 'new' },
      { id: '3', name: 'In Progress', category: 'indeterminate' },
      { id: '5', name: 'Done', category: 'done' },
    ],
    resolutions: [{ id: '1', name: 'Fixed' }, { id: '2', name: "Won't Fix" }],
    users: [
      { accountId: 'g-jane', displayName: 'Jane Doe', email: 'Jane@Blue.example' },
      { accountId: 'g-kim', displayName: 'Kim Lee', email: 'kim@green.example' },
    ],
    twinsByRemoteId: { '10001': { id: '11001', key: 'SC-1' } },
  };
}

/** Applies an incoming result the way the engine would, to a local issue kept
 *  in memory: new comments and attachments get fresh ids. */
export function applyIncoming(
  before: Partial<LocalIssue>,
  result: IncomingResult,
  ids: { next: number } = { next: 90_000 },
): LocalIssue {
  const d = result.issue;
  const comments = (before.comments ?? []).flatMap((c) => {
    const op = result.comments.find((o) => o.op !== 'add' && o.id === c.id);
    if (op?.op === 'delete') return [];
    if (op?.op === 'update') return [{ ...c, body: op.body, internal: op.internal }];
    return [c];
  });
  for (const op of result.comments) {
    if (op.op !== 'add') continue;
    const at = '2025-11-22T08:00:00.000+0000';
    comments.push({ id: String(ids.next++), author: syncUser, body: op.body, internal: op.internal, created: at, updated: at, ...(op.remoteId && { remoteId: op.remoteId }) });
  }
  const attachments = (before.attachments ?? []).filter((a) => !result.attachments.some((o) => o.op === 'delete' && o.id === a.id));
  for (const op of result.attachments) {
    if (op.op !== 'add') continue;
    const id = String(ids.next++);
    attachments.push({ id, remoteId: op.remoteId, filename: op.filename, mimeType: op.mimeType, size: op.size, sha256: op.sha256, created: '2025-11-22T08:00:00.000+0000', contentRef: `green:attachment:${id}` });
  }
  const projectKey = d.projectKey ?? before.projectKey ?? 'SC';
  const typeName = d.typeName ?? before.typeName ?? 'Task';
  return {
    id: before.id ?? String(ids.next++),
    key: before.key ?? `${projectKey}-1`,
    url: before.url,
    projectKey,
    project: { key: projectKey, name: projectKey },
    typeName,
    type: { name: typeName },
    summary: d.summary ?? before.summary ?? '',
    description: d.description !== undefined ? d.description : (before.description ?? null),
    status: result.status ? { name: result.status } : (before.status ?? { name: 'Open', category: 'new' }),
    priority: d.priority !== undefined ? d.priority : (before.priority ?? null),
    labels: d.labels ?? before.labels ?? [],
    assignee: d.assignee !== undefined ? d.assignee : (before.assignee ?? null),
    reporter: d.reporter !== undefined ? d.reporter : (before.reporter ?? null),
    dueDate: d.dueDate !== undefined ? d.dueDate : (before.dueDate ?? null),
    resolution: d.resolution !== undefined ? d.resolution : (before.resolution ?? null),
    parentId: d.parentId !== undefined ? d.parentId : (before.parentId ?? null),
    customFields: d.customFields ?? before.customFields ?? {},
    comments,
    attachments,
    issueLinks: before.issueLinks ?? [],
    worklogs: before.worklogs ?? [],
    components: before.components ?? [],
    fixVersions: before.fixVersions ?? [],
  };
}

const syncUser = { accountId: 'green-app', displayName: 'Issue Sync' };
