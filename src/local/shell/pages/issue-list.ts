import type { ShellContext } from '../context';
import { formatDate, labelList, personName, statusLozenge } from '../format';
import type { FormValues } from '../forms';
import { html, raw, type Markup } from '../html';
import type { Issue, JiraResult, Project, SearchResults } from '../jira-client';
import { errorList, failurePage, page } from '../layout';
import { fieldInputs, loadFieldChoices } from './field-inputs';

// A project's issues (or the whole site's) under a JQL box, with the
// "Create issue" form beside them. Both show only what the acting person may
// see and do: the REST API lists their projects and issues, and the form
// offers only projects they may create issues in.

export interface CreateFormState {
  values: FormValues;
  messages: string[];
}

export async function issueListPage(ctx: ShellContext, projectKey: string | null, createState?: CreateFormState): Promise<Response> {
  const projects = await ctx.jira.listProjects();
  if (!projects.ok) return failurePage(ctx, projects.status, 'Issues', projects.messages);
  let project: Project | null = null;
  if (projectKey) {
    const found = await ctx.jira.getProject(projectKey);
    if (!found.ok) return failurePage(ctx, found.status, `Project ${projectKey}`, found.messages);
    project = found.value;
  }

  const defaultJql = project
    ? `project = ${project.key} ORDER BY created DESC`
    : // Searches must be bounded, so "everything" is every project by name.
      `project in (${projects.value.map((p) => p.key).join(', ')}) ORDER BY created DESC`;
  const jql = ctx.url.searchParams.get('jql') ?? defaultJql;
  const pageToken = ctx.url.searchParams.get('page');
  // Someone who can browse no project has nothing to search (and `project in ()` is no query).
  const results: JiraResult<SearchResults> =
    projects.value.length === 0 && !ctx.url.searchParams.has('jql')
      ? { ok: false, status: 200, messages: ['You do not have permission to browse any project on this site.'] }
      : await ctx.jira.search(jql, pageToken);

  const listPath = project ? `${ctx.base}/projects/${encodeURIComponent(project.key)}` : `${ctx.base}/issues`;
  const nextToken = results.ok && results.value.isLast !== true ? results.value.nextPageToken : null;
  const body = html`<div class="breadcrumbs"><a href="${ctx.base}/">Projects</a>${project ? html` / ${project.name}` : ''}</div>
<h1>${project ? `${project.name} issues` : 'Issues'}</h1>
<div class="columns">
<div class="main-col">
<form class="jql" method="get" action="${listPath}">
<input type="text" name="jql" value="${jql}" aria-label="JQL query" spellcheck="false">
<button type="submit" class="primary">Search</button>
</form>
${results.ok ? issueTable(ctx, results.value.issues) : errorList(results.messages)}
<div class="pager">
${pageToken ? html`<a href="${listPath}?${new URLSearchParams({ jql }).toString()}">« First page</a>` : ''}
${nextToken ? html`<a href="${listPath}?${new URLSearchParams({ jql, page: nextToken }).toString()}">Next page »</a>` : ''}
</div>
</div>
<div class="side-col">${await createForm(ctx, await creatableProjects(ctx, projects.value), project, createState)}</div>
</div>`;
  return page(ctx, { title: project ? project.name : 'Issues', project, body, status: createState ? 400 : 200 });
}

function issueTable(ctx: ShellContext, issues: Issue[]): Markup {
  if (issues.length === 0) return html`<p class="muted">No issues match this query.</p>`;
  return html`<table class="list">
<thead><tr><th>Type</th><th>Key</th><th>Summary</th><th>Status</th><th>Priority</th><th>Assignee</th><th>Labels</th><th>Updated</th></tr></thead>
<tbody>
${issues.map(
  (issue) => html`<tr>
<td>${issue.fields.issuetype?.name ?? ''}</td>
<td><a href="${ctx.base}/browse/${encodeURIComponent(issue.key)}">${issue.key}</a></td>
<td><a href="${ctx.base}/browse/${encodeURIComponent(issue.key)}">${issue.fields.summary ?? ''}</a></td>
<td>${statusLozenge(issue.fields.status)}</td>
<td>${issue.fields.priority?.name ?? ''}</td>
<td>${personName(issue.fields.assignee)}</td>
<td>${labelList(issue.fields.labels)}</td>
<td>${formatDate(issue.fields.updated)}</td>
</tr>`,
)}
</tbody>
</table>`;
}

/** The projects the acting person may create issues in, as Jira's create dialog offers them. */
async function creatableProjects(ctx: ShellContext, projects: Project[]): Promise<Project[]> {
  const held = await Promise.all(projects.map((p) => ctx.jira.myPermissions(['CREATE_ISSUES'] as const, { projectKey: p.key })));
  return projects.filter((_, i) => {
    const answer = held[i];
    return answer?.ok === true && answer.value.CREATE_ISSUES;
  });
}

async function createForm(ctx: ShellContext, projects: Project[], current: Project | null, state?: CreateFormState): Promise<Markup> {
  const values = state?.values ?? {};
  const wanted = values.project ?? current?.key;
  // The page's own project when they may create there, else the first they may.
  const projectKey = projects.find((p) => p.key === wanted)?.key ?? projects[0]?.key;
  if (!projectKey) return html`<p class="muted">You cannot create issues in any project here.</p>`;
  const choices = await loadFieldChoices(ctx, projectKey);
  return html`<details class="card" ${state || current ? raw('open') : ''}>
<summary>Create issue</summary>
${errorList([...(state?.messages ?? []), ...choices.problems])}
<form class="stack" method="post" action="${ctx.base}/create">
<label for="create-project">Project</label>
<select id="create-project" name="project">
${projects.map((p) => html`<option value="${p.key}"${p.key === projectKey ? raw(' selected') : ''}>${p.name} (${p.key})</option>`)}
</select>
${fieldInputs(
  choices,
  {
    issuetype: values.issuetype ?? '',
    summary: values.summary ?? '',
    description: values.description ?? '',
    priority: values.priority ?? '',
    labels: values.labels ?? '',
    assignee: values.assignee ?? '',
  },
  'create',
)}
<p><button type="submit" class="primary">Create</button></p>
</form>
</details>`;
}
