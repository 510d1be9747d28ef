// Logging work: add, edit and delete worklogs. Each change keeps the issue's
// remaining estimate as `adjustEstimate` asks, writes the history Jira writes
// (time spent, the estimate, the worklog id) and fires the worklog event,
// then `avi:jira:updated:issue`.
import { issueUpdated, worklogCreated, worklogDeleted, worklogUpdated } from '../events/payloads';
import type { SiteState, WriteTx } from '../state';
import type { ChangeItem } from '../store/changelogs';
import type { IssueRow } from '../store/issues';
import type { WorklogRow } from '../store/worklogs';
import { appendChangelog } from './changelog';
import type { WorklogInput } from './worklog-input';

/** What happens to the remaining estimate: Jira's `adjustEstimate` with its amount. */
export type EstimateAdjustment =
  | { mode: 'auto' }
  | { mode: 'leave' }
  | { mode: 'new'; seconds: number }
  | { mode: 'manual'; seconds: number };

/** The remaining estimate after work changed by `delta` seconds (negative when work was removed). */
function adjusted(remaining: number | null, delta: number, adjust: EstimateAdjustment): number | null {
  switch (adjust.mode) {
    case 'leave':
      return remaining;
    case 'new':
      return adjust.seconds;
    case 'manual':
      // `reduceBy` on add, `increaseBy` on delete: the route passes it signed.
      return Math.max(0, (remaining ?? 0) - adjust.seconds);
    case 'auto':
      return remaining === null ? null : Math.max(0, remaining - delta);
  }
}

export function addWorklog(state: SiteState, issue: IssueRow, input: WorklogInput, actor: string, adjust: EstimateAdjustment): WorklogRow {
  return state.write((tx) => insertWorklog(state, tx, issue, input, actor, adjust));
}

/** Inside a change already under way (a create or edit with `update.worklog`). */
export function insertWorklog(
  state: SiteState,
  tx: WriteTx,
  issue: IssueRow,
  input: WorklogInput,
  actor: string,
  adjust: EstimateAdjustment,
): WorklogRow {
  const before = state.stores.worklogs.timeSpent(issue.id);
  const row: WorklogRow = {
    id: state.stores.sequences.take('worklog'),
    issueId: issue.id,
    author: actor,
    updateAuthor: actor,
    comment: input.comment ?? null,
    started: input.started ?? tx.now,
    timeSpent: input.timeSpent ?? 0,
    created: tx.now,
    updated: tx.now,
    visibility: input.visibility ?? null,
    properties: [],
  };
  state.stores.worklogs.insert(row);
  const remaining = adjusted(issue.remainingEstimate, row.timeSpent, adjust);
  tx.emit(worklogCreated(row, actor));
  recordWork(state, tx, issue, before, remaining, actor, [worklogItem(null, String(row.id))]);
  return row;
}

export function updateWorklog(
  state: SiteState,
  issue: IssueRow,
  worklog: WorklogRow,
  input: WorklogInput,
  actor: string,
  adjust: EstimateAdjustment,
): WorklogRow {
  return state.write((tx) => {
    const before = state.stores.worklogs.timeSpent(issue.id);
    const updated: WorklogRow = {
      ...worklog,
      updateAuthor: actor,
      updated: tx.now,
      ...(input.timeSpent !== undefined ? { timeSpent: input.timeSpent } : {}),
      ...(input.started !== undefined ? { started: input.started } : {}),
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
    };
    state.stores.worklogs.update(updated);
    const remaining = adjusted(issue.remainingEstimate, updated.timeSpent - worklog.timeSpent, adjust);
    tx.emit(worklogUpdated(updated, actor));
    recordWork(state, tx, issue, before, remaining, actor, []);
    return updated;
  });
}

export function deleteWorklog(state: SiteState, issue: IssueRow, worklog: WorklogRow, actor: string, adjust: EstimateAdjustment): void {
  state.write((tx) => {
    const before = state.stores.worklogs.timeSpent(issue.id);
    state.stores.worklogs.delete(worklog.id);
    // Deleting gives the time back to the estimate: a manual amount is `increaseBy`.
    const back: EstimateAdjustment = adjust.mode === 'manual' ? { mode: 'manual', seconds: -adjust.seconds } : adjust;
    const remaining = adjusted(issue.remainingEstimate, -worklog.timeSpent, back);
    tx.emit(worklogDeleted(worklog, actor));
    recordWork(state, tx, issue, before, remaining, actor, [worklogItem(String(worklog.id), null)]);
  });
}

const worklogItem = (from: string | null, to: string | null): ChangeItem => ({
  field: 'WorklogId', fieldId: 'worklogId', fieldtype: 'jira', from, fromString: from, to, toString: to,
});

/** The issue's side of a worklog change: its estimate, `updated`, history and event. */
function recordWork(
  state: SiteState,
  tx: WriteTx,
  issue: IssueRow,
  spentBefore: number | null,
  remaining: number | null,
  actor: string,
  extra: ChangeItem[],
): void {
  const current = state.stores.issues.byId(issue.id) ?? issue;
  const spentAfter = state.stores.worklogs.timeSpent(issue.id);
  const touched: IssueRow = { ...current, remainingEstimate: remaining, updated: tx.now };
  state.stores.issues.update(touched);
  const text = (seconds: number | null): string | null => (seconds === null ? null : String(seconds));
  const items: ChangeItem[] = [];
  if (spentBefore !== spentAfter) {
    items.push({ field: 'timespent', fieldId: 'timespent', fieldtype: 'jira', from: text(spentBefore), fromString: text(spentBefore),
      to: text(spentAfter), toString: text(spentAfter) });
  }
  if (current.remainingEstimate !== remaining) {
    items.push({ field: 'timeestimate', fieldId: 'timeestimate', fieldtype: 'jira', from: text(current.remainingEstimate),
      fromString: text(current.remainingEstimate), to: text(remaining), toString: text(remaining) });
  }
  items.push(...extra);
  tx.touch(issue.id);
  if (items.length === 0) return;
  const changelog = appendChangelog(state, tx, touched, items, actor);
  tx.emit(issueUpdated(state.view, touched, actor, changelog));
}
