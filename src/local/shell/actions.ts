import { adfToText, textToAdf } from './adf';
import type { ShellContext } from './context';
import {
  AttachmentDeleteFormSchema,
  CommentFormSchema,
  CreateIssueFormSchema,
  EditIssueFormSchema,
  TransitionFormSchema,
  createIssueFields,
  editIssueFields,
  normaliseText,
  parseForm,
  readForm,
} from './forms';
import { seeOther } from './html';
import type { JiraResult } from './jira-client';
import { failurePage } from './layout';
import { issueListPage } from './pages/issue-list';
import { issueViewPage } from './pages/issue-view';

// What the shell's forms do. Each posts to Jira's REST API as the acting
// person; success redirects to a page, failure shows that page again with
// Jira's messages.

const issuePath = (ctx: ShellContext, key: string) => `${ctx.base}/browse/${encodeURIComponent(key)}`;

/** Back to the issue on success, else the issue page with what went wrong. */
async function thenIssue(ctx: ShellContext, key: string, result: JiraResult<unknown>, anchor = ''): Promise<Response> {
  if (result.ok) return seeOther(`${issuePath(ctx, key)}${anchor}`);
  return issueViewPage(ctx, key, { status: result.status, messages: result.messages });
}

const invalid = (messages: string[]): JiraResult<never> => ({ ok: false, status: 400, messages });

export async function createIssue(ctx: ShellContext): Promise<Response> {
  const { values } = await readForm(ctx.request);
  const form = parseForm(CreateIssueFormSchema, values);
  if (!form.ok) return issueListPage(ctx, null, { values, messages: form.messages });
  const created = await ctx.jira.createIssue(createIssueFields(form.value));
  if (created.ok) return seeOther(issuePath(ctx, created.value.key));
  return issueListPage(ctx, form.value.project, { values, messages: created.messages });
}

export async function editIssue(ctx: ShellContext, key: string): Promise<Response> {
  const { values } = await readForm(ctx.request);
  const form = parseForm(EditIssueFormSchema, values);
  if (!form.ok) return thenIssue(ctx, key, invalid(form.messages));
  const current = await ctx.jira.getIssue(key);
  if (!current.ok) return thenIssue(ctx, key, current);
  const fields = editIssueFields(form.value, current.value);
  if (Object.keys(fields).length === 0) return seeOther(issuePath(ctx, key));
  return thenIssue(ctx, key, await ctx.jira.editIssue(key, fields));
}

export async function transitionIssue(ctx: ShellContext, key: string): Promise<Response> {
  const form = parseForm(TransitionFormSchema, (await readForm(ctx.request)).values);
  if (!form.ok) return thenIssue(ctx, key, invalid(form.messages));
  return thenIssue(ctx, key, await ctx.jira.transition(key, form.value.transitionId));
}

export async function addComment(ctx: ShellContext, key: string): Promise<Response> {
  const form = parseForm(CommentFormSchema, (await readForm(ctx.request)).values);
  if (!form.ok) return thenIssue(ctx, key, invalid(form.messages));
  const added = await ctx.jira.addComment(key, textToAdf(form.value.body));
  return thenIssue(ctx, key, added, added.ok ? `#comment-${added.value.id}` : '');
}

export async function editComment(ctx: ShellContext, key: string, commentId: string): Promise<Response> {
  const form = parseForm(CommentFormSchema, (await readForm(ctx.request)).values);
  if (!form.ok) return thenIssue(ctx, key, invalid(form.messages));
  const current = await ctx.jira.getComment(key, commentId);
  if (!current.ok) return thenIssue(ctx, key, current);
  // Saving unchanged text would flatten a synced comment's formatting for nothing.
  if (normaliseText(form.value.body) === normaliseText(adfToText(current.value.body))) {
    return seeOther(`${issuePath(ctx, key)}#comment-${commentId}`);
  }
  return thenIssue(ctx, key, await ctx.jira.updateComment(key, commentId, textToAdf(form.value.body)), `#comment-${commentId}`);
}

export async function deleteComment(ctx: ShellContext, key: string, commentId: string): Promise<Response> {
  await readForm(ctx.request);
  return thenIssue(ctx, key, await ctx.jira.deleteComment(key, commentId));
}

export async function uploadAttachment(ctx: ShellContext, key: string): Promise<Response> {
  const { data } = await readForm(ctx.request);
  const file = data?.get('file');
  if (!(file instanceof File) || file.name === '') return thenIssue(ctx, key, invalid(['Choose a file to attach.']));
  return thenIssue(ctx, key, await ctx.jira.addAttachment(key, file));
}

export async function deleteAttachment(ctx: ShellContext, attachmentId: string): Promise<Response> {
  const form = parseForm(AttachmentDeleteFormSchema, (await readForm(ctx.request)).values);
  const removed = await ctx.jira.deleteAttachment(attachmentId);
  if (form.ok) return thenIssue(ctx, form.value.issueKey, removed);
  return removed.ok ? seeOther(`${ctx.base}/`) : failurePage(ctx, removed.status, 'Attachment', removed.messages);
}
