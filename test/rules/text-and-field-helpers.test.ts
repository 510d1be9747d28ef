import { describe, expect, it } from 'vitest';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { blueIssue, greenLookups, jane } from './fixtures';

// The prelude helpers the Groovy translation leans on, usable from hand-written
// scripts too: plainText (the text of a rich-text body), customFieldHelper
// (a custom field's value by name, its type found for the script) and
// commentHelper.addComment.

const at = '2025-11-20T09:00:00.000+0000';

async function outgoing(script: string) {
  const out = await runOutgoing({ script, issue: blueIssue() });
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.replica;
}

async function incoming(script: string, firstSync = true) {
  const out = await runIncoming({
    script,
    replica: {
      id: '10042',
      key: 'UD-42',
      customFields: { Severity: { type: 'option', value: 'Major' }, 'Story Points': { type: 'number', value: 5 } },
      comments: [{ id: 'r1', author: jane, body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'plain text body' }] }] }, created: at, updated: at, internal: false }],
    },
    previous: null,
    issue: firstSync ? null : { customFields: { Customer: { type: 'text', value: 'ACME' } }, comments: [] },
    firstSync,
    lookups: greenLookups(),
  });
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.result;
}

describe('plainText', () => {
  it('reads the text of a rich-text body: marks dropped, blocks and hard breaks as line breaks', async () => {
    const replica = await outgoing('replica.summary = plainText(issue.description);');
    expect(replica.summary).toBe('On screens under 360px the button overlaps the footer.\nOpen /login\nResize to 320px');
  });

  it('gives a string back as it is and nothing as an empty string', async () => {
    const replica = await outgoing('replica.labels = [plainText("as is"), plainText(null), plainText(undefined), plainText(issue.comments[0].body)];');
    expect(replica.labels).toEqual(['as is', '', '', 'Reproduced on Safari too.']);
  });

  it('lets a script filter comments by what they say', async () => {
    const replica = await outgoing('replica.comments = issue.comments.filter((c) => plainText(c.body).includes("review"));');
    expect(replica.comments?.map((c) => c.id)).toEqual(['20002']);
  });

  it('walks a deep document without overflowing', async () => {
    const replica = await outgoing(`
      let node = { type: "text", text: "deep" };
      for (let i = 0; i < 5000; i++) node = { type: "paragraph", content: [node] };
      replica.summary = plainText({ type: "doc", version: 1, content: [node] });`);
    expect(replica.summary).toBe('deep');
  });
});

describe('customFieldHelper.setValue', () => {
  it('takes the type from the replica on a first sync, when the issue has no fields yet', async () => {
    const result = await incoming('customFieldHelper.setValue(issue, "Severity", "Critical"); customFieldHelper.setValue(issue, "Story Points", "8");');
    expect(result.issue.customFields).toEqual({ Severity: { type: 'option', value: 'Critical' }, 'Story Points': { type: 'number', value: 8 } });
  });

  it('keeps the type the field already has on the issue, and guesses from the value otherwise', async () => {
    const result = await incoming('customFieldHelper.setValue(issue, "Customer", 42); customFieldHelper.setValue(issue, "Tags", ["a", "b"]);', false);
    expect(result.issue.customFields).toEqual({ Customer: { type: 'text', value: '42' }, Tags: { type: 'labels', value: ['a', 'b'] } });
  });

  it('sets a field on the replica from the outgoing side, typed as the issue has it', async () => {
    const replica = await outgoing('customFieldHelper.setValue(replica, "Story Points", issue.customFields["Story Points"].value + 1);');
    expect(replica.customFields).toEqual({ 'Story Points': { type: 'number', value: 4 } });
  });

  it('leaves a field alone when nothing says its type', async () => {
    const result = await incoming('customFieldHelper.setValue(issue, "Unknown", null);');
    expect(result.issue.customFields).toEqual({});
  });
});

describe('commentHelper.addComment', () => {
  it('adds a comment by the app to the list it is given', async () => {
    const result = await incoming('issue.comments = commentHelper.addComment("Synced from " + replica.key, issue.comments);');
    expect(result.comments).toEqual([{ op: 'add', body: expect.objectContaining({ type: 'doc' }), internal: false }]);
    expect(JSON.stringify(result.comments[0])).toContain('Synced from UD-42');
  });
});
