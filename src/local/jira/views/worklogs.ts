// Worklogs as Jira REST v3 shows them (`Worklog`).
import { formatDuration } from '../model/duration';
import { jiraTimestamp } from '../model/time';
import type { WorklogRow } from '../store/worklogs';
import { api, type ViewContext } from './context';
import { userDetails } from './users';

export function worklogJson(ctx: ViewContext, w: WorklogRow, withProperties = false): Record<string, unknown> {
  return {
    self: api(ctx, `/issue/${w.issueId}/worklog/${w.id}`),
    author: userDetails(ctx, w.author),
    updateAuthor: userDetails(ctx, w.updateAuthor),
    ...(w.comment !== null ? { comment: w.comment } : {}),
    created: jiraTimestamp(w.created),
    updated: jiraTimestamp(w.updated),
    ...(w.visibility !== null ? { visibility: w.visibility } : {}),
    started: jiraTimestamp(w.started),
    timeSpent: formatDuration(w.timeSpent),
    timeSpentSeconds: w.timeSpent,
    id: String(w.id),
    issueId: String(w.issueId),
    ...(withProperties ? { properties: w.properties } : {}),
  };
}
