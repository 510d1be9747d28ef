import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { Clock } from '../ports';
import type { JiraSite } from './contracts';
import { setSandboxPartnerUrls, setSandboxSleep } from '../forge/sandbox';
import { forgetWarmCopies } from '../forge/read-cache';
import { forgetKeptPushes } from '../forge/kept-pushes';
import { forgetEverythingHeld } from '../domain/held-across-invocations';
import { resetDataDir } from './data-dir';
import { installForgeGlobals } from './forge/globals';
import { LocalForge } from './forge/local-forge';
import { LatencyProfile, type LatencyProfileName, type LatencyProfileOptions } from './forge/latency-profile';
import type { ProductEventDelivery } from './forge/product-event-delivery';
import { readManifest } from './forge/manifest';
import { installOutboundFetch, localPartnerUrls, registerLocalOrigin } from './forge/outbound';
import { createServer } from './server';
import { openJiraSite } from './jira/site';
import { PointsQuota } from './jira/limits/quota';
import { renderHostPage } from './forge/host-page';
import { renderShell } from './shell';
import type { UsageSnapshot } from './forge/usage';

// One process, two (or more) emulated Jira Cloud sites, each with the app
// installed on a local Forge platform. Tests create it in-process and drive
// the queue by hand; `npm start` serves it over HTTP with a real-time pump.

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalRuntimeOptions {
  dataDir?: string;
  /** Start from the seed: remove this runtime's databases from `dataDir` (nothing else in it) first. */
  reset?: boolean;
  /**
   * Enforce Forge's limits (the default, as on Forge). `false` is for debugging
   * only and says so on the console: an app that passes without limits may
   * still be refused on Forge.
   */
  limits?: boolean;
  /** The clock the platform's limit windows and storage TTLs read (default: Date.now). */
  clock?: Clock;
  siteNames?: string[];
  /** Absolute URL the runtime is reached at; partner calls to its web triggers stay in-process. */
  baseUrl?: string;
  /** `local` (default): the platform answers at once. `forge`: Forge's latencies (src/local/forge/latency-profile.ts). */
  profile?: LatencyProfileName;
  /** Seed and clock of the Forge profile's delays (tests and the bench make them deterministic). */
  latency?: LatencyProfileOptions;
  /** When product events arrive after their change (default: at once; `lateDelivery` as Forge may). */
  productEventDelivery?: ProductEventDelivery;
}

export interface LocalRuntime {
  readonly baseUrl: string;
  readonly forge: LocalForge;
  readonly sites: Map<string, JiraSite>;
  readonly http: Hono;
  site(name: string): JiraSite;
  /** An HTTP request to the runtime, answered in-process. */
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  /** Run queued work until nothing is due. */
  settle(): Promise<void>;
  /** A site's platform usage since start or the last reset (what GET /<site>/_local/usage answers). */
  usage(site: string): UsageSnapshot;
  resetUsage(site: string): void;
  close(): void;
}

export async function createLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dataDir = resolve(options.dataDir ?? join(projectRoot, '.data'));
  const siteNames = options.siteNames ?? ['blue', 'green'];
  if (options.reset) resetDataDir(dataDir, siteNames);
  mkdirSync(dataDir, { recursive: true });
  if (options.limits === false) {
    console.warn('[forge] Forge limits are OFF (--no-limits): storage, event, invocation and Jira rate limits are not enforced. For debugging only: what works here may be refused on Forge.');
  }
  const baseUrl = (options.baseUrl ?? 'http://localhost:8080').replace(/\/$/, '');

  installForgeGlobals();
  // The sites' installation ids stay the same across data directories: nothing held from another one may carry over.
  forgetWarmCopies();
  forgetKeptPushes();
  forgetEverythingHeld();
  // Partner calls pass through the manifest's egress list; this runtime's own web triggers stand in for Forge's.
  installOutboundFetch();
  setSandboxPartnerUrls(localPartnerUrls);
  // Loaded only now: @forge/api captures `fetch` and @forge/kvs picks its transport at import.
  const app = (await import('../index')) as Record<string, unknown>;

  const latency = new LatencyProfile(options.profile ?? 'local', options.latency);
  const searchLag = (site: string) => (latency.name === 'local' ? undefined : (issueId: string, updated: number) => latency.searchVisibleAt(`${site}/${issueId}`, updated));
  const sites = new Map<string, JiraSite>();
  // Jira's rate limits on the app's calls, with the limits on: one points pool for the app on all its sites (Tier 1).
  const quota = new PointsQuota('global');
  const rateLimits = options.limits === false ? (false as const) : { quota, clock: options.clock ?? { now: () => Date.now() } };
  for (const name of siteNames) {
    sites.set(name, openJiraSite({ name, dataDir, baseUrl: `${baseUrl}/${name}`, clock: { now: () => Date.now() }, searchVisibleAt: searchLag(name), rateLimits }));
  }

  const db = new Database(join(dataDir, 'forge.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const forge = new LocalForge({
    db,
    manifest: readManifest(join(projectRoot, 'manifest.yml')),
    app,
    baseUrl,
    sites: [...sites.values()],
    log: (message, fields) => console.warn(`[forge] ${message}`, fields ?? ''),
    limits: options.limits,
    latency,
    ...(options.clock ? { now: () => options.clock!.now() } : {}),
    ...(options.productEventDelivery ? { productEventDelivery: options.productEventDelivery } : {}),
  });
  setSandboxSleep((ms) => forge.sleep(ms));
  const http = createServer({ forge, sites, uiDist: join(projectRoot, 'static/dist'), renderHostPage, renderShell });

  const handle = async (request: Request): Promise<Response> => {
    const siteName = new URL(request.url).pathname.split('/')[1] ?? '';
    const site = sites.get(siteName);
    // A site that is down takes its app (and web triggers) down with it.
    if (site?.faults.down === 'refused') throw new TypeError('fetch failed');
    return http.fetch(request);
  };
  const unregister = registerLocalOrigin({ base: baseUrl, handle, servesWebTrigger: (siteName, key) => forge.servesWebTrigger(siteName, key) });

  return {
    baseUrl,
    forge,
    sites,
    http,
    site(name) {
      const site = sites.get(name);
      if (!site) throw new Error(`No site "${name}"`);
      return site;
    },
    fetch: (input, init) => handle(new Request(typeof input === 'string' && input.startsWith('/') ? `${baseUrl}${input}` : input, init)),
    settle: () => forge.settle(),
    usage: (site) => forge.usage(site),
    resetUsage: (site) => forge.resetUsage(site),
    close() {
      unregister();
      forge.close();
      for (const site of sites.values()) site.close();
      db.close();
    },
  };
}

export interface StartedRuntime extends LocalRuntime {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serve the runtime over HTTP with the queue pump and the scheduled triggers running. */
export async function startLocalRuntime(options: LocalRuntimeOptions & { port?: number; scheduleEveryMs?: number } = {}): Promise<StartedRuntime> {
  const { serve } = await import('@hono/node-server');
  const { createServer: createNetServer } = await import('node:net');
  const port = options.port ?? 8080;
  const chosenPort = port === 0 ? await freePort(createNetServer) : port;
  const url = `http://localhost:${chosenPort}`;
  const runtime = await createLocalRuntime({ ...options, baseUrl: options.baseUrl ?? url });
  const server = serve({ fetch: (request) => runtime.fetch(request), port: chosenPort });
  const stopPump = runtime.forge.startPump();
  const schedule = setInterval(() => runtime.forge.fireScheduledTriggers(), options.scheduleEveryMs ?? 5 * 60_000);
  return {
    ...runtime,
    url,
    async stop() {
      clearInterval(schedule);
      stopPump();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      runtime.close();
    },
  };
}

async function freePort(createNetServer: typeof import('node:net').createServer): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
