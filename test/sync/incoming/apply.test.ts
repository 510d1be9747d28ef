import { afterEach, describe, expect, it } from 'vitest';
import { newTwin } from '../../../src/sync/twins';
import { readLocalIssue, copyMapsOf } from '../../../src/sync/issue-reader';
import { applyIncomingResult } from '../../../src/sync/incoming/apply';
import { connection, receivingSide, result } from './helpers';

// Applying what the incoming script decided: only the difference, only what
// the partner wins, each copy recorded in the twin as it is made.

let side: Awaited<ReturnType<typeof receivingSide>>;
afterEach(() => side?.close());

const adf = (text: string) => ({ type: 'doc' as const, version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function existingTwin() {
  const made = await side.jira.issues.create({ fields: { project: { key: 'SC' }, issuetype: { name: 'Task' }, summary: 'Before', labels: ['here'] } });
  const twin = { ...newTwin({ connectionId: connection.id, localIssueId: made.id, localKey: made.key, origin: 'remote', now: 0 }), remoteIssueId: '10001', remoteKey: 'UD-1' };
  const read = async () => (await readLocalIssue({ jira: side.jira, storage: side.platform, issueIdOrKey: made.id, catalog: side.catalog, copies: copyMapsOf(twin) })).issue;
  return { twin, read };
}

describe('applying an incoming result', () => {
  it('writes only the fields the partner wins, and moves the status toward the wished one', async () => {
    side = await receivingSide();
    const { twin, read } = await existingTwin();
    const applied = await applyIncomingResult({
      jira: side.jira,
      twin,
      current: await read(),
      result: result({ summary: 'After', labels: ['theirs'] }, { status: 'In Progress' }),
      wins: (field) => field !== 'labels',
      catalog: side.catalog,
      content: async () => undefined,
    });
    const now = await read();
    expect(now.summary).toBe('After');
    expect(now.labels).toEqual(['here']);
    expect(now.status.name).toBe('In Progress');
    expect(applied.changes.map((c) => c.field)).toEqual(['summary', 'status']);
  });

  it('adds the partner\'s comments and attachments once, recording each copy in the twin, and says which bytes have not arrived', async () => {
    side = await receivingSide();
    const { twin, read } = await existingTwin();
    const bytes = new TextEncoder().encode('hello');
    const applied = await applyIncomingResult({
      jira: side.jira,
      twin,
      current: await read(),
      result: result({}, {
        comments: [{ op: 'add', remoteId: '20001', body: adf('from blue'), internal: false }],
        attachments: [
          { op: 'add', remoteId: '30001', filename: 'a.txt', mimeType: 'text/plain', size: 5, sha256: 'x', contentRef: 'blue:30001' },
          { op: 'add', remoteId: '30002', filename: 'b.txt', mimeType: 'text/plain', size: 5, sha256: 'y', contentRef: 'blue:30002' },
        ],
      }),
      wins: () => true,
      catalog: side.catalog,
      content: async (remoteId) => (remoteId === '30001' ? bytes : undefined),
    });
    const now = await read();
    expect(Object.keys(twin.comments)).toEqual(['20001']);
    expect(Object.keys(twin.attachments)).toEqual(['30001']);
    expect(now.comments.map((c) => c.remoteId)).toEqual(['20001']);
    expect(now.attachments.map((a) => [a.filename, a.remoteId])).toEqual([['a.txt', '30001']]);
    expect(applied.warnings).toEqual(['The content of "b.txt" did not arrive; it will be added with the next change.']);
  });

  it('leaves the fields alone on a first sync (the issue was just made from them) but still transitions', async () => {
    side = await receivingSide();
    const { twin, read } = await existingTwin();
    await applyIncomingResult({ jira: side.jira, twin, current: null, result: result({ summary: 'ignored' }, { status: 'Done' }), wins: () => true, catalog: side.catalog, content: async () => undefined });
    const now = await read();
    expect(now.summary).toBe('Before');
    expect(now.status.name).toBe('Done');
  });
});
