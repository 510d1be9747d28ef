// The only things the core needs from the world. The core (domain, rules, sync,
// connections, transport, triggers, jira) imports this file and nothing from
// @forge/* or src/local; src/forge/ implements these ports over the real SDKs.

/** Forge KVS limits, mirrored so the core fails the same way everywhere. */
export const KVS_LIMITS = {
  maxKeyLength: 500,
  keyPattern: /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/,
  maxValueBytes: 240 * 1024,
  maxDepth: 31,
  maxQueryLimit: 100,
  maxTransactionOps: 25,
  maxBatchKeys: 25,
} as const;

export interface KvsEntry<T = unknown> {
  key: string;
  value: T;
}

export interface KvsPage<T = unknown> {
  results: KvsEntry<T>[];
  /** Present when more results follow; pass it back as `cursor`. Never store it. */
  nextCursor?: string;
}

/** Forge KVS set options the core uses. */
export interface KvsSetOptions {
  /**
   * The key expires by itself this many seconds after the write (Forge KVS `ttl` on set; at most a year).
   * Forge may delete it up to 48 hours late and reads may still see it meanwhile, so the core never relies
   * on an expired key being gone, only on it not living for ever.
   */
  ttlSeconds?: number;
}

export type KvsTransactionOp =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'delete'; key: string };

/**
 * Key-value storage with prefix queries (the Forge KVS model). Values come back
 * as `unknown`: the core reads every record through its schema
 * (src/domain/stored-record.ts), never by a cast.
 */
export interface Kvs {
  get(key: string): Promise<unknown>;
  /** A write without `ttlSeconds` makes the key permanent again, as on Forge. */
  set(key: string, value: unknown, options?: KvsSetOptions): Promise<void>;
  /** Writes only when the key is absent (Forge's `keyPolicy: FAIL_IF_EXISTS`); false when it existed. */
  setIfAbsent(key: string, value: unknown, options?: KvsSetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, in key order, at most `limit` (≤ 100) per page. */
  query(prefix: string, options?: { limit?: number; cursor?: string }): Promise<KvsPage>;
  /** All-or-nothing, at most 25 operations. */
  transact(ops: KvsTransactionOp[]): Promise<void>;
  getSecret(key: string): Promise<unknown>;
  setSecret(key: string, value: unknown): Promise<void>;
  deleteSecret(key: string): Promise<void>;
}

export interface QueueEvent {
  body: Record<string, unknown>;
  /** Up to 900 seconds. */
  delayInSeconds?: number;
}

/** The async queue that feeds the app's consumer. At least once, unordered. */
export interface Queue {
  /** Any number of events: split into pushes Forge takes; a push refused for rate is kept and pushed later. */
  push(events: QueueEvent[]): Promise<{ jobId: string }>;
  /** Push again what Forge refused earlier (the scheduled maintenance calls it); how many pushes went. */
  flushDeferred?(): Promise<number>;
  /** The same, from a queue worker, when this container kept a push a minute ago or more; how many events went. */
  flushKeptIfDue?(): Promise<number>;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** For Jira: the REST path with query, e.g. `/rest/api/3/issue/UD-1?fields=summary`. */
  path: string;
  headers?: Record<string, string>;
  /** Multipart bodies are built by the caller (with their content-type header), so bytes suffice. */
  body?: string | Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
}

/** Jira REST as the app (`requestJira` via `asApp`) or on behalf of a user (`asUser`). */
export interface JiraHttp {
  request(request: HttpRequest, options?: { asUser?: string }): Promise<HttpResponse>;
}

/** Outbound calls to partners' web triggers. The core calls it only through `src/transport/partner-call.ts`. */
export interface PartnerHttp {
  /** `signal` aborts the call when the core stops waiting (its timeout); an adapter passes it on to the real fetch. */
  fetch(url: string, init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<HttpResponse>;
}

/**
 * Which partner URLs may be called over plain `http:`. Only a sandbox provides it, for the sites it serves
 * itself (the local runtime's own web triggers on `http://localhost:8080`); Forge's adapter does not, so on
 * Forge every `http:` partner URL is refused.
 */
export interface PartnerUrlPolicy {
  isSandboxLoopback(url: string): boolean;
  /** Whether `url` is one of the sandbox's own emulated Jira sites (their addresses are http too). */
  isSandboxSite?(url: string): boolean;
}

/** How much time the running invocation has left (Forge: the function's remaining time). */
export interface InvocationBudget {
  /** Milliseconds left, or undefined when the platform cannot tell. */
  remainingMs(): number | undefined;
}

export interface WebTriggerUrls {
  /** The stable URL of one of this app's web triggers on this installation. */
  getUrl(moduleKey: string): Promise<string>;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Random {
  bytes(length: number): Uint8Array;
  uuid(): string;
}

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Storage units and Jira calls this invocation has made, as the app itself can count them. */
export interface MeteredUsage {
  readUnits: number;
  writeUnits: number;
  jiraCalls: number;
}

/**
 * Counts an invocation's storage units and Jira calls in memory (Forge tells an app nothing of its usage), so
 * each sync statistic can carry what its invocation used without a storage call of its own.
 */
export interface UsageMeter {
  /** What was used since the last `take` (or the invocation's start), and starts counting afresh. */
  take(): MeteredUsage;
}

/** Where the app's own pages live on this site (they differ between Forge and the local runtime). */
export interface AppPages {
  /** The admin page at `route`, e.g. `connections`, as an absolute URL on `siteUrl`. */
  adminPageUrl(siteUrl: string, route: string): string;
}

/** Everything the core is given for one invocation on one installation. */
export interface Platform {
  kvs: Kvs;
  queue: Queue;
  jira: JiraHttp;
  partner: PartnerHttp;
  webTriggers: WebTriggerUrls;
  clock: Clock;
  random: Random;
  log: Log;
  /** Optional: without it the app cannot send a partner admin to its own accept page. */
  pages?: AppPages;
  /** Optional: without it outbound calls are capped per kind of call only. */
  invocation?: InvocationBudget;
  /**
   * Which installation this invocation serves. A warm container may serve several, and a connection's id is
   * the same on both of its sides, so what is held across invocations is held under it; absent, nothing is.
   */
  installation?: string;
  /** Optional: what this invocation has used of storage and Jira, for the per-connection statistics. */
  meter?: UsageMeter;
  /**
   * Optional: waits `ms` on the platform's clock (a long poll's pause between looks at the outbox). Without
   * it nothing waits: a long poll is answered at once.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Sandboxes only: see PartnerUrlPolicy. Absent on Forge. */
  partnerUrls?: PartnerUrlPolicy;
}
