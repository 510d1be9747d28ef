import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdfDoc, LocalIssue } from '../../src/domain/replica';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules/defaults';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { applyIncoming, blueIssue, greenLookups, jane, omar } from './fixtures';

// Generated issues go out through the default outgoing script and in through
// the default incoming one; what lands must match what left, a second
// delivery must change nothing, and nothing the twin received goes back.

const outgoingScript = defaultOutgoingScript();
const incomingScript = defaultIncomingScript({ projectKey: 'SC' });

const doc = (paragraphs: string[]): AdfDoc => ({
  type: 'doc',
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
});

const text = fc.string({ minLength: 1, maxLength: 40 });
const at = '2025-11-20T09:00:00.000+0000';

const issueArb = fc
  .record({
    summary: text,
    description: fc.option(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 3 }), { nil: null }),
    labels: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { maxLength: 4 }),
    comments: fc.array(fc.record({ paragraphs: fc.array(text, { minLength: 1, maxLength: 2 }), internal: fc.boolean(), byJane: fc.boolean() }), { maxLength: 4 }),
    attachments: fc.array(fc.record({ filename: fc.stringMatching(/^[a-z]{1,8}\.(png|txt|pdf)$/), size: fc.nat({ max: 10_000_000 }) }), { maxLength: 3 }),
  })
  .map((g): LocalIssue => ({
    ...blueIssue(),
    summary: g.summary,
    description: g.description && doc(g.description),
    labels: g.labels,
    comments: g.comments.map((c, i) => ({ id: String(20_000 + i), author: c.byJane ? jane : omar, body: doc(c.paragraphs), created: at, updated: at, internal: c.internal })),
    attachments: g.attachments.map((a, i) => ({ id: String(30_000 + i), filename: a.filename, mimeType: 'application/octet-stream', size: a.size, created: at, sha256: 'e'.repeat(64), contentRef: `blue:${30_000 + i}` })),
  }));

describe('default scripts, round trip', () => {
  it('carry generated issues across intact, idempotently and without echoes', async () => {
    await fc.assert(
      fc.asyncProperty(issueArb, async (blue) => {
        const out = await runOutgoing({ script: outgoingScript, issue: blue });
        if (!out.ok) throw new Error(out.error.message);
        const first = await runIncoming({ script: incomingScript, replica: out.replica, previous: null, issue: null, firstSync: true, lookups: greenLookups() });
        if (!first.ok) throw new Error(first.error.message);
        const green = applyIncoming({}, first.result);

        expect(green.summary).toBe(blue.summary);
        expect(green.description).toEqual(blue.description);
        expect(green.labels).toEqual(blue.labels);
        expect(green.comments.map((c) => c.remoteId)).toEqual(blue.comments.map((c) => c.id));
        green.comments.forEach((copy, i) => {
          const original = blue.comments[i]!;
          expect(copy.internal).toBe(original.internal);
          expect(copy.body.content.slice(1)).toEqual(original.body.content);
          expect(JSON.stringify(copy.body.content[0])).toContain(`${original.author.displayName} commented:`);
        });
        expect(green.attachments.map((a) => [a.remoteId, a.filename, a.size])).toEqual(blue.attachments.map((a) => [a.id, a.filename, a.size]));

        const again = await runIncoming({ script: incomingScript, replica: out.replica, previous: out.replica, issue: green, firstSync: false, lookups: greenLookups() });
        if (!again.ok) throw new Error(again.error.message);
        expect(again.result.comments).toEqual([]);
        expect(again.result.attachments).toEqual([]);

        const back = await runOutgoing({ script: outgoingScript, issue: green });
        if (!back.ok) throw new Error(back.error.message);
        expect(back.replica.comments).toEqual([]);
        expect(back.replica.attachments).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
