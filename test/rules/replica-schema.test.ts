import { describe, expect, it } from 'vitest';
import { DesiredIssue, LocalIssue, Replica, textToAdf } from '../../src/domain/replica';
import { diffComments, sameJson } from '../../src/rules/incoming-ops';
import { blueIssue, jane, paragraph } from './fixtures';

describe('replica schema', () => {
  it('accepts the local issue fields a replica shares', () => {
    const { projectKey: _p, typeName: _t, ...shared } = blueIssue();
    const comments = shared.comments.map(({ remoteId: _r, ...c }) => c);
    expect(Replica.parse({ ...shared, comments })).toMatchObject({ key: 'UD-42', labels: ['frontend', 'mobile'] });
  });

  it('names the path of what is wrong', () => {
    const bad = Replica.safeParse({
      id: '1',
      key: 'UD-1',
      attachments: [{ id: 'a', filename: 'x', mimeType: 'text/plain', size: 1, created: 'now', sha256: 'nope', contentRef: 'r' }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['attachments', 0, 'sha256']);
  });

  it('types custom fields by kind', () => {
    const ok = Replica.safeParse({ id: '1', key: 'K-1', customFields: { Points: { type: 'number', value: 3 }, Team: { type: 'option', value: 'Blue' }, Owner: { type: 'user', value: jane } } });
    expect(ok.success).toBe(true);
    const bad = Replica.safeParse({ id: '1', key: 'K-1', customFields: { Points: { type: 'number', value: 'three' } } });
    expect(bad.success).toBe(false);
  });

  it('turns text into ADF paragraphs with hard breaks', () => {
    expect(textToAdf('a\nb\n\nc')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'c' }] },
      ],
    });
  });

  it('keeps the local issue and desired issue apart', () => {
    expect(LocalIssue.safeParse(blueIssue()).success).toBe(true);
    expect(DesiredIssue.parse({ summary: 's', key: 'ignored' })).toEqual({ summary: 's' });
  });
});

describe('comment diff', () => {
  it('compares ADF regardless of key order', () => {
    expect(sameJson({ type: 'doc', version: 1, content: [{ text: 'a', type: 'text' }] }, { content: [{ type: 'text', text: 'a' }], version: 1, type: 'doc' })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('does not add a second copy of a remote comment', () => {
    const before = [{ id: 'g1', remoteId: 'r1', author: jane, body: paragraph('x'), created: 't', updated: 't', internal: false }];
    const diff = diffComments(before, [
      { id: 'g1', remoteId: 'r1', body: paragraph('x'), internal: false },
      { remoteId: 'r1', body: paragraph('x again'), internal: false },
    ]);
    expect(diff.ops).toEqual([]);
    expect(diff.warnings).toEqual(['Remote comment r1 already has a copy here; the second copy was not added.']);
  });
});
