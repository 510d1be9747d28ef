import { appPageHref, type ShellContext } from '../context';
import { html } from '../html';
import { failurePage, page } from '../layout';
import { personName } from '../format';

export async function projectsPage(ctx: ShellContext): Promise<Response> {
  const projects = await ctx.jira.listProjects();
  if (!projects.ok) return failurePage(ctx, projects.status, 'Projects', projects.messages);
  const rows = projects.value.map(
    (p) => html`<tr>
<td><a href="${ctx.base}/projects/${encodeURIComponent(p.key)}">${p.name}</a></td>
<td>${p.key}</td>
<td>${personName(p.lead)}</td>
<td><a href="${appPageHref(ctx, 'exalate-project-settings', { projectKey: p.key })}">Project settings → Exalate</a></td>
</tr>`,
  );
  return page(ctx, {
    title: 'Projects',
    body: html`<h1>Projects</h1>
<table class="list">
<thead><tr><th>Name</th><th>Key</th><th>Lead</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table>
${projects.value.length === 0 ? html`<p class="muted">There is no project here you may browse.</p>` : ''}`,
  });
}
