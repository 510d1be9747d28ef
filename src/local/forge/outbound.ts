import type { PartnerUrlPolicy } from '../../ports';
import { asWaiting, currentInvocation, refuseIfEnded, type InvocationScope } from './globals';
import { FORGE_LIMITS } from './limits';
import { countLimitHit, countOutboundFetch } from './usage';

// `fetch` as the app sees it in the local runtime. @forge/api's `fetch` is
// the global fetch captured when @forge/api is imported, so this is installed
// first and every partner call the app makes passes through it.
//
// Inside an invocation the app is on Forge's network, where only the hosts
// the manifest declares under `permissions.external.fetch.backend` can be
// reached and any other call fails ("Runtime egress permissions",
// https://developer.atlassian.com/platform/forge/runtime-egress-permissions/).
// The failure is the error @forge/api defines for it,
// `ExternalEndpointNotAllowedError` (name REQUEST_EGRESS_ALLOWLIST_ERR,
// status 403, "URL not included in the external fetch backend permissions:
// <url>. Visit go.atlassian.com/forge-egress …"). Whether a URL is allowed is
// decided by @forge/api's own `permissions.canFetchFrom('backend', url)` over
// the permissions the runtime grants the invocation, i.e. Atlassian's matcher
// (@forge/egress): https only unless an entry names another scheme, and a
// wildcard covers subdomains, never its parent. Forge's runtime does not
// speak plain http to partners at all (ECO-876), which that matcher gives too.
//
// The one exception is local: a runtime's own web triggers
// (`<baseUrl>/<site>/x/<key>`, answered in-process) stand in for Forge's web
// trigger domains, so they are reachable even over http. Any other path of a
// runtime (`/blue/rest/api/3/…`), any other host, and http anywhere else are
// refused. Outside invocations (tests, the CLI) nothing is checked.

/** A runtime in this process that answers requests for `base` itself. */
export interface LocalOrigin {
  /** e.g. `http://localhost:8080`, no trailing slash. */
  base: string;
  handle(request: Request): Promise<Response>;
  servesWebTrigger(siteName: string, key: string): boolean;
}

const origins = new Map<string, LocalOrigin>();
/** The fetch that leaves the process: whatever `globalThis.fetch` was before installation. */
let outside: typeof fetch | undefined;

const MAX_REDIRECTS = 20;

/** Patch `globalThis.fetch` once per process, before @forge/api is imported. */
export function installOutboundFetch(): void {
  if (outside) return;
  outside = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => route(new Request(input, init))) as typeof fetch;
}

/** Serve `origin.base` in-process until the returned function is called. */
export function registerLocalOrigin(origin: LocalOrigin): () => void {
  origins.set(origin.base, origin);
  return () => {
    if (origins.get(origin.base) === origin) origins.delete(origin.base);
  };
}

function originOf(url: string): LocalOrigin | undefined {
  for (const [base, origin] of origins) if (url.startsWith(`${base}/`)) return origin;
  return undefined;
}

/** The runtime serving `url` when it is exactly one of its web triggers (a query string is fine). */
function webTriggerOrigin(url: string): LocalOrigin | undefined {
  const origin = originOf(url);
  if (!origin || !URL.canParse(url)) return undefined;
  const rest = new URL(url).pathname.slice(new URL(origin.base).pathname.replace(/\/$/, '').length);
  const match = /^\/([^/]+)\/x\/([^/]+)\/?$/.exec(rest);
  return match && origin.servesWebTrigger(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)) ? origin : undefined;
}

/** What the local runtime tells the core: its own web triggers are the only partner URLs allowed over http. */
export const localPartnerUrls: PartnerUrlPolicy = {
  isSandboxLoopback: (url) => webTriggerOrigin(url) !== undefined,
  // The emulated sites live under the runtime's own base (`<base>/<site>`); nothing else over http is a site.
  isSandboxSite: (url) => originOf(`${url.replace(/\/+$/, '')}/`) !== undefined,
};

async function route(request: Request): Promise<Response> {
  // Counted for the site whose invocation is fetching (usage counters); nothing outside an invocation.
  countOutboundFetch();
  const scope = currentInvocation();
  if (!scope) return originOf(request.url)?.handle(request) ?? outside!(request);
  // A function Forge has stopped reaches nothing any more.
  refuseIfEnded(scope);
  const overLimit = overFetchAllowance(scope);
  if (overLimit) return overLimit;
  const own = webTriggerOrigin(request.url);
  // The web trigger's own invocation does the work: this one waits on it.
  if (own) return asWaiting(own.handle(request));
  await refuseUnlessEgressAllowed(request.url);
  return fetchOutside(request);
}

/**
 * Forge allows an invocation 100 egress fetches per started minute of its timeout
 * (https://developer.atlassian.com/platform/forge/limits-invocation/; `requestJira` is not egress and
 * is not counted). The one over it is answered, not thrown: 429 with `forge-proxy-error:
 * FETCH_LIMIT_EXCEEDED`, as partners report Forge answering it (ECO-491).
 */
function overFetchAllowance(scope: InvocationScope): Response | undefined {
  scope.fetches++;
  if (scope.backend.limitsEnforced === false) return undefined;
  const allowance = FORGE_LIMITS.invocations.fetchesPerRuntimeMinute * Math.ceil(scope.timeoutMs / 60_000);
  if (scope.fetches <= allowance) return undefined;
  countLimitHit(scope.backend, 'invocations.fetchesPerRuntimeMinute');
  return new Response(null, { status: 429, statusText: 'Too Many Requests', headers: { 'forge-proxy-error': 'FETCH_LIMIT_EXCEEDED' } });
}

async function refuseUnlessEgressAllowed(url: string): Promise<void> {
  // Loaded on use: importing @forge/api before the patch above would capture the unpatched fetch.
  (await import('../../forge/egress')).refuseUnlessEgressAllowed(url);
}

/**
 * Out to the network. Redirects are followed here rather than by the underlying fetch, so each hop is held
 * to the egress list too (Forge counts a redirect to another domain as egress).
 */
async function fetchOutside(request: Request): Promise<Response> {
  let url = request.url;
  let method = request.method;
  let body: ArrayBuffer | null = method === 'GET' || method === 'HEAD' ? null : await request.arrayBuffer();
  for (let hop = 0; ; hop++) {
    const response = await outside!(new Request(url, { method, headers: request.headers, body, redirect: 'manual', signal: request.signal }));
    const location = response.headers.get('location');
    if (request.redirect !== 'follow' || response.status < 300 || response.status > 399 || !location) return response;
    if (hop >= MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects');
    url = new URL(location, url).toString();
    await refuseUnlessEgressAllowed(url);
    // 307 and 308 repeat the request as it was; the others turn it into a GET without a body (the fetch standard).
    if (response.status !== 307 && response.status !== 308) {
      method = 'GET';
      body = null;
    }
  }
}
