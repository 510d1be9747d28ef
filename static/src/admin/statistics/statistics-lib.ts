import type { ConnectionStatistics, StatisticsBucket } from '../../schemas';

/** Every connection's counts added per bucket; connections of one answer share their bucket starts. */
export function sumBuckets(connections: ConnectionStatistics[]): Pick<StatisticsBucket, 'start' | 'out' | 'in' | 'errors'>[] {
  const byStart = new Map<number, { start: number; out: number; in: number; errors: number }>();
  for (const connection of connections) {
    for (const bucket of connection.buckets) {
      const sum = byStart.get(bucket.start) ?? { start: bucket.start, out: 0, in: 0, errors: 0 };
      sum.out += bucket.out;
      sum.in += bucket.in;
      sum.errors += bucket.errors;
      byStart.set(bucket.start, sum);
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14:00" for hour buckets, "Nov 23" for day buckets, in UTC like the server's buckets. */
export function bucketLabel(start: number, bucket: 'hour' | 'day'): string {
  const date = new Date(start);
  if (bucket === 'hour') return `${String(date.getUTCHours()).padStart(2, '0')}:00`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

/** A maximum for the axis that reads well: 1, 2 or 5 times a power of ten. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
