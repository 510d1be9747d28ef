// Durations as Jira's time tracking writes and reads them ("1w 2d 3h 20m"),
// with Jira's default working time: 8 hours a day, 5 days a week. A bare
// number is minutes, Jira's default unit.

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 8 * HOUR;
const WEEK = 5 * DAY;

const UNITS: Record<string, number> = { w: WEEK, d: DAY, h: HOUR, m: MINUTE };
const PART = /^(\d+(?:\.\d+)?)([wdhm])$/i;

/** Seconds of a duration such as `3h 20m`, `1.5h`, `2d` or `90`; undefined when Jira would refuse it. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * MINUTE;
  let total = 0;
  for (const part of trimmed.split(/\s+/)) {
    const m = PART.exec(part);
    if (!m) return undefined;
    total += Number(m[1]) * (UNITS[m[2]!.toLowerCase()] ?? 0);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** `12000` → `3h 20m`; whole minutes, as Jira shows logged time. */
export function formatDuration(seconds: number): string {
  let rest = Math.floor(seconds / MINUTE) * MINUTE;
  if (rest === 0) return '0m';
  const parts: string[] = [];
  for (const [unit, size] of Object.entries(UNITS)) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join(' ');
}
