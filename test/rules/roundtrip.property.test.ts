import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdfDoc, LocalIssue } from '../../src/domain/replica';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules/defaults';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { applyIncomingResult } from '../../src/sync/incoming/apply';
import { createLocalIssue } from '../../src/sync/incoming/first-sync';
import { copyMapsOf, readLocalIssue } from '../../src/sync/issue-reader';
import type { Twin } from '../../src/sync/twins';
import { connection, receivingSide } from '../sync/incoming/helpers';
import { blueIssue, greenLookups, jane, omar } from './fixtures';

// Generated issues go out through the default outgoing script, in through the
// default incoming one, and onto green's (emulated) Jira through the engine's
// own steps: the first sync that makes the issue and the apply step. Green is
// then read back with the engine's reader. What lands must match what left, a
// second delivery must change nothing, and nothing the twin received goes back.

const outgoingScript = defaultOutgoingScript();
const incomingScript = defaultIncomingScript({ projectKey: 'SC' });

const doc = (paragraphs: string[]): AdfDoc => ({
  type: 'doc',
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
});

const text = fc.string({ minLength: 1, maxLength: 40 });
const at = '2025-11-20T09:00:00.000+0000';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const issueArb = fc
  .record({
    // Jira refuses a blank summary: an issue that cannot exist is no round trip.
    summary: text.filter((s) => s.trim().length > 0),
    description: fc.option(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 3 }), { nil: null }),
    labels: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { maxLength: 4 }),
    comments: fc.array(fc.record({ paragraphs: fc.array(text, { minLength: 1, maxLength: 2 }), internal: fc.boolean(), byJane: fc.boolean() }), { maxLength: 4 }),
    attachments: fc.array(fc.record({ filename: fc.stringMatching(/^[a-z]{1,8}\.(png|txt|pdf)$/), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), { maxLength: 3 }),
  })
  .map((g) => {
    const bytes = new Map(g.attachments.map((a, i) => [String(30_000 + i), a.bytes]));
    const issue: LocalIssue = {
      ...blueIssue(),
      summary: g.summary,
      description: g.description && doc(g.description),
      labels: g.labels,
      comments: g.comments.map((c, i) => ({ id: String(20_000 + i), author: c.byJane ? jane : omar, body: doc(c.paragraphs), created: at, updated: at, internal: c.internal })),
      attachments: g.attachments.map((a, i) => ({ id: String(30_000 + i), filename: a.filename, mimeType: 'application/octet-stream', size: a.bytes.length, created: at, sha256: sha256(a.bytes), contentRef: `blue:${30_000 + i}` })),
    };
    return { issue, bytes };
  });

let side: Awaited<ReturnType<typeof receivingSide>>;
beforeAll(async () => {
  side = await receivingSide();
});
afterAll(() => side?.close());

let remoteIds = 0;

describe('default scripts, round trip through the engine', () => {
  it('carry generated issues across intact, idempotently and without echoes', async () => {
    await fc.assert(
      fc.asyncProperty(issueArb, async ({ issue: blue, bytes }) => {
        const content = async (remoteId: string) => bytes.get(remoteId);
        const out = await runOutgoing({ script: outgoingScript, issue: blue });
        if (!out.ok) throw new Error(out.error.message);
        const first = await runIncoming({ script: incomingScript, replica: out.replica, previous: null, issue: null, firstSync: true, lookups: greenLookups() });
        if (!first.ok) throw new Error(first.error.message);

        // The first sync, as the engine makes it: the issue from the desired fields, then the rest applied.
        const made = await createLocalIssue(side.platform, side.jira, side.twins, connection, String(++remoteIds), { issueKey: blue.key, replica: out.replica }, first.result.issue, side.catalog);
        if (made.kind !== 'done') throw new Error('the creation was claimed by someone else');
        const twin: Twin = made.twin;
        await applyIncomingResult({ jira: side.jira, twin, current: null, result: first.result, wins: () => true, catalog: side.catalog, content });
        const readGreen = async () => (await readLocalIssue({ jira: side.jira, storage: side.platform, issueIdOrKey: twin.localIssueId, catalog: side.catalog, copies: copyMapsOf(twin) })).issue;
        const green = await readGreen();

        expect(green.summary).toBe(blue.summary);
        expect(green.description).toEqual(blue.description);
        expect([...green.labels].sort()).toEqual([...blue.labels].sort());
        expect(green.comments.map((c) => c.remoteId)).toEqual(blue.comments.map((c) => c.id));
        green.comments.forEach((copy, i) => {
          const original = blue.comments[i]!;
          expect(copy.internal).toBe(original.internal);
          expect(copy.body.content.slice(1)).toEqual(original.body.content);
          expect(JSON.stringify(copy.body.content[0])).toContain(`${original.author.displayName} commented:`);
        });
        expect(green.attachments.map((a) => [a.remoteId, a.filename, a.size, a.sha256])).toEqual(blue.attachments.map((a) => [a.id, a.filename, a.size, a.sha256]));

        // The same replica again: nothing to add, and the apply step changes nothing.
        const again = await runIncoming({ script: incomingScript, replica: out.replica, previous: out.replica, issue: green, firstSync: false, lookups: greenLookups() });
        if (!again.ok) throw new Error(again.error.message);
        expect(again.result.comments).toEqual([]);
        expect(again.result.attachments).toEqual([]);
        const reapplied = await applyIncomingResult({ jira: side.jira, twin, current: green, result: again.result, wins: () => true, catalog: side.catalog, content });
        expect(reapplied.changes).toEqual([]);
        expect(await readGreen()).toEqual(green);

        // Green's side going out: the copies it holds are the partner's, not news.
        const back = await runOutgoing({ script: outgoingScript, issue: green });
        if (!back.ok) throw new Error(back.error.message);
        expect(back.replica.comments).toEqual([]);
        expect(back.replica.attachments).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
