import type { JiraSite } from '../contracts';
import type { Actor } from './actor';
import type { ShellJira } from './jira-client';

/** What every page and action of one request works with. */
export interface ShellContext {
  site: JiraSite;
  request: Request;
  url: URL;
  /** Path prefix of the site's pages, e.g. `/blue`. */
  base: string;
  actor: Actor;
  /** The site's REST API, acting as the actor. */
  jira: ShellJira;
}

/** A link to one of the app's pages; the host page acts as `as` when it is not the admin. */
export function appPageHref(ctx: ShellContext, moduleAndRoute: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  if (ctx.actor.accountId !== ctx.site.adminAccountId) params.set('as', ctx.actor.accountId);
  const search = params.toString();
  return `${ctx.base}/apps/${moduleAndRoute}${search ? `?${search}` : ''}`;
}
