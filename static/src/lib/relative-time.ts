// "46 minutes ago", as Jira writes it. `now` is passed in so tests pin time.

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** Epoch ms or an ISO date; NaN when it can't be read. */
export function toEpochMs(at: number | string): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

export function timeAgo(at: number | string, now: number): string {
  const then = toEpochMs(at);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return seconds < -45 ? 'in the future' : 'just now';
  for (const [unit, size] of units) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return format.format(-1, 'minute');
}

/** The Connections table's "Issue TEST-777 · 46 minutes ago". */
export function describeLastSync(lastSync: { issueKey: string; at: number | string } | null, now: number): string {
  if (!lastSync) return 'Never';
  return `Issue ${lastSync.issueKey} · ${timeAgo(lastSync.at, now)}`;
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** A moment in the reader's own time zone, e.g. "Nov 24, 2026, 10:00 AM". */
export function formatDateTime(at: number | string): string {
  const ms = toEpochMs(at);
  return Number.isNaN(ms) ? 'an unknown time' : dateTime.format(ms);
}
