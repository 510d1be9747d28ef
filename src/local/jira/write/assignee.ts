// Assigning an issue through `PUT /issue/{key}/assignee`: like an edit of the
// assignee, with its history and the updated and assigned events.
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import { recordChange } from './issues';

export function assignIssue(state: SiteState, issue: IssueRow, assignee: string | null, actor: string): IssueRow {
  return state.write((tx) => recordChange(state, tx, issue, { ...issue, assignee }, actor));
}
