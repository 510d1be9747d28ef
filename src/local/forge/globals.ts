import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

// The real Forge SDKs reach the platform only through two globals:
// `__forge_runtime__` (who and where this invocation is) and `__forge_fetch__`
// (every platform call). Here both are answered per invocation from an
// AsyncLocalStorage scope, so one process can host several installations
// the way Forge's multi-tenant functions do.

export interface ForgeTarget {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
}

/**
 * What the installed app was granted, as Forge hands it to the runtime (`appContext.permissions`):
 * `@forge/api`'s `permissions.canFetchFrom` reads it, and so does the local egress check.
 */
export interface GrantedPermissions {
  scopes: string[];
  /** The manifest's `permissions.external`, e.g. `{fetch: {backend: [{address: '*.webtrigger.atlassian.app'}]}}`. */
  external: Record<string, unknown>;
}

/** What an installation offers to the SDK calls made inside its invocations. */
export interface InstallationBackend {
  installationId: string;
  cloudId: string;
  appId: string;
  environmentId: string;
  /** Absent: nothing granted, so no egress at all. */
  permissions?: GrantedPermissions;
  fetchPlatform(target: ForgeTarget, path: string, init: RequestInit | undefined, scope: InvocationScope): Promise<Response>;
}

export interface InvocationScope {
  backend: InstallationBackend;
  moduleKey: string;
  invocationId: string;
  /** The person the invocation acts for, when there is one (resolvers, asUser). */
  accountId?: string;
  startedAt: number;
  timeoutMs: number;
}

const scopes = new AsyncLocalStorage<InvocationScope>();

/** The invocation the calling code runs in, if any (a fetch made by a handler runs inside its scope). */
export function currentInvocation(): InvocationScope | undefined {
  return scopes.getStore();
}

let installed = false;

/** Install the globals once per process, before any @forge/* module is imported. */
export function installForgeGlobals(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as Record<string, unknown>;
  Object.defineProperty(g, '__forge_runtime__', {
    configurable: true,
    get: () => {
      const scope = scopes.getStore();
      return scope ? runtimeFor(scope) : undefined;
    },
  });
  g.__forge_fetch__ = async (target: ForgeTarget, path: string, init?: RequestInit) => {
    const scope = scopes.getStore();
    if (!scope) throw new Error(`Forge platform call outside an invocation: ${target.type} ${path}`);
    return scope.backend.fetchPlatform(target, path, init, scope);
  };
}

/** Run `fn` as one Forge invocation of `moduleKey` on an installation. */
export function runInvocation<T>(
  backend: InstallationBackend,
  moduleKey: string,
  options: { accountId?: string; timeoutMs?: number },
  fn: () => Promise<T>,
): Promise<T> {
  const scope: InvocationScope = {
    backend,
    moduleKey,
    invocationId: randomUUID(),
    accountId: options.accountId,
    startedAt: Date.now(),
    timeoutMs: options.timeoutMs ?? 25_000,
  };
  return scopes.run(scope, fn);
}


const noopTimer = { measure: () => ({ stop: () => undefined }) };
const noopMetrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  timing: () => noopTimer,
  gauge: () => ({ set: () => undefined }),
};

function runtimeFor(scope: InvocationScope) {
  const { backend } = scope;
  return {
    appContext: {
      appId: backend.appId,
      environmentId: backend.environmentId,
      environmentType: 'DEVELOPMENT',
      appVersion: '1.0.0',
      invocationId: scope.invocationId,
      installationId: backend.installationId,
      moduleKey: scope.moduleKey,
      permissions: backend.permissions ?? { scopes: [], external: {} },
    },
    contextAri: `ari:cloud:jira::site/${backend.cloudId}`,
    lambdaContext: { getRemainingTimeInMillis: () => Math.max(0, scope.startedAt + scope.timeoutMs - Date.now()) },
    metrics: noopMetrics,
    tracing: { traceId: scope.invocationId, spanId: scope.invocationId.slice(0, 16) },
    proxy: { token: 'local', url: 'local' },
    externalAuth: [],
  };
}
