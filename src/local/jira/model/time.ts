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
