import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JiraIssue } from '../../src/jira/schemas';
import { editTimesOf, fieldEditedAt, stampOf } from '../../src/sync/edit-times';
import { hasUnsentEdit, partnerWins } from '../../src/sync/incoming/concurrency';

// Changes are stamped with when they were made, as the issue's history says,
// and the two sides settle concurrent edits from those stamps alone.

const T0 = Date.parse('2026-12-05T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString().replace('Z', '+0000');
const PERSON = { accountId: 'p-1', accountType: 'atlassian' };
const APP = { accountId: 'app-1', accountType: 'app' };

function issue(args: { updated: number; histories?: { at: number; author?: typeof PERSON; items: { field: string; fieldId?: string }[] }[]; comments?: { at: number; author: typeof PERSON }[] }): JiraIssue {
  return JiraIssue.parse({
    id: '10001',
    key: 'X-1',
    fields: {
      updated: at(args.updated),
      comment: { comments: (args.comments ?? []).map((c, i) => ({ id: String(i), author: c.author, body: null, created: at(c.at), updated: at(c.at) })) },
    },
    changelog: { histories: (args.histories ?? []).map((h, i) => ({ id: String(i), author: h.author, created: at(h.at), items: h.items })) },
  });
}

describe('when each field was changed', () => {
  const raw = issue({
    updated: 9_000,
    // Newest first, as Jira answers; read in any order.
    histories: [
      { at: 5_000, author: APP, items: [{ field: 'labels', fieldId: 'labels' }] },
      { at: 3_000, author: PERSON, items: [{ field: 'Customer', fieldId: 'customfield_10030' }] },
      { at: 1_000, author: PERSON, items: [{ field: 'summary', fieldId: 'summary' }] },
      { at: 2_000, author: PERSON, items: [{ field: 'summary', fieldId: 'summary' }, { field: 'Tier', fieldId: 'customfield_10031' }] },
    ],
    comments: [{ at: 9_000, author: PERSON }],
  });
  const times = editTimesOf(raw, new Map([['Customer', 'customfield_10030'], ['Tier', 'customfield_10031']]));

  it('takes a field\'s newest history entry, not the issue\'s later `updated` (a comment added since)', () => {
    expect(fieldEditedAt(times, 'summary', { summary: 'a' }, { summary: 'b' })).toBe(T0 + 2_000);
    expect(fieldEditedAt(times, 'labels', { labels: [] }, { labels: ['x'] })).toBe(T0 + 5_000);
  });

  it('dates custom fields by those that changed, found by id', () => {
    const before = { customFields: { Customer: { type: 'text' as const, value: 'a' }, Tier: { type: 'text' as const, value: 'gold' } } };
    const customerOnly = { customFields: { ...before.customFields, Customer: { type: 'text' as const, value: 'b' } } };
    expect(fieldEditedAt(times, 'customFields', before, customerOnly)).toBe(T0 + 3_000);
    const both = { customFields: { Customer: { type: 'text' as const, value: 'b' }, Tier: { type: 'text' as const, value: 'silver' } } };
    expect(fieldEditedAt(times, 'customFields', before, both)).toBe(T0 + 3_000);
  });

  it('falls back to the issue\'s `updated` where the history does not say (comments, an entry aged out)', () => {
    expect(fieldEditedAt(times, 'comments', null, { comments: [] })).toBe(T0 + 9_000);
    expect(fieldEditedAt(times, 'priority', { priority: null }, { priority: { name: 'High' } })).toBe(T0 + 9_000);
    const none = editTimesOf(JiraIssue.parse({ id: '1', key: 'X-1', fields: {} }), new Map());
    expect(fieldEditedAt(none, 'summary', null, { summary: 'a' })).toBeUndefined();
  });

  it('counts people\'s changes and comments as edits here, and an app\'s changes not', () => {
    expect(times.lastPersonEdit).toBe(T0 + 9_000);
    const appOnly = editTimesOf(issue({ updated: 5_000, histories: [{ at: 5_000, author: APP, items: [{ field: 'summary', fieldId: 'summary' }] }] }), new Map());
    expect(appOnly.lastPersonEdit).toBeUndefined();
  });
});

describe('an edit here not yet sent', () => {
  it('is a person\'s change newer than the last send read; any, for a twin that never sent', () => {
    expect(hasUnsentEdit({ editsReadUpTo: 100 }, { lastPersonEdit: 101 })).toBe(true);
    expect(hasUnsentEdit({ editsReadUpTo: 100 }, { lastPersonEdit: 100 })).toBe(false);
    expect(hasUnsentEdit({}, { lastPersonEdit: 1 })).toBe(true);
    // Only the app's changes (the partner's, applied here): nothing of this side's to send.
    expect(hasUnsentEdit({}, { lastPersonEdit: undefined })).toBe(false);
  });
});

describe('stamping a change', () => {
  it('uses when it was made, strictly later than any time known for the field', () => {
    expect(stampOf(5_000, 1_000, 2_000)).toBe(5_000);
    expect(stampOf(5_000, 5_000, undefined)).toBe(5_001);
    // Made after this side applied the partner's change stamped 7,000, on a clock behind the partner's.
    expect(stampOf(5_000, 1_000, 7_000)).toBe(7_001);
  });
});

/** What one side keeps when both changed a field: its own value, or the partner's. */
function keeps(own: number, partners: number, weAreInviter: boolean, heardBefore = 0): 'own' | 'partner' {
  const wins = partnerWins({ cause: 'event', changedAt: { summary: partners } }, { fieldTimes: { summary: own }, remoteFieldTimes: { summary: heardBefore } }, weAreInviter);
  return wins('summary') ? 'partner' : 'own';
}

describe('concurrent edits with the two sites\' clocks skewed', () => {
  const SKEW = 3_000;

  it('both sides keep the same edit whatever the skew, the later one when the edits are further apart than the skew', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: -SKEW, max: SKEW }),
        fc.integer({ min: -SKEW, max: SKEW }),
        fc.boolean(),
        (blueEdit, greenEdit, blueSkew, greenSkew, blueInvited) => {
          // Each side stamps its own edit with its own site's clock; neither has heard of the other's.
          const blue = stampOf(T0 + blueEdit + blueSkew, T0 - 60_000, undefined);
          const green = stampOf(T0 + greenEdit + greenSkew, T0 - 60_000, undefined);
          const onBlue = keeps(blue, green, blueInvited);
          const onGreen = keeps(green, blue, !blueInvited);
          // One value on both sides: blue keeps its own exactly when green takes blue's.
          expect(onBlue === 'own').toBe(onGreen === 'partner');
          if (Math.abs(blueEdit - greenEdit) > Math.abs(blueSkew - greenSkew)) {
            expect(onBlue === 'own').toBe(blueEdit > greenEdit);
          }
        },
      ),
    );
  });

  it('settles equal stamps the same way on both sides: the inviter\'s edit stays', () => {
    expect(keeps(T0, T0, true)).toBe('own');
    expect(keeps(T0, T0, false)).toBe('partner');
  });

  it('lets an edit made after the partner\'s change was applied win, although its site\'s clock is behind', () => {
    // Green changed the summary at 10,000 by its clock; blue applied it, then a person on blue changed it
    // again at 8,000 by blue's clock, two seconds behind.
    const green = T0 + 10_000;
    const blue = stampOf(T0 + 8_000, T0 - 60_000, green);
    expect(keeps(green, blue, false, T0 - 60_000)).toBe('partner');
    expect(keeps(blue, green, true, green)).toBe('own');
  });
});
