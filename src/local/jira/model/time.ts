// Jira Cloud writes timestamps as `2026-11-23T12:34:56.789+0000`: ISO 8601
// with milliseconds and an offset without a colon. The emulated sites run on UTC.

export function jiraTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date in `YYYY-MM-DD` form. */
export function isJiraDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// What Jira's REST API takes for a date-time (custom fields, worklog starts):
// `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, the offset without a colon. An offset with a
// colon is the classic client mistake Jira refuses, so it is refused here too.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?([+-])(\d{2})(\d{2})$/;

/** Epoch milliseconds of a Jira date-time, or undefined when Jira would not parse it. */
export function parseJiraDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, sign, oh, om] = m;
  if (!isJiraDate(`${y}-${mo}-${d}`) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  if (Number(oh) > 14 || Number(om) > 59) return undefined;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  return utc - offset;
}
