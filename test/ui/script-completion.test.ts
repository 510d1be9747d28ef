import { describe, expect, it } from 'vitest';
import { completionsAt } from '../../static/src/admin/rules/script-completion';

const labels = (found: ReturnType<typeof completionsAt>) => found?.options.map((o) => o.label) ?? null;

describe('completion in the rule editor', () => {
  it('offers the names a script of that direction has', () => {
    const incoming = labels(completionsAt('incoming', 'if (first'));
    expect(incoming).toContain('firstSync');
    expect(incoming).toContain('commentHelper');
    const outgoing = labels(completionsAt('outgoing', 'rep'));
    expect(outgoing).toContain('replica');
    // Outgoing scripts have no firstSync and no merge helpers.
    expect(outgoing).not.toContain('firstSync');
    expect(outgoing).not.toContain('commentHelper');
  });

  it('offers a helper\'s members after its dot, replacing what was typed of the member', () => {
    const found = completionsAt('incoming', '  issue.comments = commentHelper.mer');
    expect(labels(found)).toEqual(['mergeComments', 'addComment']);
    expect(found?.from).toBe('  issue.comments = commentHelper.'.length);
    expect(labels(completionsAt('outgoing', 'nodeHelper.'))).toContain('getUserByEmail');
  });

  it('offers the fields of the replica and of the issue after their dots', () => {
    expect(labels(completionsAt('outgoing', 'replica.'))).toEqual(expect.arrayContaining(['summary', 'description', 'comments', 'customFields']));
    expect(labels(completionsAt('incoming', 'issue.sum'))).toContain('summary');
    expect(completionsAt('outgoing', 'previous.')).toBeNull();
    expect(completionsAt('outgoing', 'somethingElse.')).toBeNull();
  });
});
