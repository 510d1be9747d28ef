// Time tracking fields of an issue, derived as Jira derives them: time spent
// is the sum of its worklogs, the remaining estimate is kept on the issue,
// and the Σ fields add up the issue and its sub-tasks. Empty is null, not 0.
import { formatDuration } from '../model/duration';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';

export interface IssueTimes {
  timespent: number | null;
  timeoriginalestimate: number | null;
  timeestimate: number | null;
  aggregatetimespent: number | null;
  aggregatetimeoriginalestimate: number | null;
  aggregatetimeestimate: number | null;
}

const sum = (values: (number | null)[]): number | null =>
  values.every((v) => v === null) ? null : values.reduce<number>((total, v) => total + (v ?? 0), 0);

export function issueTimes(stores: Stores, issue: IssueRow): IssueTimes {
  const spent = stores.worklogs.timeSpent(issue.id);
  const children = stores.issues.children(issue.id);
  const childSpent = children.map((c) => stores.worklogs.timeSpent(c.id));
  return {
    timespent: spent,
    timeoriginalestimate: issue.originalEstimate,
    timeestimate: issue.remainingEstimate,
    aggregatetimespent: sum([spent, ...childSpent]),
    aggregatetimeoriginalestimate: sum([issue.originalEstimate, ...children.map((c) => c.originalEstimate)]),
    aggregatetimeestimate: sum([issue.remainingEstimate, ...children.map((c) => c.remainingEstimate)]),
  };
}

/** `TimeTrackingDetails`: only what is set, as Jira answers `{}` for an issue with no time tracking. */
export function timeTracking(times: IssueTimes): Record<string, unknown> {
  const entry = (name: string, seconds: number | null): Record<string, unknown> =>
    seconds === null ? {} : { [name]: formatDuration(seconds), [`${name}Seconds`]: seconds };
  return {
    ...entry('originalEstimate', times.timeoriginalestimate),
    ...entry('remainingEstimate', times.timeestimate),
    ...entry('timeSpent', times.timespent),
  };
}

/** `progress`: time spent out of time spent plus time remaining. */
export function progress(spent: number | null, remaining: number | null): Record<string, unknown> {
  const done = spent ?? 0;
  const total = done + (remaining ?? 0);
  return total > 0 ? { progress: done, total, percent: Math.floor((done * 100) / total) } : { progress: 0, total: 0 };
}

/** Time spent as a share of the original estimate; -1 when there is no estimate. */
export function workRatio(spent: number | null, original: number | null): number {
  return original === null || original === 0 ? -1 : Math.floor(((spent ?? 0) * 100) / original);
}
