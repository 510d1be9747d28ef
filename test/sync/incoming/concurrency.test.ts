import { describe, expect, it } from 'vitest';
import { partnerWins, withoutOlderEdits } from '../../../src/sync/incoming/concurrency';

// Concurrent edits: a replica writes a field here only when the partner changed
// it since the last replica applied here, and later than this side did.

const twin = { fieldTimes: { summary: 200, customFields: 200 }, remoteFieldTimes: { summary: 100, labels: 100, customFields: 100 } };

describe('which fields the partner wins', () => {
  it('takes a field the partner changed after this side did, and not one it carried unchanged', () => {
    const wins = partnerWins({ cause: 'event', changedAt: { summary: 300, labels: 100 } }, twin, false);
    expect(wins('summary')).toBe(true);
    expect(wins('labels')).toBe(false);
  });

  it('keeps this side\'s change when it is the later one, and settles a tie for the inviter', () => {
    expect(partnerWins({ cause: 'event', changedAt: { summary: 150 } }, twin, false)('summary')).toBe(false);
    expect(partnerWins({ cause: 'event', changedAt: { summary: 200 } }, twin, false)('summary')).toBe(true);
    expect(partnerWins({ cause: 'event', changedAt: { summary: 200 } }, twin, true)('summary')).toBe(false);
  });

  it('lets a manual sync, a retry, a Connect or a replica without times carry every field it is later for', () => {
    for (const cause of ['manual', 'retry', 'connect'] as const) expect(partnerWins({ cause, changedAt: { labels: 100 } }, twin, false)('labels')).toBe(true);
    expect(partnerWins({ cause: 'event' }, { fieldTimes: {}, remoteFieldTimes: {} }, false)('summary')).toBe(true);
  });

  it('drops the desired fields the partner does not win, custom fields judged like any other', () => {
    const desired = { summary: 'theirs', labels: ['x'], customFields: { Customer: { type: 'text' as const, value: 'theirs' } } };
    const carriedUnchanged = partnerWins({ cause: 'event', changedAt: { summary: 300, labels: 100, customFields: 100 } }, twin, false);
    expect(withoutOlderEdits(desired, carriedUnchanged)).toEqual({ summary: 'theirs' });
    const changedThere = partnerWins({ cause: 'event', changedAt: { summary: 300, labels: 100, customFields: 300 } }, twin, false);
    expect(withoutOlderEdits(desired, changedThere)).toEqual({ summary: 'theirs', customFields: desired.customFields });
  });
});
