import { describe, expect, it } from 'vitest';
import { partnerWins, scriptSetWins, takesInitialSync, withoutOlderEdits } from '../../../src/sync/incoming/concurrency';

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

describe('values the script derived rather than copied', () => {
  const replica = { summary: 'theirs', labels: ['x'], priority: { name: 'High' }, customFields: { Customer: { type: 'text' as const, value: 'Acme' } } };

  it('writes a derived value although the partner did not change that field, unless this side changed it since the partner\'s change', () => {
    const carriedUnchanged = partnerWins({ cause: 'event', changedAt: { summary: 100, labels: 100, priority: 300, customFields: 100 } }, twin, false);
    const derivedWins = scriptSetWins({ cause: 'event', changedAt: { summary: 100, labels: 100, priority: 300, customFields: 100 } }, twin);
    // Labels computed from the priority: the partner changed its priority (at 300), not its labels.
    const desired = { summary: 'theirs', labels: ['hot'], customFields: { Customer: { type: 'text' as const, value: 'Acme' }, Tier: { type: 'text' as const, value: 'gold' } } };
    expect(withoutOlderEdits(desired, carriedUnchanged, { replica, wins: derivedWins })).toEqual({ labels: ['hot'], customFields: { Tier: desired.customFields.Tier } });
    // This side changed labels at 400, after the partner's change at 300: its own value stays.
    const later = scriptSetWins({ cause: 'event', changedAt: { priority: 300 } }, { fieldTimes: { labels: 400 }, remoteFieldTimes: {} });
    expect(withoutOlderEdits({ labels: ['hot'] }, () => false, { replica, wins: later })).toEqual({});
  });

  it('judges a copied value by the per-field rule alone, so concurrent edits still converge', () => {
    const derivedWins = scriptSetWins({ cause: 'event', changedAt: { summary: 300, labels: 100 } }, twin);
    expect(withoutOlderEdits({ labels: ['x'], priority: { name: 'High' } }, () => false, { replica, wins: derivedWins })).toEqual({});
  });
});

describe("a Connect's initial sync", () => {
  it('is taken whole only by a twin that expects it, and only from a flagged replica', () => {
    expect(takesInitialSync({ initialSync: true }, { initialSync: 'expect' })).toBe(true);
    // A twin that expects nothing (its initial sync done, or none chosen) reads the flag as nothing.
    expect(takesInitialSync({ initialSync: true }, {})).toBe(false);
    // The winner's own twin does not take from the loser.
    expect(takesInitialSync({ initialSync: true }, { initialSync: 'send' })).toBe(false);
    expect(takesInitialSync({}, { initialSync: 'expect' })).toBe(false);
  });
});
