import { appPageHref, type ShellContext } from './context';
import { html, htmlResponse, raw, type Markup } from './html';
import type { Project } from './jira-client';
import { shellCss } from './styles';

// The frame around every page: the top bar (site, Projects, Issues, Apps →
// Exalate, who is acting) and, inside a project, Jira's project sidebar.

export interface PageOptions {
  title: string;
  body: Markup;
  /** Shows the project sidebar with Project settings → Exalate. */
  project?: Pick<Project, 'key' | 'name'> | null;
  status?: number;
}

export function page(ctx: ShellContext, options: PageOptions): Response {
  const { project } = options;
  const document = html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} - ${ctx.site.name}</title>
<style>${raw(shellCss)}</style>
</head>
<body>
${topBar(ctx, project ?? null)}
<div class="layout">
${project ? projectSidebar(ctx, project) : ''}
<main>${options.body}</main>
</div>
</body>
</html>`;
  const headers = new Headers();
  if (ctx.actor.setCookie) headers.append('set-cookie', ctx.actor.setCookie);
  return htmlResponse(document, { status: options.status, headers });
}

function topBar(ctx: ShellContext, project: Pick<Project, 'key' | 'name'> | null): Markup {
  return html`<header class="topbar">
<a class="site" href="${ctx.base}/"><span class="logo">J</span>${ctx.site.name}</a>
<a href="${ctx.base}/">Projects</a>
<a href="${ctx.base}/issues">Issues</a>
<details class="menu"><summary>Apps ▾</summary><div class="menu-items">
<div class="heading">Apps</div>
<a href="${appPageHref(ctx, 'exalate-admin/connections')}">Exalate</a>
</div></details>
${project
  ? html`<details class="menu"><summary>Project settings ▾</summary><div class="menu-items">
<div class="heading">${project.name}</div>
<a href="${appPageHref(ctx, 'exalate-project-settings', { projectKey: project.key })}">Exalate</a>
</div></details>`
  : ''}
<span class="spacer"></span>
${userSwitcher(ctx)}
</header>`;
}

function userSwitcher(ctx: ShellContext): Markup {
  const { people, accountId } = ctx.actor;
  // Keep the page's own query (a JQL search, say) when switching person.
  const kept = [...ctx.url.searchParams.entries()].filter(([name]) => name !== 'user');
  return html`<form class="switcher" method="get" action="${ctx.url.pathname}">
${kept.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<select name="user" aria-label="Acting as" onchange="this.form.submit()">
${people.length === 0 ? html`<option value="${accountId}" selected>${accountId}</option>` : ''}
${people.map((p) => html`<option value="${p.accountId}"${p.accountId === accountId ? raw(' selected') : ''}>${p.displayName ?? p.accountId}</option>`)}
</select>
<noscript><button type="submit">Switch</button></noscript>
</form>`;
}

function projectSidebar(ctx: ShellContext, project: Pick<Project, 'key' | 'name'>): Markup {
  return html`<nav class="sidebar">
<div class="project">${project.name}<small>${project.key}</small></div>
<a href="${ctx.base}/projects/${encodeURIComponent(project.key)}">Issues</a>
<div class="section">Project settings</div>
<a href="${appPageHref(ctx, 'exalate-project-settings', { projectKey: project.key })}">Exalate</a>
</nav>`;
}

export function errorList(messages: readonly string[]): Markup {
  if (messages.length === 0) return html``;
  return html`<div class="errors" role="alert"><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>`;
}

/** A page for a failed lookup or action, with Jira's messages. */
export function failurePage(ctx: ShellContext, status: number, title: string, messages: readonly string[]): Response {
  return page(ctx, { title, status, body: html`<h1>${title}</h1>${errorList(messages)}<p><a href="${ctx.base}/">Back to projects</a></p>` });
}
