import type { JiraSite } from '../contracts';
import * as actions from './actions';
import { resolveActor } from './actor';
import type { ShellContext } from './context';
import { downloadAttachment } from './download';
import { escapeHtml } from './html';
import { ShellJira } from './jira-client';
import { failurePage } from './layout';
import { issueListPage } from './pages/issue-list';
import { issueViewPage } from './pages/issue-view';
import { projectsPage } from './pages/projects';

// A minimal Jira per site at `/<site>/`, enough to try the sync by hand:
// projects, issues under JQL, create and edit, transitions, comments,
// attachments, and the app's pages where Jira would show them.

type Route = (ctx: ShellContext, params: string[]) => Promise<Response>;

const routes: { method: 'GET' | 'POST'; pattern: RegExp; run: Route }[] = [
  { method: 'GET', pattern: /^\/?$/, run: (ctx) => projectsPage(ctx) },
  { method: 'GET', pattern: /^\/issues\/?$/, run: (ctx) => issueListPage(ctx, null) },
  { method: 'GET', pattern: /^\/projects\/([^/]+)\/?$/, run: (ctx, [key]) => issueListPage(ctx, key!) },
  { method: 'POST', pattern: /^\/create$/, run: (ctx) => actions.createIssue(ctx) },
  { method: 'GET', pattern: /^\/browse\/([^/]+)\/?$/, run: (ctx, [key]) => issueViewPage(ctx, key!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/edit$/, run: (ctx, [key]) => actions.editIssue(ctx, key!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/transition$/, run: (ctx, [key]) => actions.transitionIssue(ctx, key!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/comments$/, run: (ctx, [key]) => actions.addComment(ctx, key!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/comments\/([^/]+)\/edit$/, run: (ctx, [key, id]) => actions.editComment(ctx, key!, id!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/comments\/([^/]+)\/delete$/, run: (ctx, [key, id]) => actions.deleteComment(ctx, key!, id!) },
  { method: 'POST', pattern: /^\/browse\/([^/]+)\/attachments$/, run: (ctx, [key]) => actions.uploadAttachment(ctx, key!) },
  { method: 'GET', pattern: /^\/attachments\/([^/]+)\/?$/, run: (ctx, [id]) => downloadAttachment(ctx, id!) },
  { method: 'POST', pattern: /^\/attachments\/([^/]+)\/delete$/, run: (ctx, [id]) => actions.deleteAttachment(ctx, id!) },
];

export async function renderShell(site: JiraSite, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const base = `/${site.name}`;
  const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  try {
    const actor = await resolveActor(site, request);
    const ctx: ShellContext = { site, request, url, base, actor, jira: new ShellJira(site, actor.caller) };
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.method !== method) continue;
      const params = match.slice(1).map(decodeSegment);
      if (params.some((p) => p === null)) break;
      return await route.run(ctx, params as string[]);
    }
    const pathKnown = routes.some((r) => r.pattern.test(path));
    return failurePage(ctx, pathKnown ? 405 : 404, pathKnown ? 'Not allowed' : 'Page not found', [
      pathKnown ? `${request.method} is not supported here.` : `Nothing at ${url.pathname}.`,
    ]);
  } catch (e) {
    // A site that is down (a fault test) or a fault in the shell: say so plainly.
    const message = e instanceof Error ? e.message : String(e);
    return new Response(`<!doctype html><title>Error</title><h1>Something went wrong</h1><p>${escapeHtml(message)}</p>`, {
      status: 500,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  }
}

function decodeSegment(segment: string | undefined): string | null {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return null;
  }
}
