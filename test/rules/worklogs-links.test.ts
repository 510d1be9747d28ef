import { describe, expect, it } from 'vitest';
import type { LocalIssue, Replica } from '../../src/domain/replica';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { blueIssue, jane, omar, paragraph } from './fixtures';

// worklogHelper.mergeWorklogs and `issue.issueLinks = replica.issueLinks`, as
// the default scripts use them: which operations and wishes come out.

const at = '2026-11-30T10:00:00.000+0000';
const replica = (extra: Partial<Replica>): Replica => ({ id: '10042', key: 'WEB-42', ...extra });

function greenIssue(extra: Partial<LocalIssue> = {}): LocalIssue {
  return { ...blueIssue(), id: '20042', key: 'SUP-42', comments: [], attachments: [], ...extra };
}

describe('worklogHelper.mergeWorklogs', () => {
  it('adds new remote worklogs, updates changed copies, deletes removed copies and leaves this side\u2019s own alone', async () => {
    const issue = greenIssue({
      worklogs: [
        { id: 'g1', author: omar, timeSpentSeconds: 600, started: at, comment: null },
        { id: 'g2', remoteId: 'b1', author: jane, timeSpentSeconds: 1800, started: at, comment: { type: 'doc', version: 1, content: [paragraph('Jane Doe logged:').content[0]!] } },
        { id: 'g3', remoteId: 'b2', author: jane, timeSpentSeconds: 900, started: at, comment: null },
      ],
    });
    const run = await runIncoming({
      script: 'issue.worklogs = worklogHelper.mergeWorklogs(issue, replica);',
      replica: replica({
        worklogs: [
          { id: 'b1', author: jane, timeSpentSeconds: 3600, started: at, comment: null },
          { id: 'b3', author: jane, timeSpentSeconds: 300, started: '2026-12-01T08:00:00.000+0000', comment: paragraph('Review') },
        ],
      }),
      previous: null,
      issue,
      firstSync: false,
    });
    if (!run.ok) throw new Error(run.error.message);
    const ops = run.result.worklogs ?? [];
    expect(ops.map((op) => [op.op, op.remoteId])).toEqual([
      ['update', 'b1'],
      ['add', 'b3'],
      ['delete', 'b2'],
    ]);
    const added = ops.find((op) => op.op === 'add')!;
    expect(JSON.stringify(added)).toContain('Jane Doe logged:');
    expect(JSON.stringify(added)).toContain('Review');
  });

  it('changes nothing when the partner sends no worklogs', async () => {
    const run = await runIncoming({ script: 'issue.worklogs = worklogHelper.mergeWorklogs(issue, replica);', replica: replica({}), previous: null, issue: greenIssue(), firstSync: false });
    expect(run.ok && run.result.worklogs).toEqual([]);
  });

  it('never sends a copy back: the outgoing replica leaves out worklogs this connection made', async () => {
    const issue = greenIssue({
      worklogs: [
        { id: 'g1', author: omar, timeSpentSeconds: 600, started: at, comment: null },
        { id: 'g2', remoteId: 'b1', author: jane, timeSpentSeconds: 1800, started: at, comment: null },
      ],
    });
    const run = await runOutgoing({ script: 'replica.worklogs = issue.worklogs;', issue });
    expect(run.ok && run.replica.worklogs?.map((w) => w.id)).toEqual(['g1']);
  });
});

describe('issue links in the incoming script', () => {
  const link = { id: 'l1', type: 'Blocks', direction: 'outward' as const, otherIssueId: '10077' };

  it('is a wish only when the script set a list: this side\u2019s links left as they were are none', async () => {
    const issue = greenIssue({ issueLinks: [{ id: 'x9', type: 'Relates', direction: 'inward', otherIssueId: '20001' }] });
    const untouched = await runIncoming({ script: 'issue.summary = replica.summary;', replica: replica({ summary: 's', issueLinks: [link] }), previous: null, issue, firstSync: false });
    expect(untouched.ok && untouched.result.issue.issueLinks).toBeUndefined();
    const copied = await runIncoming({ script: 'issue.issueLinks = replica.issueLinks;', replica: replica({ issueLinks: [link] }), previous: null, issue, firstSync: false });
    expect(copied.ok && copied.result.issue.issueLinks).toEqual([link]);
    const none = await runIncoming({ script: 'issue.issueLinks = replica.issueLinks;', replica: replica({ issueLinks: [] }), previous: null, issue, firstSync: false });
    expect(none.ok && none.result.issue.issueLinks).toEqual([]);
  });
});
