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
  /** Whether Forge's rate limits hold for this installation (absent: they do). */
  limitsEnforced?: boolean;
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
  /**
   * The invocation that started this chain (itself, unless a queued event it pushed, or one pushed
   * further down, started this one): Forge's cyclic-invocation limit counts pushes per chain.
   */
  chainId: string;
  /** The clock the deadline is read on (the runtime's injected clock). */
  now: () => number;
  /**
   * Time this invocation is taken to have spent beyond what the clock shows: a test's way of making one
   * invocation run "long" (a slow call) without moving everyone's clock.
   */
  lateByMs: number;
  /** Set once the runtime ended the invocation: from then on every platform call it makes is refused. */
  ended: boolean;
  /** Egress fetches made so far (held to Forge's per-runtime-minute allowance). */
  fetches: number;
  /**
   * Waits in progress that only the clock ends: its sleeps, and its calls to this process's own web triggers
   * (whose invocation is itself running, and is judged on its own). While every running invocation waits,
   * nothing but a move of the clock can change anything.
   */
  waits: number;
}

/** How long an invocation has run, as its deadline sees it. */
export function elapsedMs(scope: InvocationScope): number {
  return scope.now() - scope.startedAt + scope.lateByMs;
}

/** Forge stopped the function at its time limit: its writes so far stay, its answer is lost. */
export class InvocationTimeoutError extends Error {
  constructor(
    readonly moduleKey: string,
    readonly timeoutMs: number,
  ) {
    super(`The function of ${moduleKey} timed out after ${timeoutMs / 1000} s; Forge stopped it.`);
    this.name = 'InvocationTimeoutError';
  }
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
    refuseIfEnded(scope);
    return scope.backend.fetchPlatform(target, path, init, scope);
  };
}

/** An invocation the runtime may still have to stop. */
interface Running {
  scope: InvocationScope;
  stop(): void;
}

const running = new Set<Running>();

/**
 * Run `fn` as one Forge invocation of `moduleKey` on an installation, held to `timeoutMs` as Forge holds
 * it: once over, the invocation is ended (the promise rejects with InvocationTimeoutError; whatever
 * the handler still tries on the platform is refused), and an answer that comes back too late is lost.
 */
export function runInvocation<T>(
  backend: InstallationBackend,
  moduleKey: string,
  options: { accountId?: string; timeoutMs?: number; chainId?: string; now?: () => number },
  fn: () => Promise<T>,
): Promise<T> {
  const now = options.now ?? (() => Date.now());
  const invocationId = randomUUID();
  const scope: InvocationScope = {
    backend,
    moduleKey,
    invocationId,
    accountId: options.accountId,
    startedAt: now(),
    timeoutMs: options.timeoutMs ?? 25_000,
    chainId: options.chainId ?? invocationId,
    now,
    lateByMs: 0,
    ended: false,
    fetches: 0,
    waits: 0,
  };
  return new Promise<T>((resolve, reject) => {
    const entry: Running = {
      scope,
      stop: () => {
        running.delete(entry);
        scope.ended = true;
        reject(new InvocationTimeoutError(moduleKey, scope.timeoutMs));
      },
    };
    running.add(entry);
    scopes.run(scope, fn).then(
      (value) => {
        if (!running.has(entry)) return;
        if (elapsedMs(scope) > scope.timeoutMs) return entry.stop();
        running.delete(entry);
        scope.ended = true;
        resolve(value);
      },
      (error: unknown) => {
        if (!running.has(entry)) return;
        running.delete(entry);
        scope.ended = true;
        reject(error);
      },
    );
  });
}

/** Throws for a call from an invocation that is over its time (ending it now) or already ended. */
export function refuseIfEnded(scope: InvocationScope): void {
  if (!scope.ended && elapsedMs(scope) > scope.timeoutMs) {
    for (const entry of running) if (entry.scope === scope) entry.stop();
    scope.ended = true;
  }
  if (scope.ended) throw new InvocationTimeoutError(scope.moduleKey, scope.timeoutMs);
}

/**
 * End every invocation that is past its deadline on its clock, as Forge's runtime would without being
 * asked (an invocation stuck awaiting something makes no platform call that could notice). The local
 * runtime calls this as it pumps; returns how many were ended.
 */
export function endOverdueInvocations(): number {
  let ended = 0;
  for (const entry of [...running]) {
    if (elapsedMs(entry.scope) > entry.scope.timeoutMs) {
      entry.stop();
      ended++;
    }
  }
  return ended;
}

/** `wait` counted as one of the current invocation's waits (see `InvocationScope.waits`) while it lasts. */
export async function asWaiting<T>(wait: Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  if (!scope) return wait;
  scope.waits++;
  try {
    return await wait;
  } finally {
    scope.waits--;
  }
}

/** Whether every running invocation of `backends` waits on the clock (none runs: true). */
export function everyInvocationWaits(backends: (backend: InstallationBackend) => boolean): boolean {
  for (const entry of running) if (backends(entry.scope.backend) && entry.scope.waits === 0) return false;
  return true;
}

/** The invocations running now (read-only use: tests and hooks pick one to make "slow"). */
export function runningInvocations(): InvocationScope[] {
  return [...running].map((entry) => entry.scope);
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
    lambdaContext: { getRemainingTimeInMillis: () => Math.max(0, scope.timeoutMs - elapsedMs(scope)) },
    metrics: noopMetrics,
    tracing: { traceId: scope.invocationId, spanId: scope.invocationId.slice(0, 16) },
    proxy: { token: 'local', url: 'local' },
    externalAuth: [],
  };
}
