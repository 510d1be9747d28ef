// Puts the operations on a Hono app. Static paths are registered before the
// parameterised ones they resemble (`/project/search` before `/project/:key`):
// Hono answers with the first registered route that matches.
import { Hono } from 'hono';
import type { Caller } from '../../contracts';
import { jiraError } from './respond';
import type { Route } from './route';

interface Bindings {
  actor: string;
  caller: Caller;
}

/**
 * Stands before every matched operation: may refuse it (its answer is then
 * the gate's, and the operation is neither run nor counted) and may dress the
 * operation's answer (the site's rate limits do both).
 */
export interface RouteGate<Env> {
  before(route: Route, params: Record<string, string>, request: Request, env: Env): Promise<Response | undefined>;
  after(route: Route, answer: Response, env: Env): Promise<Response>;
}

/** A route path (`/issue/:issueIdOrKey`) as a pattern over concrete paths. */
function pathPattern(path: string): RegExp {
  const segments = path.split('/').map((segment) =>
    segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${segments.join('/')}$`);
}

export function buildRouter<Env extends Bindings>(
  routes: Route[],
  count: (operationId: string) => void,
  gate?: RouteGate<Env>,
): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      const params = c.req.param() as Record<string, string>;
      const refused = gate ? await gate.before(route, params, c.req.raw, c.env) : undefined;
      if (refused) return refused;
      count(route.operationId);
      const answer = await route.handle({
        request: c.req.raw,
        url: new URL(c.req.url),
        params,
        actor: c.env.actor,
        caller: c.env.caller,
      });
      return gate ? gate.after(route, answer, c.env) : answer;
    });
  }
  const patterns = routes.map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // A path Jira serves, asked with a method it does not take: 405 with an
    // empty body, as Jira Cloud's front end answers, and the methods it does take.
    const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
    if (allowed.length > 0) return new Response(null, { status: 405, headers: { allow: allowed.join(', ') } });
    return jiraError(404, [`No operation at ${c.req.method} ${path}`]);
  });
  app.onError((error) => {
    console.error('Emulated Jira failed on a request:', error);
    return jiraError(500, ['Internal server error']);
  });
  return app;
}
