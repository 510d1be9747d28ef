// The bridge the local host page gives the built custom UI: `window.__bridge`,
// the object every @forge/bridge call goes through, answered locally —
// resolvers over `POST /<site>/bridge/invoke`, the module's context, the
// subpage history, navigation, flags and Jira requests as the page's person.
// Browser code: ./build.ts bundles it (esbuild, ES2017) into the page, before
// the UI's own bundle, and it reads everything that varies per page from the
// host's `<script id="forge-host-config">` (host-page.ts `BridgeConfig`).

export interface BridgeConfig {
  siteName: string;
  sitePath: string;
  basePath: string;
  route: string;
  invokePath: string;
  authorization: string | null;
  hostParams: readonly string[];
  context: Record<string, unknown> & { moduleKey?: unknown; extension?: unknown };
}

type Handler = (args: any) => unknown;
type Listener = (location: AppLocation, action: string) => void;

interface AppLocation {
  pathname: string;
  search: string;
  hash: string;
  state: unknown;
  key: string;
}

interface HostHistory {
  action: string;
  location: AppLocation;
  readonly length: number;
  push(to: unknown, state?: unknown): void;
  replace(to: unknown, state?: unknown): void;
  go(n: number): void;
  goBack(): void;
  goForward(): void;
  back(): void;
  forward(): void;
  block(): () => void;
  createHref(to: unknown): string;
  listen(listener: Listener): () => void;
}

interface PathTarget {
  pathname?: string;
  search?: string;
  hash?: string;
}

const config = JSON.parse(document.getElementById('forge-host-config')!.textContent!) as BridgeConfig;
const hostParams = config.hostParams;

function failure(message: string, extra?: Record<string, unknown>): Error {
  const error = new Error(message);
  if (extra) Object.assign(error, extra);
  return error;
}

// --- resolvers ---------------------------------------------------------

function invoke(args: { functionKey?: string; payload?: unknown; metadata?: unknown } | undefined): Promise<unknown> {
  // Forge tells the function the module and its extension context; who is asking goes as credentials.
  const request = { key: args && args.functionKey, payload: (args && args.payload) || {}, context: { moduleKey: config.context.moduleKey, extension: config.context.extension } };
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (config.authorization) headers.authorization = config.authorization;
  return fetch(location.origin + config.invokePath, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify(request),
  }).then((response) =>
    response.text().then((text) => {
      let data: { error?: unknown; kind?: unknown } | null = null;
      let isJson = false;
      if (text) {
        try {
          data = JSON.parse(text);
          isJson = true;
        } catch {
          isJson = false;
        }
      }
      if (!response.ok) {
        const message =
          data && typeof data.error === 'string' ? data.error : "The app's server answered " + response.status + (response.statusText ? ' ' + response.statusText : '') + '.';
        throw failure(message, { error: message, status: response.status, kind: data && typeof data.kind === 'string' ? data.kind : undefined });
      }
      if (text && !isJson) throw failure("The app's server answered with something that is not JSON.", { status: response.status });
      return args && args.metadata ? { body: data, metadata: {} } : data;
    }),
  );
}

// --- subpage history (history v4's object, as view.createHistory() returns) ---

let listeners: Listener[] = [];
const histories: HostHistory[] = [];
let keySeed = 0;

function hostQuery(): URLSearchParams {
  const params = new URLSearchParams(location.search);
  const kept = new URLSearchParams();
  hostParams.forEach((name) => {
    if (params.has(name)) kept.set(name, params.get(name)!);
  });
  return kept;
}

function appSearch(search: string): string {
  const params = new URLSearchParams(search);
  hostParams.forEach((name) => params.delete(name));
  const text = params.toString();
  return text ? '?' + text : '';
}

function currentLocation(): AppLocation {
  let pathname: string;
  if (location.pathname === config.basePath || location.pathname.indexOf(config.basePath + '/') === 0) {
    pathname = location.pathname.slice(config.basePath.length) || '/';
  } else {
    pathname = '/' + config.route;
  }
  const state = (window.history.state || {}) as { usr?: unknown; key?: string };
  return { pathname, search: appSearch(location.search), hash: location.hash, state: state.usr, key: state.key || 'default' };
}

function hrefFor(to: unknown): string {
  const current = currentLocation();
  const target = typeof to === 'string' ? to : pathOf(to as PathTarget | null | undefined, current.pathname);
  const resolved = new URL(target, 'http://app.local' + current.pathname);
  const params = new URLSearchParams(resolved.search);
  hostQuery().forEach((value, name) => {
    if (!params.has(name)) params.set(name, value);
  });
  const query = params.toString();
  const path = resolved.pathname === '/' ? '' : resolved.pathname;
  return config.basePath + path + (query ? '?' + query : '') + resolved.hash;
}

function pathOf(to: PathTarget | null | undefined, currentPathname: string): string {
  return (to && to.pathname ? to.pathname : currentPathname) + (to && to.search ? to.search : '') + (to && to.hash ? to.hash : '');
}

function announce(action: string): void {
  const now = currentLocation();
  histories.forEach((h) => {
    h.location = now;
    h.action = action;
  });
  listeners.slice().forEach((listener) => listener(now, action));
  markCurrentSubpage();
}

function change(method: 'pushState' | 'replaceState', to: unknown, state: unknown, action: string): void {
  keySeed += 1;
  const key = Date.now().toString(36) + keySeed.toString(36);
  window.history[method]({ key, usr: state }, '', location.origin + hrefFor(to));
  announce(action);
}

function createHistory(): HostHistory {
  const history: HostHistory = {
    action: 'POP',
    location: currentLocation(),
    get length() {
      return window.history.length;
    },
    push: (to, state) => change('pushState', to, state, 'PUSH'),
    replace: (to, state) => change('replaceState', to, state, 'REPLACE'),
    go: (n) => window.history.go(n),
    goBack: () => window.history.back(),
    goForward: () => window.history.forward(),
    back: () => window.history.back(),
    forward: () => window.history.forward(),
    block: () => () => undefined,
    createHref: (to) => hrefFor(to),
    listen(listener) {
      listeners.push(listener);
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
  };
  histories.push(history);
  return history;
}

window.addEventListener('popstate', () => announce('POP'));

// --- the host's sidebar ---------------------------------------------------

function markCurrentSubpage(): void {
  const route = currentLocation().pathname.split('/').filter(Boolean)[0] || '';
  const links = document.querySelectorAll('.host-nav__link');
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    const current = link.getAttribute('data-route') === route || (!route && i === 0);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function wireSidebar(): void {
  const query = hostQuery().toString();
  const links = document.querySelectorAll('.host-nav__link');
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    if (query) link.setAttribute('href', link.getAttribute('href') + '?' + query);
    link.addEventListener('click', (event) => {
      const click = event as MouseEvent;
      if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return;
      click.preventDefault();
      change('pushState', '/' + link.getAttribute('data-route'), undefined, 'PUSH');
    });
  }
  markCurrentSubpage();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wireSidebar);
else wireSidebar();

// --- navigation ---------------------------------------------------------

interface NavigationTarget {
  target?: string;
  issueKey?: string;
  projectKey?: string;
  moduleKey?: string;
  path?: unknown;
  accountId?: string;
  url?: string;
  type?: string;
}

function urlFor(target: NavigationTarget): string {
  const site = location.origin + config.sitePath;
  switch (target.target) {
    case 'issue':
      return site + '/browse/' + encodeURIComponent(target.issueKey!);
    case 'projectSettingsDetails':
      return site + '/projects/' + encodeURIComponent(target.projectKey!);
    case 'module': {
      const query = target.projectKey ? '?projectKey=' + encodeURIComponent(target.projectKey) : '';
      const path = target.path ? '/' + String(target.path).replace(/^\/+/, '') : '';
      return site + '/apps/' + encodeURIComponent(target.moduleKey!) + path + query;
    }
    case 'userProfile':
      return site + '/people/' + encodeURIComponent(target.accountId!);
    default:
      throw failure('Navigation to "' + target.target + '" is not available in the local runtime.');
  }
}

function navigate(args: NavigationTarget): void {
  const url = args.url ? new URL(args.url, location.href).href : urlFor(args);
  if (args.type === 'new-tab') {
    window.open(url, '_blank', 'noopener');
    return;
  }
  let frame: Window = window;
  try {
    if (window.top && window.top.location.origin === location.origin) frame = window.top;
  } catch {
    frame = window;
  }
  frame.location.assign(url);
}

// --- flags ----------------------------------------------------------------

interface FlagOptions {
  id: string | number;
  type?: string;
  title?: string;
  description?: unknown;
  isAutoDismiss?: boolean;
}

const flagTimers: Record<string, ReturnType<typeof setTimeout>> = {};

function flagArea(): Element {
  let area = document.querySelector('.host-flags');
  if (!area) {
    area = document.createElement('div');
    area.className = 'host-flags';
    area.setAttribute('data-host-chrome', '');
    document.body.appendChild(area);
  }
  return area;
}

function closeFlag(args: { id?: string | number } | undefined): boolean {
  const id = String(args && args.id);
  const flag = document.querySelector('.host-flag[data-flag-id="' + CSS.escape(id) + '"]');
  if (flag) flag.remove();
  if (flagTimers[id]) {
    clearTimeout(flagTimers[id]);
    delete flagTimers[id];
  }
  return true;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showFlag(options: FlagOptions): boolean {
  const type = ['success', 'info', 'warning', 'error'].indexOf(options.type ?? '') >= 0 ? options.type! : 'info';
  closeFlag({ id: options.id });
  const flag = element('div', 'host-flag');
  flag.setAttribute('data-flag-id', String(options.id));
  flag.setAttribute('role', type === 'error' || type === 'warning' ? 'alert' : 'status');
  const icon = element('span', 'host-flag__icon host-flag__icon--' + type);
  icon.setAttribute('aria-hidden', 'true');
  const text = element('div', 'host-flag__text');
  text.appendChild(element('p', 'host-flag__title', options.title || ''));
  if (options.description) text.appendChild(element('p', 'host-flag__description', String(options.description)));
  const close = element('button', 'host-flag__close', '\u00d7') as HTMLButtonElement;
  close.type = 'button';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', () => closeFlag({ id: options.id }));
  flag.appendChild(icon);
  flag.appendChild(text);
  flag.appendChild(close);
  flagArea().appendChild(flag);
  if (options.isAutoDismiss) flagTimers[String(options.id)] = setTimeout(() => closeFlag({ id: options.id }), 8000);
  return true;
}

// --- requestJira from the UI, as the page's user ----------------------

function fetchProduct(args: { product?: string; restPath: string; fetchRequestInit?: RequestInit }): Promise<unknown> {
  if (args.product !== 'jira') return Promise.reject(failure('Only Jira is available in the local runtime.'));
  const init = args.fetchRequestInit || {};
  const headers = new Headers(init.headers || []);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (config.authorization) headers.set('authorization', config.authorization);
  return fetch(location.origin + config.sitePath + args.restPath, {
    method: init.method || 'GET',
    headers,
    body: init.body == null ? undefined : init.body,
    credentials: 'same-origin',
  }).then((response) => {
    const contentType = response.headers.get('content-type') || '';
    const headersOut: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headersOut[name] = value;
    });
    const textual = !contentType || /json|text|xml|javascript/.test(contentType);
    if (textual) {
      return response.text().then((body) => ({ body, headers: headersOut, status: response.status, statusText: response.statusText, isAttachment: false }));
    }
    return response.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
      return { body: btoa(binary), headers: headersOut, status: response.status, statusText: response.statusText, isAttachment: true };
    });
  });
}

const handlers: Record<string, Handler> = {
  invoke,
  getContext: () => JSON.parse(JSON.stringify(config.context)),
  createHistory,
  navigate,
  getUrl: (target: NavigationTarget) => urlFor(target),
  reload: () => location.reload(),
  showFlag,
  closeFlag,
  enableTheming: () => undefined,
  changeWindowTitle: (title: unknown) => {
    document.title = String(title);
  },
  fetchProduct,
  // Not a modal and not refreshable: @forge/bridge turns false into its own error.
  open: () => false,
  close: () => false,
  submit: () => false,
  refresh: () => false,
};

(window as unknown as { __bridge: unknown }).__bridge = {
  callBridge(name: string, args: unknown): Promise<unknown> {
    const handler = handlers[name];
    if (!handler) return Promise.reject(failure('"' + name + '" is not available in the local runtime.'));
    try {
      return Promise.resolve(handler(args));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
