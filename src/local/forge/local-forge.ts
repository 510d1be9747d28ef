import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Caller, JiraSite, ProductEvent } from '../contracts';
import { asWaiting, endOverdueInvocations, everyInvocationWaits, InvocationTimeoutError, refuseIfEnded, runInvocation, type ForgeTarget, type InstallationBackend, type InvocationScope } from './globals';
import { InvocationRateLimitError, InvocationRates } from './invocation-rates';
import { FORGE_LIMITS } from './limits';
import { PushLimits, PushRequestSchema } from './push-limits';
import type { AppManifest } from './manifest';
import { LocalKvsStore } from './kvs-store';
import { LatencyProfile } from './latency-profile';
import { LocalQueueStore, type StoredEvent } from './queue-store';
import { attachUsage, SiteUsage, type InvocationKind, type UsageSnapshot } from './usage';
import { immediateDelivery, type ProductEventDelivery } from './product-event-delivery';

// The Forge platform for the app installed on each emulated site: storage,
// the async queue, product-event triggers, scheduled triggers, web triggers
// and resolvers, all driving the handlers that manifest.yml names.

/** The handlers module (src/index.ts), loaded after the Forge globals exist. */
export type AppModule = Record<string, unknown>;
type Handler = (...args: unknown[]) => Promise<unknown>;

/** Internal queue for product events, so triggers run asynchronously and survive restarts. */
export const PRODUCT_EVENTS_QUEUE = '__product_events__';
const SCHEDULED_QUEUE = '__scheduled__';

/**
 * Forge's time limits (https://developer.atlassian.com/platform/forge/limits-invocation/): 25 s for
 * resolvers and product-event triggers, 55 s for a web trigger; consumers and scheduled triggers what
 * their function declares (`timeoutSeconds`, 55 s when it declares none, 900 s at most).
 */
const INV = FORGE_LIMITS.invocations;
const RESOLVER_TIMEOUT_MS = INV.resolverSeconds * 1000;
const TRIGGER_TIMEOUT_MS = INV.triggerSeconds * 1000;
const WEB_TRIGGER_TIMEOUT_MS = INV.webTriggerSeconds * 1000;

/** A web trigger whose function ran over its time answers 424 Failed Dependency on Forge (ECO-75). */
const WEB_TRIGGER_TIMED_OUT = 424;

export interface WebTriggerCall {
  method: string;
  headers: Record<string, string[]>;
  body: string;
  path: string;
  queryParameters: Record<string, string[]>;
}

export interface Installation extends InstallationBackend {
  site: JiraSite;
  /** What this installation has used of the platform (GET /<site>/_local/usage). */
  usage: SiteUsage;
}

export interface LocalForgeOptions {
  db: Database.Database;
  manifest: AppManifest;
  app: AppModule;
  /** Absolute base of this runtime's HTTP server, e.g. `http://localhost:8080`. */
  baseUrl: string;
  sites: JiraSite[];
  /** Lease for a taken queue event; a crashed consumer's event is redelivered after it. */
  leaseMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Enforce Forge's rate limits (default). Off is for debugging only: the app would be refused on Forge. */
  limits?: boolean;
  /** The clock the limit windows and storage TTLs read (default: Date.now), so tests can drive them. */
  now?: () => number;
  /** How long the platform takes per operation (default: the local profile, no delay at all). */
  latency?: LatencyProfile;
  /** When product events arrive after their change (default: at once); see product-event-delivery.ts. */
  productEventDelivery?: ProductEventDelivery;
}

export class LocalForge {
  readonly kvs: LocalKvsStore;
  readonly queue: LocalQueueStore;
  private readonly installations = new Map<string, Installation>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly leaseMs: number;
  private readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /** Invocations in flight, so `settle()` can wait for work started outside it. */
  private inFlight = 0;
  /** Installations the app was uninstalled from (kept in SQLite, so a restart does not bring the app back). */
  private readonly uninstalled = new Set<string>();

  /** Invocations waiting on the runtime's clock (`sleep`), woken once it reads their time. */
  private sleepers: { at: number; wake: () => void }[] = [];
  private readonly sleepTimers = new Set<ReturnType<typeof setTimeout>>();
  /** Rises with every platform call and invocation start or end: `settle` tells a runtime waiting on the clock from one at work. */
  private progress = 0;

  /** Whether Forge's rate limits are enforced; size and shape limits always are. */
  readonly limitsEnforced: boolean;
  private readonly clock: () => number;
  /** Per-installation push windows; public so a fault scenario can start with a minute already used up. */
  readonly pushLimits = new PushLimits();
  private readonly invocationRates = new InvocationRates();
  /**
   * Called before each platform call an invocation makes (storage, Jira, the queue), with its scope: a
   * test's hook to make one invocation run "long" (raise `scope.lateByMs`) at a chosen point.
   */
  onPlatformCall: ((scope: InvocationScope, target: ForgeTarget, path: string) => void) | undefined;
  /** The delays the platform adds at its boundary (`--profile`). */
  readonly latency: LatencyProfile;
  /**
   * When product events are delivered after their change; a scenario may change it as it goes. Default: at
   * once, or under the Forge latency profile its product-event distribution.
   */
  productEventDelivery: ProductEventDelivery;

  constructor(private readonly options: LocalForgeOptions) {
    this.limitsEnforced = options.limits !== false;
    this.latency = options.latency ?? new LatencyProfile('local');
    const latency = this.latency;
    this.productEventDelivery =
      options.productEventDelivery ?? (latency.name === 'forge' ? { delayMs: () => latency.sample('productEvent') } : immediateDelivery);
    const now = options.now ?? (() => Date.now());
    this.clock = now;
    this.kvs = new LocalKvsStore(options.db, {
      now,
      enforceRates: this.limitsEnforced,
      usage: (installationId) => this.byInstallationId(installationId)?.usage,
    });
    this.queue = new LocalQueueStore(options.db);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.log = options.log ?? (() => undefined);
    options.db.exec('CREATE TABLE IF NOT EXISTS forge_uninstalled (installation TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    for (const row of options.db.prepare('SELECT installation FROM forge_uninstalled').all() as { installation: string }[]) this.uninstalled.add(row.installation);
    for (const site of options.sites) {
      const installation = this.install(site);
      this.installations.set(site.name, installation);
      this.unsubscribe.push(site.onEvent((event) => this.enqueueProductEvent(installation, event)));
    }
  }

  installation(siteName: string): Installation {
    const found = this.installations.get(siteName);
    if (!found) throw new Error(`No app installation on site "${siteName}"`);
    return found;
  }

  isInstalled(siteName: string): boolean {
    return !this.uninstalled.has(this.installation(siteName).installationId);
  }

  /**
   * Uninstall the app from a site, as an admin does under Manage apps: Forge runs the manifest's
   * `preUninstall` functions once (no user, 55 s, a failure is only logged and the uninstall goes
   * on), then the app is gone from the site: no web triggers, resolvers, events or queued work. Its
   * storage stays where it is, unread, as Forge keeps it for recovery before deleting it.
   */
  async uninstall(siteName: string): Promise<void> {
    const installation = this.installation(siteName);
    if (this.uninstalled.has(installation.installationId)) return;
    const context = { installContext: `ari:cloud:jira::site/${installation.cloudId}`, principal: undefined };
    for (const module of this.options.manifest.preUninstall) {
      const payload = { context: { cloudId: installation.cloudId, moduleKey: module.key }, contextToken: 'local-pre-uninstall' };
      await this.invoke(installation, module.key, module.function, [payload, context], undefined, 55_000).catch((e) =>
        this.log('pre-uninstall function failed; the uninstall goes on', { module: module.key, error: String(e) }),
      );
    }
    this.options.db.prepare('INSERT OR IGNORE INTO forge_uninstalled (installation, at) VALUES (?, ?)').run(installation.installationId, Date.now());
    this.uninstalled.add(installation.installationId);
  }

  get siteNames(): string[] {
    return [...this.installations.keys()];
  }

  /** The site's usage counters since start or the last reset. */
  usage(siteName: string): UsageSnapshot {
    return this.installation(siteName).usage.snapshot(this.limitsEnforced);
  }

  resetUsage(siteName: string): void {
    this.installation(siteName).usage.reset();
  }

  private byInstallationId(installationId: string): Installation | undefined {
    for (const installation of this.installations.values()) if (installation.installationId === installationId) return installation;
    return undefined;
  }

  webTriggerUrl(siteName: string, key: string): string {
    return `${this.options.baseUrl}/${siteName}/x/${key}`;
  }

  /** Whether `<baseUrl>/<siteName>/x/<key>` is one of this runtime's web triggers. */
  servesWebTrigger(siteName: string, key: string): boolean {
    return this.installations.has(siteName) && this.options.manifest.webTriggers.some((w) => w.key === key);
  }

  private install(site: JiraSite): Installation {
    const installation: Installation = {
      site,
      installationId: `local-${site.name}`,
      cloudId: site.cloudId,
      appId: this.options.manifest.appId.replace(/^ari:cloud:ecosystem::app\//, ''),
      environmentId: 'local',
      permissions: this.options.manifest.permissions,
      limitsEnforced: this.limitsEnforced,
      fetchPlatform: (target, path, init, scope) => this.fetchPlatform(installation, target, path, init, scope),
      usage: new SiteUsage(site.name, site.counters, this.options.now ?? (() => Date.now())),
    };
    attachUsage(installation, installation.usage);
    return installation;
  }

  // ---- what the SDKs call -------------------------------------------------

  private async fetchPlatform(
    installation: Installation,
    target: ForgeTarget,
    path: string,
    init: RequestInit | undefined,
    scope: InvocationScope,
  ): Promise<Response> {
    this.progress++;
    if (this.onPlatformCall) {
      this.onPlatformCall(scope, target, path);
      // The call that made it late is itself past the deadline: Forge had stopped the function by then.
      refuseIfEnded(scope);
    }
    if (target.type === 'kvs') {
      await this.latency.delay('storage');
      return this.kvs.handle(installation.installationId, path, init);
    }
    if (target.type === 'fpp' && target.remote === 'jira') {
      const caller: Caller =
        target.provider === 'user' ? { kind: 'user', accountId: target.accountId ?? scope.accountId ?? installation.site.adminAccountId } : { kind: 'app' };
      // The site answers paths relative to itself (`/rest/api/3/…`), on any origin.
      const url = new URL(path, installation.site.baseUrl).toString();
      await this.latency.delay('jira');
      // Held to Jira's rate limits (the site's ./jira/limits/); a refusal is counted as a limit hit.
      return installation.site.handle(new Request(url, init as RequestInit), caller, { onLimitHit: (limit) => installation.usage.limitHit(limit) });
    }
    if (target.type === 'fpp' && target.remote === 'stargate') return this.stargate(installation, path, init, scope);
    return new Response(JSON.stringify({ message: `The local runtime does not emulate ${target.type}/${target.remote}` }), {
      status: 501,
      headers: { 'forge-proxy-error': 'UNSUPPORTED' },
    });
  }

  /** Atlassian's GraphQL gateway and the queue webhooks, as far as the SDKs use them. */
  private async stargate(installation: Installation, path: string, init: RequestInit | undefined, scope: InvocationScope): Promise<Response> {
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    if (path === '/graphql') {
      const query = String(body.query ?? '');
      const variables = (body.variables ?? {}) as { input?: { triggerKey?: string } };
      if (query.includes('createWebTriggerUrl')) {
        const key = variables.input?.triggerKey ?? '';
        if (!this.options.manifest.webTriggers.some((w) => w.key === key)) {
          return Response.json({ errors: [{ message: `No web trigger with key ${key}` }] });
        }
        return Response.json({ data: { createWebTriggerUrl: { url: this.webTriggerUrl(installation.site.name, key) } } });
      }
      if (query.includes('webTriggerUrlsByAppContext')) {
        const urls = this.options.manifest.webTriggers.map((w) => ({ triggerKey: w.key, url: this.webTriggerUrl(installation.site.name, w.key) }));
        return Response.json({ data: { webTriggerUrlsByAppContext: urls } });
      }
      return Response.json({ errors: [{ message: 'The local runtime does not emulate this GraphQL operation' }] });
    }
    if (path.startsWith('/webhook/queue/publish/')) return this.publish(installation, body, scope);
    if (path.startsWith('/webhook/queue/stats/')) {
      const stats = this.queue.stats(String(body.jobId));
      return stats ? Response.json(stats) : new Response(null, { status: 404 });
    }
    if (path.startsWith('/webhook/queue/cancel/')) {
      return new Response(null, { status: this.queue.cancel(String(body.jobId)) ? 204 : 404 });
    }
    return Response.json({ message: `The local runtime does not emulate ${path}` }, { status: 501 });
  }

  /** `Queue.push`: held to Forge's async-events limits (./push-limits.ts), then queued as one push of the caller's chain. */
  private publish(installation: Installation, raw: unknown, scope: InvocationScope): Response {
    const parsed = PushRequestSchema.safeParse(raw);
    if (!parsed.success) return Response.json({ message: `Not a push request: ${parsed.error.message}` }, { status: 400 });
    const request = parsed.data;
    const consumer = this.options.manifest.consumers.find((c) => c.queue === request.queueName);
    if (!consumer) return Response.json({ message: `No consumer for queue ${request.queueName}` }, { status: 400 });
    const now = this.clock();
    const refusal = this.pushLimits.check(installation.installationId, now, request, {
      consumerSeconds: this.consumerTimeoutMs(consumer.function) / 1000,
      chainPushes: this.queue.chainPushes(scope.chainId),
      enforceRates: this.limitsEnforced,
    });
    if (refusal) {
      installation.usage.limitHit(refusal.limit);
      // @forge/events reads `errorMessage` of a 413 and `message` of other errors; 429 and 405 it names itself.
      return Response.json({ errorMessage: refusal.message, message: refusal.message, code: refusal.limit }, { status: refusal.status });
    }
    const events = request.payload.map((e) => ({ eventId: randomUUID(), body: e.body, deliverAt: Date.now() + (e.delayInSeconds ?? 0) * 1000 + this.latency.sample('queuePickup') }));
    this.queue.push(installation.installationId, request.queueName, request.jobId, events, scope.chainId);
    this.pushLimits.commit(installation.installationId, now, events.length);
    installation.usage.eventsPushed(events.length);
    this.wake();
    return new Response(null, { status: 201 });
  }

  /** The time limit of whatever takes events of `queue`. */
  private timeoutForQueue(queue: string): number {
    if (queue === PRODUCT_EVENTS_QUEUE) return TRIGGER_TIMEOUT_MS;
    if (queue === SCHEDULED_QUEUE) return Math.max(0, ...this.options.manifest.scheduledTriggers.map((t) => this.consumerTimeoutMs(t.function)));
    const consumer = this.options.manifest.consumers.find((c) => c.queue === queue);
    return consumer ? this.consumerTimeoutMs(consumer.function) : 0;
  }

  /** A consumer's or scheduled trigger's time: what its function declares, else 55 s; never over 900 s. */
  private consumerTimeoutMs(functionKey: string): number {
    const declared = this.options.manifest.timeoutSeconds[functionKey] ?? INV.defaultTimeoutSeconds;
    return Math.min(declared, INV.maxTimeoutSeconds) * 1000;
  }

  // ---- invoking the app -----------------------------------------------------

  private handler(functionKey: string): Handler {
    const exportName = this.options.manifest.handlers[functionKey];
    const fn = exportName ? this.options.app[exportName] : undefined;
    if (typeof fn !== 'function') throw new Error(`manifest.yml names function ${functionKey} (${exportName}) but src/index.ts does not export it`);
    return fn as Handler;
  }

  private async invoke<T>(installation: Installation, moduleKey: string, functionKey: string, args: unknown[], accountId?: string, timeoutMs?: number, chainId?: string): Promise<T> {
    installation.usage.invocation(this.invocationKind(moduleKey));
    this.inFlight++;
    this.progress++;
    const started = Date.now();
    try {
      return (await runInvocation(installation, moduleKey, { accountId, timeoutMs, chainId, now: this.clock }, () => this.handler(functionKey)(...args))) as T;
    } catch (e) {
      if (e instanceof InvocationTimeoutError) {
        installation.usage.limitHit(this.timeLimitName(moduleKey));
        this.log('invocation stopped at its time limit', { module: moduleKey, timeoutSeconds: e.timeoutMs / 1000 });
      }
      throw e;
    } finally {
      installation.usage.invocationTime(Date.now() - started);
      this.inFlight--;
      this.progress++;
    }
  }

  /** Which row of the limits table ended an invocation of `moduleKey`. */
  private timeLimitName(moduleKey: string) {
    switch (this.invocationKind(moduleKey)) {
      case 'resolver':
        return 'invocations.resolverSeconds' as const;
      case 'webtrigger':
        return 'invocations.webTriggerSeconds' as const;
      case 'trigger':
        return 'invocations.triggerSeconds' as const;
      default:
        return 'invocations.maxTimeoutSeconds' as const;
    }
  }

  /** The usage counters' name for the kind of module `moduleKey` is in manifest.yml. */
  private invocationKind(moduleKey: string): InvocationKind {
    const m = this.options.manifest;
    if (moduleKey in m.uiModules) return 'resolver';
    if (m.webTriggers.some((w) => w.key === moduleKey)) return 'webtrigger';
    if (m.triggers.some((t) => t.key === moduleKey)) return 'trigger';
    if (m.scheduledTriggers.some((t) => t.key === moduleKey)) return 'scheduled';
    if (m.consumers.some((c) => c.key === moduleKey)) return 'consumer';
    return moduleKey;
  }

  /** A resolver call from a UI module, as `@forge/bridge`'s invoke makes it. */
  async invokeResolver(siteName: string, request: { moduleKey: string; key: string; payload: unknown; accountId?: string; extension?: Record<string, unknown> }): Promise<unknown> {
    const installation = this.installation(siteName);
    if (this.uninstalled.has(installation.installationId)) throw new NotInstalledError(siteName);
    const functionKey = this.options.manifest.uiModules[request.moduleKey];
    if (!functionKey) throw new UnknownModuleError(request.moduleKey);
    const accountId = request.accountId ?? installation.site.adminAccountId;
    // User-led: held to Forge's invocation rates before anything runs (a refused call is not invoked).
    if (this.limitsEnforced) {
      try {
        this.invocationRates.admit(installation.installationId, accountId, this.clock());
      } catch (e) {
        if (e instanceof InvocationRateLimitError) installation.usage.limitHit(e.limit);
        throw e;
      }
    }
    const context = {
      accountId,
      cloudId: installation.cloudId,
      siteUrl: installation.site.baseUrl,
      moduleKey: request.moduleKey,
      localId: `${request.moduleKey}-local`,
      environmentId: installation.environmentId,
      environmentType: 'DEVELOPMENT',
      extension: request.extension ?? {},
    };
    return this.invoke(
      installation,
      request.moduleKey,
      functionKey,
      [{ call: { functionKey: request.key, payload: request.payload }, context }, { principal: { accountId }, installContext: `ari:cloud:jira::site/${installation.cloudId}` }],
      accountId,
      RESOLVER_TIMEOUT_MS,
    );
  }

  /** A request to one of the app's web triggers. */
  async invokeWebTrigger(siteName: string, key: string, request: WebTriggerCall): Promise<{ statusCode: number; headers?: Record<string, string[]>; body?: string }> {
    const installation = this.installation(siteName);
    const trigger = this.options.manifest.webTriggers.find((w) => w.key === key);
    if (!trigger || this.uninstalled.has(installation.installationId)) return { statusCode: 404, body: JSON.stringify({ error: `No web trigger "${key}"` }) };
    // The way in over Forge's HTTPS ingress, paid by whoever calls (the partner's invocation waits for it).
    await this.latency.delay('webTrigger');
    const context = { installContext: `ari:cloud:jira::site/${installation.cloudId}`, workspaceId: installation.cloudId };
    // Forge's payload limit holds a web trigger's request and its answer (docs/forge-limits.md: "chosen").
    if (Buffer.byteLength(request.body) > INV.webTriggerRequestMaxBytes) {
      installation.usage.limitHit('invocations.webTriggerRequestMaxBytes');
      return { statusCode: 413, body: JSON.stringify({ error: `The request is over the ${INV.webTriggerRequestMaxBytes} bytes a web trigger accepts` }) };
    }
    let response: { statusCode?: number; headers?: Record<string, string[]>; body?: string } | undefined;
    try {
      response = await this.invoke(installation, key, trigger.function, [request, context], undefined, WEB_TRIGGER_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof InvocationTimeoutError) return { statusCode: WEB_TRIGGER_TIMED_OUT, body: JSON.stringify({ error: 'Failed dependency: the function timed out' }) };
      throw e;
    }
    if (response?.body !== undefined && Buffer.byteLength(response.body) > INV.webTriggerResponseMaxBytes) {
      installation.usage.limitHit('invocations.webTriggerResponseMaxBytes');
      return { statusCode: 502, body: JSON.stringify({ error: `The function's answer is over the ${INV.webTriggerResponseMaxBytes} bytes a web trigger may return` }) };
    }
    return { statusCode: response?.statusCode ?? 204, headers: response?.headers, body: response?.body };
  }

  private enqueueProductEvent(installation: Installation, event: ProductEvent): void {
    if (this.uninstalled.has(installation.installationId)) return;
    const selfGenerated = event.actorAccountId === installation.site.appAccountId;
    // One delay per delivered event, whichever triggers take it: Forge may deliver it late, and so out of order.
    let deliverAt: number | undefined;
    for (const trigger of this.options.manifest.triggers) {
      if (!trigger.events.includes(event.eventType)) continue;
      // ignoreSelf: Forge does not deliver the app's own changes to this trigger at all.
      if (trigger.ignoreSelf && selfGenerated) continue;
      const body = { trigger: trigger.key, event: { ...event.payload, eventType: event.eventType, selfGenerated } };
      this.queue.push(installation.installationId, PRODUCT_EVENTS_QUEUE, randomUUID(), [{ eventId: randomUUID(), body, deliverAt: (deliverAt ??= Date.now() + this.productEventDelivery.delayMs(event.eventType)) }]);
    }
    this.wake();
  }

  /** Fire every scheduled trigger once on every installation (the platform does it on its interval). */
  fireScheduledTriggers(): void {
    // Keys whose TTL has passed are already invisible; this is when their rows are actually dropped.
    this.kvs.sweepExpired();
    for (const installation of this.installations.values()) {
      if (this.uninstalled.has(installation.installationId)) continue;
      for (const trigger of this.options.manifest.scheduledTriggers) {
        this.queue.push(installation.installationId, SCHEDULED_QUEUE, randomUUID(), [{ eventId: randomUUID(), body: { trigger: trigger.key }, deliverAt: Date.now() }]);
      }
    }
    this.wake();
  }

  private async deliver(event: StoredEvent): Promise<{ retryAfterMs?: number; error?: string }> {
    const installation = [...this.installations.values()].find((i) => i.installationId === event.installation);
    // An uninstalled app's queued work is dropped as it comes due.
    if (!installation || this.uninstalled.has(installation.installationId)) return {};
    const context = { installContext: `ari:cloud:jira::site/${installation.cloudId}` };
    if (event.queue === PRODUCT_EVENTS_QUEUE) {
      const trigger = this.options.manifest.triggers.find((t) => t.key === event.body.trigger);
      if (!trigger) return {};
      const eventPayload = { ...(event.body.event as Record<string, unknown>), context: { cloudId: installation.cloudId, moduleKey: trigger.key } };
      const result = await this.invoke(installation, trigger.key, trigger.function, [eventPayload, context], undefined, TRIGGER_TIMEOUT_MS);
      return retryRequested(result);
    }
    if (event.queue === SCHEDULED_QUEUE) {
      const trigger = this.options.manifest.scheduledTriggers.find((t) => t.key === event.body.trigger);
      if (!trigger) return {};
      // Scheduled triggers are not retried by the platform.
      await this.invoke(
        installation,
        trigger.key,
        trigger.function,
        [{ context: { cloudId: installation.cloudId, moduleKey: trigger.key } }, context],
        undefined,
        this.consumerTimeoutMs(trigger.function),
      )
        .catch((e) => this.log('scheduled trigger failed', { trigger: trigger.key, error: String(e) }));
      return {};
    }
    const consumer = this.options.manifest.consumers.find((c) => c.queue === event.queue);
    if (!consumer) return {};
    const asyncEvent = {
      body: event.body,
      jobId: event.jobId,
      eventId: event.eventId,
      queueName: event.queue,
      ...(event.attempts > 0 ? { retryContext: { retryCount: event.attempts, retryReason: 'FUNCTION_RETRY_REQUEST' } } : {}),
    };
    // The consumer's budget is what its function declares (manifest `timeoutSeconds`), as on Forge; the
    // events it pushes belong to the chain of the push that queued this one.
    const result = await this.invoke(installation, consumer.key, consumer.function, [asyncEvent, context], undefined, this.consumerTimeoutMs(consumer.function), event.chainId || undefined);
    return retryRequested(result);
  }

  // ---- the pump ---------------------------------------------------------------

  private waker: (() => void) | undefined;

  /** Let a waiting pump know that work arrived. */
  private wake(): void {
    this.waker?.();
  }

  /** Take and run due events once; returns how many ran. */
  async runDue(limit = 50, concurrency = 1): Promise<number> {
    const events = this.queue.take(Date.now(), limit, this.leaseMs);
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const event = events[next++]!;
        await this.runOne(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, worker));
    return events.length;
  }

  private async runOne(event: StoredEvent): Promise<void> {
    let outcome: { retryAfterMs?: number; error?: string };
    // Not taken again while its invocation may still be running (a consumer may run up to 900 s): a
    // crashed one's event comes back once that time is over, as Forge retries a timed-out invocation.
    this.queue.holdUntil(event, Date.now() + this.timeoutForQueue(event.queue) + this.leaseMs);
    try {
      outcome = await this.deliver(event);
    } catch (e) {
      outcome = { retryAfterMs: backoffMs(event.attempts), error: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    if (outcome.retryAfterMs === undefined) {
      this.queue.succeed(event);
      return;
    }
    const fate = this.queue.fail(event, Date.now(), outcome.retryAfterMs, outcome.error ?? 'retry requested');
    if (fate === 'dead') this.log('queue event given up after retries', { queue: event.queue, body: event.body, error: outcome.error });
  }

  /**
   * Run everything that is due, again and again, until nothing is due and no
   * invocation is in flight. Delayed events stay for later: tests move the
   * clock and settle again, so nothing races real time.
   */
  async settle(maxRounds = 10_000): Promise<void> {
    const watch = { seen: this.progress, quiet: 0 };
    for (let round = 0; round < maxRounds; round++) {
      // While an invocation sleeps, one event at a time: a batch would hold the events behind it.
      const ran = await this.unlessAsleep(this.runDue(this.sleepers.length > 0 ? 1 : 50), watch);
      // What still runs only waits on the clock (a long poll between looks at its outbox): the caller moves it.
      if (ran === 'asleep') return;
      if (ran === 0) {
        if (this.inFlight === 0) return;
        // Something still runs: if it is past its deadline on the clock, Forge would have stopped it.
        endOverdueInvocations();
        if ((await this.unlessAsleep(new Promise((resolve) => setImmediate(resolve)), watch)) === 'asleep') return;
      }
    }
    throw new Error(`The queue did not settle after ${maxRounds} rounds (a loop of work?): ${this.inFlight} invocations running, ${this.sleepers.length} asleep`);
  }

  /**
   * `work`'s result, or 'asleep' once every invocation still running waits on the clock: each sleeps or
   * waits on a web trigger of this runtime (`InvocationScope.waits`), and no platform call or invocation has
   * started or ended for SLEEP_QUIET_ROUNDS turns of the event loop. One still at work off the platform
   * (compiling the rules' WebAssembly, say) keeps `settle` waiting however long that takes. The work goes
   * on; the next `settle` after the clock moved wakes the sleepers.
   */
  private async unlessAsleep<T>(work: Promise<T>, watch: { seen: number; quiet: number }): Promise<T | 'asleep'> {
    let done = false;
    const finished = work.finally(() => {
      done = true;
    });
    finished.catch(() => undefined);
    for (;;) {
      await Promise.race([finished, new Promise((resolve) => setImmediate(resolve))]);
      if (this.wakeSleepers() > 0 || this.progress !== watch.seen) {
        watch.seen = this.progress;
        watch.quiet = 0;
      } else if (this.sleepers.length > 0 && everyInvocationWaits(this.isOwnInstallation)) {
        if (++watch.quiet >= SLEEP_QUIET_ROUNDS) return 'asleep';
      } else watch.quiet = 0;
      if (done) return finished;
    }
  }

  /**
   * Waits `ms` on the runtime's clock: the app's `sleep` (a long poll's pause). With a latency profile that
   * waits its own way (the bench's virtual clock), that way; else until the clock reads the time, which a
   * real-time timer checks and `settle` checks each round (tests move a fake clock, then settle).
   */
  sleep(ms: number): Promise<void> {
    if (this.latency.waitsItsOwnWay) return this.latency.wait(ms);
    return asWaiting(
      new Promise((wake) => {
        const sleeper = { at: this.clock() + ms, wake };
        this.sleepers.push(sleeper);
        // Held (not unref'd), so a script awaiting an invocation that waits keeps running; close() lets go.
        const timer = setTimeout(() => {
          this.sleepTimers.delete(timer);
          this.wakeSleepers();
        }, Math.max(0, ms));
        this.sleepTimers.add(timer);
      }),
    );
  }

  /** Whether an invocation's backend is one of this runtime's installations (the process may hold other runtimes). */
  private readonly isOwnInstallation = (backend: InstallationBackend): boolean => {
    for (const installation of this.installations.values()) if (installation === backend) return true;
    return false;
  };

  /**
   * Whether every invocation of this runtime now waits on the clock (a sleep, a latency delay, a call to
   * its own web trigger) rather than computing or awaiting something else: a driver of virtual time may
   * move the clock only then, or an invocation between two steps would be carried past its deadline.
   */
  everyInvocationWaits(): boolean {
    return everyInvocationWaits(this.isOwnInstallation);
  }

  /** Wakes the sleepers whose time the clock has reached; how many. */
  wakeSleepers(): number {
    const now = this.clock();
    const due = this.sleepers.filter((s) => s.at <= now);
    if (!due.length) return 0;
    this.sleepers = this.sleepers.filter((s) => s.at > now);
    for (const s of due) s.wake();
    return due.length;
  }

  /** When the earliest sleeper wakes, if any sleeps. */
  nextWakeAt(): number | undefined {
    let at: number | undefined;
    for (const s of this.sleepers) if (at === undefined || s.at < at) at = s.at;
    return at;
  }

  /** Real-time pump for `npm start`: runs due events as they become due. */
  startPump(options: { concurrency?: number; idleMs?: number } = {}): () => void {
    let stopped = false;
    // Invocations stuck past their deadline are ended even while the pump waits on them.
    const watchdog = setInterval(() => endOverdueInvocations(), 1_000);
    watchdog.unref?.();
    const loop = async () => {
      while (!stopped) {
        const ran = await this.runDue(50, options.concurrency ?? 2).catch((e) => {
          this.log('pump error', { error: String(e) });
          return 0;
        });
        if (ran > 0) continue;
        const nextAt = this.queue.nextDueAt();
        const wait = Math.max(5, Math.min(options.idleMs ?? 1_000, nextAt === undefined ? Infinity : nextAt - Date.now()));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.waker = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.waker = undefined;
      }
    };
    void loop();
    return () => {
      stopped = true;
      clearInterval(watchdog);
      this.wake();
    };
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of this.sleepTimers) clearTimeout(timer);
    this.sleepTimers.clear();
  }
}

/** Rounds of `settle` without a platform call, while invocations sleep, after which everything left waits on the clock. */
const SLEEP_QUIET_ROUNDS = 50;

export class NotInstalledError extends Error {
  constructor(readonly siteName: string) {
    super(`The app is not installed on site "${siteName}"`);
  }
}

export class UnknownModuleError extends Error {
  constructor(readonly moduleKey: string) {
    super(`No UI module "${moduleKey}" in manifest.yml`);
  }
}

/** Forge's InvocationError serialises to `{_retry: true, retryOptions: {retryAfter}}`. */
function retryRequested(result: unknown): { retryAfterMs?: number; error?: string } {
  const r = result as { _retry?: boolean; retryOptions?: { retryAfter?: number; retryReason?: string } } | undefined;
  if (r?._retry) return { retryAfterMs: (r.retryOptions?.retryAfter ?? 1) * 1000, error: r.retryOptions?.retryReason ?? 'retry requested' };
  return {};
}

function backoffMs(attempts: number): number {
  return Math.min(900_000, 1_000 * 2 ** attempts);
}
