// Appends one history entry (a changelog with its items) to an issue.
import type { SiteState, WriteTx } from '../state';
import type { ChangeItem } from '../store/changelogs';
import type { IssueRow } from '../store/issues';

export function appendChangelog(
  state: SiteState,
  tx: WriteTx,
  issue: IssueRow,
  items: ChangeItem[],
  actor: string,
): { id: number; items: ChangeItem[] } {
  const id = state.stores.sequences.take('changelog');
  state.stores.changelogs.insert({ id, issueId: issue.id, author: actor, created: tx.now, items });
  return { id, items };
}
