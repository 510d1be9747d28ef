import { adfToHtml, adfToText } from '../adf';
import { appPageHref, type ShellContext } from '../context';
import { avatar, formatDate, formatSize, labelList, personName, statusLozenge } from '../format';
import { html, type Markup } from '../html';
import type { Attachment, Comment, Held, Issue, Transition } from '../jira-client';
import { errorList, failurePage, page } from '../layout';
import { fieldInputs, loadFieldChoices, type FieldChoices } from './field-inputs';

// One issue as Jira shows it: fields, transitions, comments, attachments and
// the app's issue panel, each action a plain form that posts and redirects back.
// Like Jira, it offers only the actions the acting person may take there (it
// asks `/mypermissions` for the issue); Jira still judges each request.

const ISSUE_ACTIONS = [
  'EDIT_ISSUES', 'ADD_COMMENTS', 'EDIT_OWN_COMMENTS', 'EDIT_ALL_COMMENTS', 'DELETE_OWN_COMMENTS', 'DELETE_ALL_COMMENTS',
  'CREATE_ATTACHMENTS', 'DELETE_OWN_ATTACHMENTS', 'DELETE_ALL_ATTACHMENTS',
] as const;
type IssueActions = Held<(typeof ISSUE_ACTIONS)[number]>;

/** What one person may do to one comment or attachment: all of them, or their own. */
function mayTouch(all: boolean, own: boolean, author: string | undefined, actor: string): boolean {
  return all || (own && author === actor);
}

export interface IssueViewState {
  status: number;
  messages: string[];
}

export async function issueViewPage(ctx: ShellContext, key: string, state?: IssueViewState): Promise<Response> {
  const found = await ctx.jira.getIssue(key);
  if (!found.ok) return failurePage(ctx, found.status, key, found.messages);
  const issue = found.value;
  const projectKey = issue.fields.project?.key ?? issue.key.replace(/-\d+$/, '');
  const [transitions, comments, held] = await Promise.all([
    ctx.jira.transitions(issue.key),
    ctx.jira.comments(issue.key),
    ctx.jira.myPermissions(ISSUE_ACTIONS, { issueKey: issue.key }),
  ]);
  // When Jira cannot say, nothing is offered: better no button than one that is refused.
  const can: IssueActions = held.ok ? held.value : (Object.fromEntries(ISSUE_ACTIONS.map((k) => [k, false])) as IssueActions);
  const choices = can.EDIT_ISSUES ? await loadFieldChoices(ctx, projectKey) : null;
  const problems = [
    ...(transitions.ok ? [] : transitions.messages),
    ...(comments.ok ? [] : comments.messages),
    ...(held.ok ? [] : held.messages),
    ...(choices?.problems ?? []),
  ];
  const issuePath = `${ctx.base}/browse/${encodeURIComponent(issue.key)}`;
  const f = issue.fields;

  const body = html`<div class="breadcrumbs"><a href="${ctx.base}/">Projects</a> / <a href="${ctx.base}/projects/${encodeURIComponent(projectKey)}">${f.project?.name ?? projectKey}</a> / <a href="${issuePath}">${issue.key}</a></div>
<h1>${f.summary ?? ''}</h1>
${errorList([...(state?.messages ?? []), ...problems])}
${transitionButtons(issuePath, transitions.ok ? transitions.value : [])}
<div class="columns">
<div class="main-col">
<h2>Description</h2>
<div class="description">${f.description ? adfToHtml(f.description) : html`<p class="muted">No description.</p>`}</div>
<h2>Exalate</h2>
<iframe class="app-panel" title="Exalate issue panel" src="${appPageHref(ctx, 'exalate-issue-panel', { issueKey: issue.key })}"></iframe>
${attachmentSection(ctx, issue, issuePath, can)}
${commentSection(ctx, issuePath, comments.ok ? comments.value : [], can)}
</div>
<div class="side-col">
<div class="fields"><dl>
<dt>Type</dt><dd>${f.issuetype?.name ?? ''}</dd>
<dt>Status</dt><dd>${statusLozenge(f.status)}</dd>
<dt>Priority</dt><dd>${f.priority?.name ?? html`<span class="muted">None</span>`}</dd>
<dt>Labels</dt><dd>${labelList(f.labels)}</dd>
<dt>Assignee</dt><dd>${personName(f.assignee)}</dd>
<dt>Reporter</dt><dd>${f.reporter ? personName(f.reporter) : html`<span class="muted">None</span>`}</dd>
<dt>Created</dt><dd>${formatDate(f.created)}</dd>
<dt>Updated</dt><dd>${formatDate(f.updated)}</dd>
</dl></div>
${choices ? editForm(issuePath, issue, choices, Boolean(state)) : html`<p class="muted">You can view this issue but not edit it.</p>`}
</div>
</div>`;
  return page(ctx, {
    title: `[${issue.key}] ${f.summary ?? ''}`,
    project: { key: projectKey, name: f.project?.name ?? projectKey },
    body,
    status: state?.status,
  });
}

function editForm(issuePath: string, issue: Issue, choices: FieldChoices, open: boolean): Markup {
  const f = issue.fields;
  return html`<details class="card"${open ? html` open` : ''}>
<summary>Edit issue</summary>
<form class="stack" method="post" action="${issuePath}/edit">
${fieldInputs(
  choices,
  {
    issuetype: f.issuetype?.id ?? '',
    summary: f.summary ?? '',
    description: adfToText(f.description),
    priority: f.priority?.id ?? '',
    labels: (f.labels ?? []).join(' '),
    assignee: f.assignee?.accountId ?? '',
  },
  'edit',
)}
<p><button type="submit" class="primary">Save</button></p>
</form>
</details>`;
}

function transitionButtons(issuePath: string, transitions: Transition[]): Markup {
  if (transitions.length === 0) return html``;
  return html`<div class="transitions">${transitions.map(
    (t) => html`<form method="post" action="${issuePath}/transition"><input type="hidden" name="transitionId" value="${t.id}"><button type="submit" title="${t.to ? `→ ${t.to.name}` : t.name}">${t.name}</button></form>`,
  )}</div>`;
}

function attachmentSection(ctx: ShellContext, issue: Issue, issuePath: string, can: IssueActions): Markup {
  const attachments: Attachment[] = issue.fields.attachment ?? [];
  const mayDelete = (a: Attachment) =>
    mayTouch(can.DELETE_ALL_ATTACHMENTS, can.DELETE_OWN_ATTACHMENTS, a.author?.accountId, ctx.actor.accountId);
  return html`<h2>Attachments</h2>
${attachments.length === 0
  ? html`<p class="muted">No attachments.</p>`
  : html`<table class="list"><thead><tr><th>File</th><th>Size</th><th>Added by</th><th>Added</th><th></th></tr></thead><tbody>
${attachments.map(
  (a) => html`<tr>
<td><a href="${ctx.base}/attachments/${encodeURIComponent(a.id)}">${a.filename}</a></td>
<td>${formatSize(a.size)}</td>
<td>${a.author ? personName(a.author) : ''}</td>
<td>${formatDate(a.created)}</td>
<td>${mayDelete(a) ? html`<form class="inline" method="post" action="${ctx.base}/attachments/${encodeURIComponent(a.id)}/delete"><input type="hidden" name="issueKey" value="${issue.key}"><button type="submit" class="danger">Delete</button></form>` : ''}</td>
</tr>`,
)}
</tbody></table>`}
${can.CREATE_ATTACHMENTS
  ? html`<form method="post" action="${issuePath}/attachments" enctype="multipart/form-data">
<input type="file" name="file" required aria-label="File to attach">
<button type="submit">Attach</button>
</form>`
  : ''}`;
}

function commentSection(ctx: ShellContext, issuePath: string, comments: Comment[], can: IssueActions): Markup {
  const actor = ctx.actor.accountId;
  return html`<h2>Comments</h2>
${can.ADD_COMMENTS
  ? html`<form class="stack" method="post" action="${issuePath}/comments">
<textarea name="body" aria-label="Add a comment" placeholder="Add a comment…" rows="3"></textarea>
<p><button type="submit" class="primary">Save comment</button></p>
</form>`
  : ''}
${comments.length === 0 ? html`<p class="muted">No comments yet.</p>` : ''}
${comments.map((c) => {
  const commentPath = `${issuePath}/comments/${encodeURIComponent(c.id)}`;
  const edited = c.updated && c.created && c.updated !== c.created;
  const mayEdit = mayTouch(can.EDIT_ALL_COMMENTS, can.EDIT_OWN_COMMENTS, c.author?.accountId, actor);
  const mayDelete = mayTouch(can.DELETE_ALL_COMMENTS, can.DELETE_OWN_COMMENTS, c.author?.accountId, actor);
  return html`<div class="comment" id="comment-${c.id}">
${avatar(c.author)}
<div class="body">
<strong>${personName(c.author)}</strong> <span class="muted">${formatDate(c.created)}${edited ? ' (edited)' : ''}</span>
<div>${adfToHtml(c.body)}</div>
<div class="comment-actions">
${mayDelete ? html`<form class="inline" method="post" action="${commentPath}/delete"><button type="submit" class="danger">Delete</button></form>` : ''}
${mayEdit
  ? html`<details><summary>Edit</summary>
<form class="stack" method="post" action="${commentPath}/edit">
<textarea name="body" aria-label="Edit comment" rows="3">${adfToText(c.body)}</textarea>
<p><button type="submit" class="primary">Save</button></p>
</form>
</details>`
  : ''}
</div>
</div>
</div>`;
})}`;
}
