// The host page's bridge, driven by @forge/bridge's own code: the script runs
// in a VM context standing in for the browser window, and the real
// `invoke`, `view` and `router` of @forge/bridge call it, as they would on Forge.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  UiNotBuiltError,
  bridgeScript,
  forgetUiIndexHtml,
  hostConfig,
  readUiIndexHtml,
  renderHostPage,
  type HostPageArgs,
} from '../../src/local/forge/host-page';

const ORIGIN = 'http://localhost:9000';

const adminArgs: HostPageArgs = {
  siteName: 'blue',
  siteUrl: `${ORIGIN}/blue`,
  cloudId: 'cloud-blue',
  accountId: 'acc-admin',
  authorization: 'Basic YWRtaW5AZXhhbXBsZS5jb206c2FuZGJveA==',
  moduleKey: 'exalate-admin',
  extension: {},
  route: 'connections',
  uiBase: '/ui/',
};

const builtIndex = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Exalate</title>
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/index-abc.css">
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>`;

describe('renderHostPage', () => {
  it('puts <base> and the bridge before the bundle, so relative assets load from uiBase', () => {
    const html = renderHostPage(adminArgs, { indexHtml: builtIndex });
    const base = html.indexOf('<base href="/ui/">');
    const bridge = html.indexOf('window.__bridge');
    const bundle = html.indexOf('src="./assets/index-abc.js"');
    expect(base).toBeGreaterThan(html.indexOf('<head>'));
    expect(base).toBeLessThan(bridge);
    expect(bridge).toBeLessThan(bundle);
    expect(html.indexOf('<base')).toBeLessThan(html.indexOf('./assets/index-abc.css'));
  });

  it('draws the admin page sidebar from the manifest pages, and no chrome around an issue panel', () => {
    const admin = renderHostPage(adminArgs, { indexHtml: builtIndex });
    for (const [title, route] of [
      ['Connections', 'connections'],
      ['Triggers', 'triggers'],
      ['Errors', 'errors'],
      ['Sync queue', 'sync-queue'],
      ['Statistics', 'statistics'],
      ['Settings', 'settings'],
    ]) {
      expect(admin).toContain(`data-route="${route}" href="/blue/apps/exalate-admin/${route}">${title}</a>`);
    }
    const panel = renderHostPage(
      { ...adminArgs, moduleKey: 'exalate-issue-panel', route: '', extension: { issue: { key: 'UD-1' } } },
      { indexHtml: builtIndex },
    );
    expect(panel).not.toContain('<nav class="host-nav"');
    expect(panel).not.toContain('<header class="host-bar"');
    expect(admin).toContain('<nav class="host-nav"');
    expect(panel).toContain('<div id="root"></div>');
  });

  it('draws Jira\'s project settings sidebar around the project page, the app\'s entry current', () => {
    const page = renderHostPage({ ...adminArgs, moduleKey: 'exalate-project-settings', route: '', extension: { project: { key: 'UD' } } }, { indexHtml: builtIndex });
    expect(page).toContain('<nav class="host-nav" aria-label="Project settings"');
    expect(page).toContain('<p class="host-nav__item">Workflows</p>');
    expect(page).toMatch(/<a class="host-nav__link" data-route="" aria-current="page" href="\/blue\/apps\/exalate-project-settings">[^<]+<\/a>/);
    expect(page).toContain('Project settings · UD');
  });

  it('keeps context values that look like markup inside their script element', () => {
    const html = renderHostPage({ ...adminArgs, extension: { note: '</script><script>alert(1)</script>' } }, { indexHtml: builtIndex });
    expect(html).not.toContain('</script><script>alert(1)');
    const json = /<script type="application\/json" id="forge-host-config">([^<]*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json ?? 'null').context.extension.note).toBe('</script><script>alert(1)</script>');
  });

  it('reads static/dist/index.html once and keeps it until told to forget', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-page-'));
    const file = join(dir, 'index.html');
    try {
      writeFileSync(file, '<html><head></head><body>one</body></html>');
      expect(readUiIndexHtml(file)).toContain('one');
      writeFileSync(file, '<html><head></head><body>two</body></html>');
      expect(readUiIndexHtml(file)).toContain('one');
      forgetUiIndexHtml();
      expect(readUiIndexHtml(file)).toContain('two');
      expect(() => readUiIndexHtml(join(dir, 'missing.html'))).toThrow(UiNotBuiltError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      forgetUiIndexHtml();
    }
  });
});

// ---------------------------------------------------------------------------
// The bridge, run as the browser would run it, answered by @forge/bridge.

interface Recorded {
  requests: { url: string; method: string; body: unknown; headers: Record<string, string> }[];
  pushed: string[];
  assigned: string[];
  opened: string[];
}

const recorded: Recorded = { requests: [], pushed: [], assigned: [], opened: [] };
let answer: (body: { key: string; payload: unknown }) => Response = () => Response.json({});
let bridge: typeof import('@forge/bridge');
let sandbox: Record<string, unknown> & { location: URL; __bridge?: unknown };

function browserWindow(config: string, href: string) {
  const location = new URL(href) as URL & { assign(url: string): void; reload(): void };
  location.assign = (url: string) => void recorded.assigned.push(url);
  location.reload = () => undefined;
  let state: unknown = null;
  const moveTo = (url: string) => {
    const next = new URL(url, location.href);
    location.pathname = next.pathname;
    location.search = next.search;
    location.hash = next.hash;
  };
  const window: Record<string, unknown> = {
    location,
    history: {
      get state() {
        return state;
      },
      length: 1,
      pushState(next: unknown, _title: string, url: string) {
        state = next;
        recorded.pushed.push(url);
        moveTo(url);
      },
      replaceState(next: unknown, _title: string, url: string) {
        state = next;
        moveTo(url);
      },
      go: () => undefined,
      back: () => undefined,
      forward: () => undefined,
    },
    document: {
      readyState: 'complete',
      getElementById: (id: string) => (id === 'forge-host-config' ? { textContent: config } : null),
      querySelectorAll: () => [],
      querySelector: () => null,
      addEventListener: () => undefined,
    },
    addEventListener: () => undefined,
    open: (url: string) => void recorded.opened.push(url),
    fetch: async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      recorded.requests.push({ url, method: init.method ?? 'GET', body, headers: Object.fromEntries(new Headers(init.headers).entries()) });
      return answer(body);
    },
    URL,
    URLSearchParams,
    Headers,
    setTimeout,
    clearTimeout,
  };
  window.window = window;
  window.top = window;
  return window;
}

describe('the bridge script under @forge/bridge', () => {
  beforeAll(async () => {
    const config = hostConfig({ ...adminArgs, extension: { project: { key: 'UD' } } }, { moduleType: 'jira:adminPage' });
    sandbox = browserWindow(config, `${ORIGIN}/blue/apps/exalate-admin/connections?as=acc-2`) as typeof sandbox;
    vm.createContext(sandbox);
    vm.runInContext(bridgeScript(), sandbox);
    // @forge/bridge looks for the bridge when it is first imported, as in the browser.
    (globalThis as { __bridge?: unknown }).__bridge = sandbox.__bridge;
    bridge = await import('@forge/bridge');
  });

  afterAll(() => {
    delete (globalThis as { __bridge?: unknown }).__bridge;
  });

  beforeEach(() => {
    recorded.requests = [];
    recorded.pushed = [];
    recorded.assigned = [];
    recorded.opened = [];
  });

  it('invoke posts {key, payload, context} to /<site>/bridge/invoke as the page\'s person and answers the resolver JSON', async () => {
    answer = (body) => Response.json({ echoed: body.key, ok: true });
    await expect(bridge.invoke('listConnections', { page: 2 })).resolves.toEqual({ echoed: 'listConnections', ok: true });
    expect(recorded.requests).toHaveLength(1);
    const [request] = recorded.requests;
    expect(request?.url).toBe(`${ORIGIN}/blue/bridge/invoke`);
    expect(request?.method).toBe('POST');
    expect(request?.body).toMatchObject({
      key: 'listConnections',
      payload: { page: 2 },
      context: { moduleKey: 'exalate-admin', extension: { project: { key: 'UD' } } },
    });
    // Who is asking travels as credentials, never in the body the server could be fed.
    expect((request?.body as { context: Record<string, unknown> }).context.accountId).toBeUndefined();
    expect(request?.headers.authorization).toBe(adminArgs.authorization);
  });

  it('invoke rejects with the server error message, its status and its kind', async () => {
    answer = () => Response.json({ error: 'projectKey: Required', kind: 'BadInput' }, { status: 400 });
    await expect(bridge.invoke('acceptInvitation', {})).rejects.toMatchObject({
      message: 'projectKey: Required',
      status: 400,
      kind: 'BadInput',
    });
    answer = () => new Response('<html>boom</html>', { status: 502, statusText: 'Bad Gateway' });
    await expect(bridge.invoke('listConnections', {})).rejects.toMatchObject({ message: "The app's server answered 502 Bad Gateway.", status: 502 });
  });

  it('the UI api turns those rejections into readable error values', async () => {
    const { call } = await import('../../static/src/api');
    answer = () => Response.json({ error: 'Unknown resolver "listTriggers"' }, { status: 400 });
    await expect(call('listTriggers', {})).resolves.toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'NotBuiltYet', message: `This isn't available yet: the app's server has no "listTriggers" action.` }),
    });
    answer = () => Response.json({ connections: [{ id: 'c1' }] });
    const odd = await call('listConnections', {});
    expect(odd.ok).toBe(false);
    if (!odd.ok) expect(odd.error.kind).toBe('UnexpectedAnswer');
    answer = () =>
      Response.json({
        ok: true,
        connections: [
          {
            id: 'c1', name: 'blue_to_green', description: '', mode: 'script', kind: 'public', side: null, localName: 'blue', remoteName: 'green',
            localProjectKey: 'UD', remoteProjectKey: null, status: 'Pending', statusReason: 'Waiting for the partner to accept the invitation.',
            remoteUrl: null, issuesUnderSync: 0, lastSync: null, lastContactAt: null, createdAt: 1,
          },
        ],
      });
    const listed = await call('listConnections', {});
    expect(listed.ok && listed.value.connections[0]).toMatchObject({ status: 'Pending', localProjectKey: 'UD', lastSync: null });
    answer = () => Response.json({ name: 'blue', instanceId: 'i-1', exalateUrl: 'http://x/blue/x/partner-endpoint', siteUrl: 'http://x/blue' });
    await expect(call('getInstance', {})).resolves.toEqual({
      ok: true,
      value: { name: 'blue', instanceId: 'i-1', exalateUrl: 'http://x/blue/x/partner-endpoint', siteUrl: 'http://x/blue' },
    });
  });

  it('getContext answers the module context in @forge/bridge FullContext shape', async () => {
    const context = await bridge.view.getContext();
    expect(context).toMatchObject({
      moduleKey: 'exalate-admin',
      siteUrl: `${ORIGIN}/blue`,
      cloudId: 'cloud-blue',
      accountId: 'acc-admin',
      environmentType: 'DEVELOPMENT',
      locale: 'en-US',
      extension: { type: 'jira:adminPage', project: { key: 'UD' } },
    });
  });

  it('createHistory maps the page URL to subpage routes and keeps the host query when it moves', async () => {
    const history = await bridge.view.createHistory();
    expect(history.location.pathname).toBe('/connections');
    expect(history.location.search).toBe('');
    const seen: string[] = [];
    const stop = history.listen((location) => void seen.push(location.pathname + location.search));
    history.push('/triggers');
    history.push('/errors?connection=c1');
    stop();
    history.push('/settings');
    expect(seen).toEqual(['/triggers', '/errors?connection=c1']);
    expect(recorded.pushed).toEqual([
      `${ORIGIN}/blue/apps/exalate-admin/triggers?as=acc-2`,
      `${ORIGIN}/blue/apps/exalate-admin/errors?connection=c1&as=acc-2`,
      `${ORIGIN}/blue/apps/exalate-admin/settings?as=acc-2`,
    ]);
    // @forge/bridge keeps `history.location` current through its own listener.
    expect(history.location.pathname).toBe('/settings');
  });

  it('router.navigate and router.open reach the site pages Jira would open', async () => {
    await bridge.router.navigate({ target: 'issue', issueKey: 'UD-7' });
    await bridge.router.open('https://partner.example/jira');
    await expect(bridge.router.getUrl({ target: 'module', moduleKey: 'exalate-admin', path: 'errors' })).resolves.toEqual(
      new URL(`${ORIGIN}/blue/apps/exalate-admin/errors`),
    );
    expect(recorded.assigned).toEqual([`${ORIGIN}/blue/browse/UD-7`]);
    expect(recorded.opened).toEqual(['https://partner.example/jira']);
  });

  it('says plainly which bridge calls the local runtime does not provide', async () => {
    await expect(bridge.events.emit('anything', {})).rejects.toThrow('"emit" is not available in the local runtime.');
  });
});
