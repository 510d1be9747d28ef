import { Hono, type Context } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { isAppError } from '../domain/errors';
import type { JiraSite } from './contracts';
import { LocalForge, NotInstalledError, UnknownModuleError } from './forge/local-forge';
import { InvocationRateLimitError } from './forge/invocation-rates';
import { z } from 'zod';
import type { HostPageArgs } from './forge/host-page';
import { resolveActor } from './shell/actor';
import { isResolverKey } from '../contract/resolvers';

// The local runtime's HTTP face: each site's Jira REST API, the app's web
// triggers, resolver invocation for custom UI, the host pages and the built UI.

/** What the platform would say about a resolver call: the module it comes from and that module's extension context. */
const InvokeContext = z.looseObject({ moduleKey: z.string().min(1).optional(), extension: z.record(z.string(), z.unknown()).optional() });

export interface ServerOptions {
  forge: LocalForge;
  sites: Map<string, JiraSite>;
  uiDist: string;
  renderHostPage?: (args: HostPageArgs) => string;
  renderShell?: (site: JiraSite, request: Request) => Promise<Response>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export function createServer(options: ServerOptions): Hono {
  const { forge, sites } = options;
  const app = new Hono();

  /**
   * The one place a request's site is looked up: the route runs with it, or the request gets the 404 its
   * kind of route answers (Jira's shape for REST, `{error}` for the app's endpoints, a page for pages).
   */
  const onSite =
    (notFound: 'rest' | 'json' | 'page', route: (c: Context, site: JiraSite) => Response | Promise<Response>) =>
    (c: Context): Response | Promise<Response> => {
      const site = sites.get(c.req.param('site') ?? '');
      if (site) return route(c, site);
      if (notFound === 'rest') return c.json({ errorMessages: ['Site not found'] }, 404);
      if (notFound === 'json') return c.json({ error: 'Site not found' }, 404);
      return c.text('Not found', 404);
    };

  app.get('/', (c) => {
    const links = [...sites.values()]
      .map((s) => `<li><a href="/${s.name}/">${s.name}</a> — Jira <code>${s.baseUrl}/rest/api/3/</code>, Exalate URL <code>${forge.webTriggerUrl(s.name, 'partner-endpoint')}</code></li>`)
      .join('');
    return c.html(`<!doctype html><title>Local sandbox</title><h1>Local Jira sandbox</h1><ul>${links}</ul>`);
  });

  app.get('/ui/*', (c) => {
    const relative = normalize(c.req.path.slice('/ui/'.length)).replace(/^(\.\.[/\\])+/, '');
    const file = join(options.uiDist, relative);
    if (!file.startsWith(options.uiDist) || !existsSync(file)) return c.text('Not found', 404);
    return new Response(readFileSync(file), { headers: { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' } });
  });

  app.all(
    '/:site/rest/*',
    onSite('rest', (c, site) => {
      const caller = site.resolveCaller(c.req.header('authorization') ?? null);
      if (!caller) return c.json({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} }, 401);
      const url = new URL(c.req.url);
      url.pathname = url.pathname.slice(`/${site.name}`.length);
      return site.handle(new Request(url, c.req.raw), caller);
    }),
  );

  app.all(
    '/:site/x/:key',
    onSite('json', async (c, site) => {
      if (site.faults.down === 'unavailable') return c.json({ error: 'Service unavailable' }, 503);
      const url = new URL(c.req.url);
      const headers: Record<string, string[]> = {};
      c.req.raw.headers.forEach((value, name) => {
        (headers[name.toLowerCase()] ??= []).push(value);
      });
      const queryParameters: Record<string, string[]> = {};
      url.searchParams.forEach((value, name) => {
        (queryParameters[name] ??= []).push(value);
      });
      const body = ['GET', 'HEAD'].includes(c.req.method) ? '' : await c.req.text();
      const response = await forge.invokeWebTrigger(site.name, c.req.param('key') ?? '', { method: c.req.method, headers, body, path: url.pathname, queryParameters });
      const out = new Headers();
      for (const [name, values] of Object.entries(response.headers ?? {})) for (const v of values) out.append(name, v);
      return new Response(response.body ?? null, { status: response.statusCode, headers: out });
    }),
  );

  app.post(
    '/:site/bridge/invoke',
    onSite('json', async (c, site) => {
      let request: { key?: unknown; payload?: unknown; context?: unknown };
      try {
        request = await c.req.json();
      } catch {
        return c.json({ error: 'The request body must be JSON: {"key": "<resolver key>", "payload": {…}, "context": {"moduleKey": …, "extension": …}}' }, 400);
      }
      if (typeof request.key !== 'string' || !request.key) return c.json({ error: 'Missing "key": the resolver to call' }, 400);
      // Who is asking comes from the credentials, as for REST; never from the body.
      const caller = site.resolveCaller(c.req.header('authorization') ?? null);
      if (!caller || caller.kind !== 'user') return c.json({ error: 'Unknown user' }, 401);
      const context = InvokeContext.safeParse(request.context ?? {});
      if (!context.success) return c.json({ error: 'context: must be {"moduleKey": "<UI module key>", "extension": {…}}' }, 400);
      // Every key the app answers is in its resolver contract: anything else is refused before the platform is asked.
      if (!isResolverKey(request.key)) return c.json({ error: `Unknown resolver "${request.key}"` }, 400);
      try {
        const result = await forge.invokeResolver(site.name, {
          moduleKey: context.data.moduleKey ?? 'exalate-admin',
          key: request.key,
          payload: request.payload ?? {},
          accountId: caller.accountId,
          extension: context.data.extension,
        });
        return c.json((result ?? null) as object);
      } catch (e) {
        // Errors are told apart by type, never by their words. A script error's line is in its message already
        // (the resolver puts it there: on Forge the UI gets only the message) and in `details`.
        if (isAppError(e)) return c.json({ error: e.message, kind: e.kind, ...(e.details ? { details: e.details } : {}) }, e.status as 400);
        if (e instanceof UnknownModuleError) return c.json({ error: e.message }, 400);
        if (e instanceof NotInstalledError) return c.json({ error: e.message }, 404);
        if (e instanceof InvocationRateLimitError) return c.json({ error: e.message }, 429, { 'Retry-After': String(Math.ceil(e.retryAfterMs / 1000)) });
        return c.json({ error: e instanceof Error ? e.message : String(e) }, 500);
      }
    }),
  );

  // What an admin does under Manage apps → Uninstall: the app's preUninstall runs, then the app is gone from the site.
  app.post(
    '/:site/_local/uninstall',
    onSite('json', async (c, site) => {
      await forge.uninstall(site.name);
      return c.json({ uninstalled: site.name });
    }),
  );

  // The site's platform usage since start (storage, invocations, events, Jira, fetches, limits hit), for
  // the bench and for anyone with curl; a POST starts the counts afresh.
  app.get(
    '/:site/_local/usage',
    onSite('json', (c, site) => c.json(forge.usage(site.name))),
  );
  app.post(
    '/:site/_local/usage/reset',
    onSite('json', (c, site) => {
      forge.resetUsage(site.name);
      return c.json(forge.usage(site.name));
    }),
  );

  // Where Jira Cloud serves a Forge app's admin page; locally it is the host page of the admin module.
  app.get('/:site/jira/settings/apps/:appId/:environmentId/*', (c) => {
    const url = new URL(c.req.url);
    const route = url.pathname.split('/').slice(7).join('/');
    return c.redirect(`/${c.req.param('site')}/apps/exalate-admin/${route}${url.search}`, 302);
  });

  const hostPageRoute = onSite('page', (c, site) => hostPage(site, c.req.param('moduleKey') ?? '', c.req.raw));
  app.get('/:site/apps/:moduleKey/*', hostPageRoute);
  app.get('/:site/apps/:moduleKey', hostPageRoute);

  async function hostPage(site: JiraSite, moduleKey: string, request: Request): Promise<Response> {
    if (!options.renderHostPage) return new Response('Not found', { status: 404 });
    const url = new URL(request.url);
    const route = url.pathname.split('/').slice(4).join('/');
    const extension: Record<string, unknown> = {};
    const issueKey = url.searchParams.get('issueKey');
    const projectKey = url.searchParams.get('projectKey');
    if (issueKey) extension.issue = { key: issueKey };
    if (projectKey) extension.project = { key: projectKey };
    // The person using the page: `?as=` from the shell's links, else whom the shell's switcher chose, else the admin.
    const actor = await resolveActor(site, request);
    const asParam = url.searchParams.get('as');
    const accountId = asParam && actor.people.some((p) => p.accountId === asParam) ? asParam : actor.accountId;
    const html = options.renderHostPage({
      siteName: site.name,
      siteUrl: site.baseUrl,
      cloudId: site.cloudId,
      accountId,
      authorization: site.credentialsFor(accountId),
      people: actor.people.map((p) => ({ accountId: p.accountId, displayName: p.displayName ?? p.accountId })),
      moduleKey,
      extension,
      route,
      uiBase: '/ui/',
    });
    return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  }

  const shellRoute = onSite('page', (c, site) => (options.renderShell ? options.renderShell(site, c.req.raw) : c.text('Not found', 404)));
  app.all('/:site/*', shellRoute);
  app.all('/:site', shellRoute);

  return app;
}
