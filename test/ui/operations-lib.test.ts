import { describe, expect, it } from 'vitest';
import { bucketLabel, formatMs, niceMax, sumBuckets } from '../../static/src/admin/statistics/statistics-lib';
import { matchesId } from '../../static/src/admin/queue/queue-filter';
import { causeText, itemChangeText, outcomeText, valueText, valueTitle } from '../../static/src/issue/history-text';
import { describeRejection, scriptPlace } from '../../static/src/lib/rejection';
import type { ConnectionStatistics } from '../../static/src/schemas';

const latency = { count: 0, medianMs: null, p95Ms: null };
function stats(name: string, counts: [number, number, number][]): ConnectionStatistics {
  return {
    connectionId: name,
    name,
    bucket: 'day',
    totals: { out: 0, in: 0, errors: 0, latency },
    buckets: counts.map(([out, inn, errors], i) => ({ start: Date.UTC(2026, 10, 20 + i), out, in: inn, errors, latency })),
  };
}

describe('statistics', () => {
  it('adds every connection\'s counts per bucket, in time order', () => {
    const sum = sumBuckets([stats('a', [[1, 2, 0], [3, 0, 1]]), stats('b', [[10, 0, 0], [0, 5, 2]])]);
    expect(sum.map((b) => [b.out, b.in, b.errors])).toEqual([[11, 2, 0], [3, 5, 3]]);
    expect(sum[0]!.start).toBeLessThan(sum[1]!.start);
  });

  it('labels hour buckets by time and day buckets by date, in UTC', () => {
    expect(bucketLabel(Date.UTC(2026, 10, 23, 7), 'hour')).toBe('07:00');
    expect(bucketLabel(Date.UTC(2026, 10, 23, 7), 'day')).toBe('Nov 23');
  });

  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 12, 180, 501].map(niceMax)).toEqual([1, 1, 5, 10, 20, 200, 1000]);
  });

  it('writes latencies in ms or seconds, and a dash when nothing was measured', () => {
    expect([null, 0.4, 142, 1530, 12_400].map(formatMs)).toEqual(['–', '0 ms', '142 ms', '1.5 s', '12 s']);
  });
});

describe('sync queue filter', () => {
  const item = { id: 'out-7f3', issueKey: 'UD-12', remoteKey: 'SC-4' };
  it('matches the issue key, the remote key or the id, ignoring case', () => {
    expect(['', 'ud-12', 'SC-4', '7F3'].map((text) => matchesId(item, text))).toEqual([true, true, true, true]);
    expect(matchesId(item, 'UD-13')).toBe(false);
  });
});

describe('issue history words', () => {
  it('says what happened from this issue\'s side', () => {
    expect(outcomeText({ direction: 'in', outcome: 'created' }, 'UD-4')).toBe('Created from UD-4');
    expect(outcomeText({ direction: 'out', outcome: 'error' }, 'SC-1')).toBe('Failed to send to SC-1');
    expect(causeText('trigger')).toBe('a trigger matched');
    expect(causeText('something-new')).toBe('something-new');
  });

  it('reads field values at a glance: text quoted, people and options by name, rich text by its words', () => {
    expect(valueText(null)).toBe('empty');
    expect(valueText(['a', 'b'])).toBe('“a, b”');
    expect(valueText({ accountId: 'x', displayName: 'Ann Lee' })).toBe('“Ann Lee”');
    // People, statuses and types show by name, with the id on hover.
    expect(valueText({ label: 'Ann Lee', id: '712020:abc' })).toBe('“Ann Lee”');
    expect(valueTitle({ label: 'Ann Lee', id: '712020:abc' })).toBe('712020:abc');
    expect(valueTitle('plain')).toBeUndefined();
    // Comments and attachments come and go.
    expect(itemChangeText({ field: 'comment', from: null, to: '10042' })).toBe('comment added');
    expect(itemChangeText({ field: 'comment', from: '10042', to: '10042' })).toBe('comment edited');
    expect(itemChangeText({ field: 'attachment', from: null, to: 'notes.pdf' })).toBe('attachment “notes.pdf” added');
    expect(itemChangeText({ field: 'summary', from: 'a', to: 'b' })).toBeNull();
    const doc = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello' }] }] };
    expect(valueText(doc)).toBe('“Hello”');
    expect(valueText('x'.repeat(100))).toHaveLength(62);
  });
});

describe('script errors', () => {
  it('finds the script and line from the details, else from the message', () => {
    expect(scriptPlace({ script: 'incoming', line: 4 }, 'whatever')).toEqual({ script: 'incoming', line: 4 });
    expect(scriptPlace(undefined, 'The outgoing script does not compile: SyntaxError (line 28, column 19)')).toEqual({ script: 'outgoing', line: 28 });
    expect(scriptPlace(undefined, 'no place')).toEqual({});
  });

  it('carries the place on a ScriptError rejection', () => {
    const error = describeRejection('publishRules', { error: 'The incoming script does not compile: x (line 3, column 1)', kind: 'ScriptError', status: 400 });
    expect(error).toMatchObject({ kind: 'ScriptError', script: 'incoming', line: 3 });
  });
});
