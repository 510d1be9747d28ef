// Payloads of the Forge product events, in the shapes Forge documents for
// Jira events (https://developer.atlassian.com/platform/forge/events-reference/jira/):
// issue events carry `issue {id, key, fields}`, `atlassianId`, `associatedUsers`
// and, when updated, `changelog`; comment events the issue and the comment;
// attachment events only `attachment`; issue-link events only the link (its id,
// both issues' and projects' ids, its type), never an issue; worklog, component
// and version events their item. People appear as `{accountId}` only, as in
// Forge's examples. docs/forge-limits.md lists each event and what the app reads of it.
import type { ProductEvent } from '../../contracts';
import type { LinkTypeRecord } from '../catalog';
import { jiraTimestamp } from '../model/time';
import type { AttachmentRow } from '../store/attachments';
import type { ChangeItem } from '../store/changelogs';
import type { CommentRow } from '../store/comments';
import type { IssueRow } from '../store/issues';
import type { LinkRow } from '../store/links';
import type { WorklogRow } from '../store/worklogs';
import { formatDuration } from '../model/duration';
import type { IssueView } from '../views/issue';

const person = (accountId: string | null): { accountId: string } | null => (accountId === null ? null : { accountId });

export function eventIssue(view: IssueView, issue: IssueRow): Record<string, unknown> {
  return {
    id: String(issue.id),
    key: issue.key,
    fields: {
      summary: issue.summary,
      issuetype: view.systemField(issue, 'issuetype'),
      creator: person(issue.creator),
      created: jiraTimestamp(issue.created),
      project: view.systemField(issue, 'project'),
      reporter: person(issue.reporter),
      assignee: person(issue.assignee),
      updated: jiraTimestamp(issue.updated),
      status: view.systemField(issue, 'status'),
      priority: view.systemField(issue, 'priority'),
      labels: issue.labels,
    },
  };
}

function issueEvent(
  eventType: string,
  view: IssueView,
  issue: IssueRow,
  actor: string,
  extra: Record<string, unknown> = {},
): ProductEvent {
  return {
    eventType,
    actorAccountId: actor,
    payload: {
      eventType,
      issue: eventIssue(view, issue),
      atlassianId: actor,
      associatedUsers: [{ accountId: actor }],
      ...extra,
    },
  };
}

export const issueCreated = (view: IssueView, issue: IssueRow, actor: string): ProductEvent =>
  issueEvent('avi:jira:created:issue', view, issue, actor);

export const issueDeleted = (view: IssueView, issue: IssueRow, actor: string): ProductEvent =>
  issueEvent('avi:jira:deleted:issue', view, issue, actor);

export const issueUpdated = (
  view: IssueView,
  issue: IssueRow,
  actor: string,
  changelog: { id: number; items: ChangeItem[] },
): ProductEvent =>
  issueEvent('avi:jira:updated:issue', view, issue, actor, { changelog: { id: String(changelog.id), items: changelog.items } });

export const issueAssigned = (
  view: IssueView,
  issue: IssueRow,
  actor: string,
  changelog: { id: number; items: ChangeItem[] },
): ProductEvent =>
  issueEvent('avi:jira:assigned:issue', view, issue, actor, { changelog: { id: String(changelog.id), items: changelog.items } });

function eventComment(comment: CommentRow): Record<string, unknown> {
  return {
    id: String(comment.id),
    author: person(comment.author),
    body: comment.body,
    updateAuthor: person(comment.updateAuthor),
    created: jiraTimestamp(comment.created),
    updated: jiraTimestamp(comment.updated),
    jsdPublic: !comment.internal,
  };
}

/** Fired when a comment is added and when it is edited: Forge has no separate edit event. */
export function commented(view: IssueView, issue: IssueRow, comment: CommentRow, actor: string): ProductEvent {
  const eventType = 'avi:jira:commented:issue';
  return {
    eventType,
    actorAccountId: actor,
    payload: { eventType, issue: eventIssue(view, issue), comment: eventComment(comment), atlassianId: actor },
  };
}

export function commentDeleted(view: IssueView, issue: IssueRow, comment: CommentRow, actor: string): ProductEvent {
  const eventType = 'avi:jira:deleted:comment';
  return {
    eventType,
    actorAccountId: actor,
    payload: { eventType, issue: eventIssue(view, issue), comment: eventComment(comment), atlassianId: actor },
  };
}

/**
 * Forge documents only `attachment` in these payloads, not its fields: the attachment is given as apps
 * handling it on Forge read it (`id`, `issueId`, `fileName`, …), and no issue beside it.
 */
function attachmentEvent(eventType: string, issue: IssueRow, attachment: AttachmentRow, actor: string): ProductEvent {
  return {
    eventType,
    actorAccountId: actor,
    payload: {
      eventType,
      attachment: {
        id: String(attachment.id),
        issueId: String(issue.id),
        fileName: attachment.filename,
        mimeType: attachment.mimeType,
        size: attachment.size,
        created: jiraTimestamp(attachment.created),
        author: person(attachment.author),
      },
    },
  };
}

export const attachmentCreated = (issue: IssueRow, attachment: AttachmentRow, actor: string): ProductEvent =>
  attachmentEvent('avi:jira:created:attachment', issue, attachment, actor);

export const attachmentDeleted = (issue: IssueRow, attachment: AttachmentRow, actor: string): ProductEvent =>
  attachmentEvent('avi:jira:deleted:attachment', issue, attachment, actor);

/** The link alone, as Forge sends it: the app finds both issues from their ids. */
function linkEvent(eventType: string, link: LinkRow, type: LinkTypeRecord, ends: LinkEnds, actor: string): ProductEvent {
  return {
    eventType,
    actorAccountId: actor,
    payload: {
      eventType,
      id: String(link.id),
      sourceIssueId: String(link.sourceId),
      destinationIssueId: String(link.destinationId),
      sourceProjectId: ends.source.projectId,
      destinationProjectId: ends.destination.projectId,
      issueLinkType: {
        id: type.id,
        name: type.name,
        inwardName: type.inward,
        outwardName: type.outward,
        isSubTaskLinkType: false,
        isSystemLinkType: false,
      },
    },
  };
}

/** The two issues a link joins. */
export interface LinkEnds {
  source: Pick<IssueRow, 'projectId'>;
  destination: Pick<IssueRow, 'projectId'>;
}

export const issueLinkCreated = (link: LinkRow, type: LinkTypeRecord, ends: LinkEnds, actor: string): ProductEvent =>
  linkEvent('avi:jira:created:issuelink', link, type, ends, actor);

export const issueLinkDeleted = (link: LinkRow, type: LinkTypeRecord, ends: LinkEnds, actor: string): ProductEvent =>
  linkEvent('avi:jira:deleted:issuelink', link, type, ends, actor);

function worklogEvent(eventType: string, worklog: WorklogRow, actor: string): ProductEvent {
  return {
    eventType,
    actorAccountId: actor,
    payload: {
      eventType,
      atlassianId: actor,
      worklog: {
        id: String(worklog.id),
        issueId: String(worklog.issueId),
        author: person(worklog.author),
        updateAuthor: person(worklog.updateAuthor),
        ...(worklog.comment !== null ? { comment: worklog.comment } : {}),
        created: jiraTimestamp(worklog.created),
        updated: jiraTimestamp(worklog.updated),
        started: jiraTimestamp(worklog.started),
        timeSpent: formatDuration(worklog.timeSpent),
        timeSpentSeconds: worklog.timeSpent,
      },
    },
  };
}

export const worklogCreated = (worklog: WorklogRow, actor: string): ProductEvent => worklogEvent('avi:jira:created:worklog', worklog, actor);
export const worklogUpdated = (worklog: WorklogRow, actor: string): ProductEvent => worklogEvent('avi:jira:updated:worklog', worklog, actor);
export const worklogDeleted = (worklog: WorklogRow, actor: string): ProductEvent => worklogEvent('avi:jira:deleted:worklog', worklog, actor);

/** Components and versions travel in the shapes their REST resources have. */
export function projectItemEvent(eventType: string, key: 'component' | 'version', item: Record<string, unknown>, actor: string): ProductEvent {
  return { eventType, actorAccountId: actor, payload: { eventType, atlassianId: actor, [key]: item } };
}
