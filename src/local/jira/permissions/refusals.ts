// Jira Cloud's answers when the caller lacks a permission, in one place. The
// status codes follow the official contract's description of each operation
// (`reference/jira-platform-openapi.json`); the wording is Jira's own, as its
// services word these refusals.
import { fieldErrors, jiraError } from '../http/respond';
import { NOT_SETTABLE } from '../write/issue-input';

export const refusals = {
  /** `POST /issue`: the contract answers 403 when the caller may not create issues in the project. */
  createIssues: (): Response => jiraError(403, ['You do not have permission to create issues in this project.']),

  /**
   * `PUT /issue`, transitions and creates: a field the caller may not set is
   * not on their screen, so Jira answers 400 naming each field. A request that
   * names no field still needs the permission, so it gets Jira's sentence.
   */
  fields: (fields: string[]): Response =>
    fields.length > 0
      ? fieldErrors(Object.fromEntries(fields.map((field) => [field, NOT_SETTABLE(field)])))
      : jiraError(400, ['You do not have permission to edit issues in this project.']),

  /** Issue properties (403 on set, 404 on delete) and remote links (403) that need Edit Issues. */
  editIssues: (status: 403 | 404): Response => jiraError(status, ['You do not have permission to edit issues in this project.']),

  deleteIssues: (): Response => jiraError(403, ['You do not have permission to delete issues in this project.']),

  /** Comments answer 400 for refusals, addressing the person by name. */
  addComment: (displayName: string): Response =>
    jiraError(400, [`${displayName}, you do not have the permission to comment on this issue.`]),
  editComment: (displayName: string): Response =>
    jiraError(400, [`${displayName}, you do not have the permission to edit this comment.`]),
  deleteComment: (commentId: string): Response =>
    jiraError(400, [`You do not have permission to delete comment with id: ${commentId}`]),

  createAttachments: (): Response => jiraError(403, ['You do not have permission to create attachments for this issue.']),
  /** Attachment look-ups answer 403 (their contract keeps 404 for attachments that do not exist). */
  viewAttachment: (attachmentId: string): Response =>
    jiraError(403, [`You do not have permission to view attachment with id: ${attachmentId}`]),
  deleteAttachment: (attachmentId: string): Response =>
    jiraError(403, [`You do not have permission to delete attachment with id: ${attachmentId}`]),

  /** `POST /issueLink`: the contract answers 404 when Link Issues is missing on an issue. */
  linkIssue: (issueKey: string): Response => jiraError(404, [`No Link Issue Permission for issue '${issueKey}'`]),
  /** Remote links answer 403 without Link Issues. */
  linkIssues: (): Response => jiraError(403, ['You do not have permission to link issues in this project.']),
};
