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

export function buildRouter(routes: Route[], count: (operationId: string) => void): Hono<{ Bindings: Bindings }> {
  const app = new Hono<{ Bindings: Bindings }>();
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      count(route.operationId);
      return route.handle({
        request: c.req.raw,
        url: new URL(c.req.url),
        params: c.req.param() as Record<string, string>,
        actor: c.env.actor,
        caller: c.env.caller,
      });
    });
  }
  app.notFound((c) => jiraError(404, [`No operation at ${c.req.method} ${new URL(c.req.url).pathname}`]));
  app.onError((error) => {
    console.error('Emulated Jira failed on a request:', error);
    return jiraError(500, ['Internal server error']);
  });
  return app;
}
