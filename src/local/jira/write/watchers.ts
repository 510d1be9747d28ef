// Watching issues. Jira records no history and fires no product event for
// it; search sees the change (JQL `watcher`).
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';

export function addWatcher(state: SiteState, issue: IssueRow, accountId: string): void {
  state.write((tx) => {
    if (state.stores.watchers.add(issue.id, accountId)) tx.touch(issue.id);
  });
}

export function removeWatcher(state: SiteState, issue: IssueRow, accountId: string): void {
  state.write((tx) => {
    if (state.stores.watchers.remove(issue.id, accountId)) tx.touch(issue.id);
  });
}
