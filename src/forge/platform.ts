import api, { assumeTrustedRoute, fetch as forgeFetch, getAppContext, webTrigger } from '@forge/api';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppPages, HttpResponse, InvocationBudget, JiraHttp, PartnerHttp, Platform, } from '../ports';
import { forgeKvs } from './kvs';
import { withReadCache } from './read-cache';
import { meterUsage } from './usage-meter';
import { waitingOutBursts } from './jira-patience';
import { currentSandboxPartnerUrls, platformSleep } from './sandbox';
import { workQueue } from './queue';

/** The queue the app's consumer reads (manifest: consumer `sync-worker`, queue `sync-work`). */
export const WORK_QUEUE = 'sync-work';

function toHttpResponse(response: Response): HttpResponse {
  return {
    status: response.status,
    headers: response.headers,
    text: () => response.text(),
    bytes: async () => new Uint8Array(await response.arrayBuffer()),
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const jira: JiraHttp = {
  async request(request, options) {
    // Paths are built by our own Jira client, which encodes every parameter itself.
    const route = assumeTrustedRoute(request.path);
    const requester = options?.asUser ? api.asUser(options.asUser) : api.asApp();
    const response = await requester.requestJira(route, {
      method: request.method,
      headers: request.headers,
      body: typeof request.body === 'string' || request.body === undefined ? request.body : toArrayBuffer(request.body),
    });
    return toHttpResponse(response as unknown as Response);
  },
};

/**
 * Forge's `fetch`: the platform checks the URL against the manifest's egress list
 * (`permissions.external.fetch.backend`) and fails the call otherwise. The core's deadline travels as `signal`.
 */
const partner: PartnerHttp = {
  async fetch(url, init) {
    const response = await forgeFetch(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal });
    return toHttpResponse(response as unknown as Response);
  },
};

/**
 * The function's remaining time, from the runtime's `lambdaContext.getRemainingTimeInMillis()` as
 * `getAppContext()` exposes it. Unknown (undefined) when the runtime does not offer it (an old tunnel).
 */
const invocation: InvocationBudget = {
  remainingMs() {
    try {
      const left = getAppContext().invocationRemainingTimeInMillis();
      return typeof left === 'number' && Number.isFinite(left) ? left : undefined;
    } catch {
      return undefined;
    }
  },
};

/** Jira serves a Forge app's admin page at `/jira/settings/apps/<appId>/<environmentId>`, subpages below it. */
const pages: AppPages = {
  adminPageUrl(siteUrl, route) {
    const { appAri, environmentAri } = getAppContext();
    const appId = String(appAri).split('/').pop();
    const environmentId = String(environmentAri).split('/').pop();
    return `${siteUrl.replace(/\/$/, '')}/jira/settings/apps/${appId}/${environmentId}/${route}`;
  },
};

/** Which installation this invocation serves (a container may serve several), for what is held across invocations. */
function installationOf(): string | undefined {
  try {
    return String(getAppContext().installationAri ?? '') || undefined;
  } catch {
    return undefined;
  }
}

/** The ports over the real Forge SDKs, one set per invocation: the same code runs on Forge and in the local runtime. */
export function forgePlatform(): Platform {
  // Metered beneath the read cache: a read the cache answers costs Forge nothing.
  // Short 429s are waited out beneath the meter, so each request sent again is counted.
  const metered = meterUsage(forgeKvs, waitingOutBursts(jira, { invocation, sleep: platformSleep, random: () => randomBytes(1)[0]! / 256 }));
  const installation = installationOf();
  const kvs = withReadCache(metered.kvs, { installation });
  const clock = { now: () => Date.now() };
  const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)), uuid: () => randomUUID() };
  return {
    kvs,
    // Batches within Forge's push limits; a push refused for rate is kept and pushed again later (./queue.ts).
    queue: workQueue(WORK_QUEUE, { ...(installation ? { installation } : {}), kvs, clock, random, log: { warn: (message, fields) => console.warn(message, fields ?? '') } }),
    jira: metered.jira,
    meter: metered.meter,
    partner,
    invocation,
    ...(installation ? { installation } : {}),
    // Only ever set by the local runtime (see ./sandbox.ts): on Forge, http partner URLs are refused.
    ...(currentSandboxPartnerUrls() ? { partnerUrls: currentSandboxPartnerUrls() } : {}),
    webTriggers: { getUrl: (moduleKey) => webTrigger.getUrl(moduleKey) },
    pages,
    clock,
    sleep: platformSleep,
    random,
    log: {
      info: (message, fields) => console.log(message, fields ?? ''),
      warn: (message, fields) => console.warn(message, fields ?? ''),
      error: (message, fields) => console.error(message, fields ?? ''),
    },
  };
}
