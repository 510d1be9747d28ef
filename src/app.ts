import type { Platform } from './ports';
import { AppError, isTransient } from './domain/errors';
import { runResolver, type Handlers, type ResolverContext } from './resolvers/define';
import type { ResolverKey } from './contract/resolvers';
import { projectHandlers } from './resolvers/projects';
import { destinationHandlers } from './resolvers/destination';
import { jiraValueHandlers } from './resolvers/jira-values';
import { connectionHandlers } from './resolvers/connections';
import { syncHandlers } from './resolvers/sync';
import { triggerHandlers } from './resolvers/triggers';
import { operationHandlers } from './resolvers/operations';
import { healthHandlers } from './resolvers/health';
import { peopleHandlers } from './resolvers/people';
import { visualHandlers } from './resolvers/visual';
import { groovyHandlers } from './resolvers/groovy';
import { handlePartnerRequest, handleTransportWork, isTransportWork, runTransportMaintenance, type TransportDeps } from './transport';
import { runSyncMaintenance } from './sync/twins-maintenance';
import { handleSyncWork, inboundHandlers, isSyncWork, onDelivered, TOLD_BY_SEQUENCE } from './sync/engine';
import { queueAgainLater } from './sync/later';
import { BUSY_RETRY_AFTER_SECONDS, errorResponse } from './transport/responses';
import { withInlineDelivery } from './transport/inline-delivery';
import { readInstance } from './connections/instance';
import { handleOperationWork, isOperationWork, receiveConnect, routeEventLater, routeProductEvent } from './operations';
import { handleRemovalWork, isRemovalWork, runRemovalMaintenance, startPurge, uninstallApp } from './removal';
import { pairingHandlers } from './pairing';

// The app, composed from the core: what each Forge module does, given the
// platform of one invocation. src/index.ts adapts these to Forge's handler
// signatures; the core never sees Forge.

/** Forge's web trigger request and response shapes. */
export interface WebTriggerRequest {
  method: string;
  headers: Record<string, string[]>;
  body: string;
  path: string;
  queryParameters: Record<string, string[]>;
}

export interface WebTriggerResponse {
  statusCode: number;
  headers?: Record<string, string[]>;
  body?: string;
}

/** A product event as a Forge trigger receives it. */
export interface ProductEventPayload {
  eventType: string;
  selfGenerated?: boolean;
  [field: string]: unknown;
}

/** One handler per resolver of the contract (src/contract/resolvers.ts): a missing or extra one does not compile. */
export const resolverHandlers: Handlers<ResolverKey> = {
  ...projectHandlers,
  ...destinationHandlers,
  ...jiraValueHandlers,
  ...connectionHandlers,
  ...syncHandlers,
  ...triggerHandlers,
  ...operationHandlers,
  ...healthHandlers,
  ...peopleHandlers,
  ...visualHandlers,
  ...groovyHandlers,
};

/** What the transport needs from the rest of the app, for one invocation. */
async function transportDeps(platform: Platform): Promise<TransportDeps> {
  return {
    async instance() {
      const siteUrl = (await readInstance(platform))?.siteUrl ?? '';
      return { siteUrl, acceptPageUrl: platform.pages?.adminPageUrl(siteUrl, 'connections') ?? `${siteUrl}/jira/settings/apps` };
    },
    pairing: pairingHandlers,
    inbound: { ...inboundHandlers, connect: receiveConnect },
    toldBySequence: TOLD_BY_SEQUENCE,
    onDelivered,
  };
}

/** A resolver call from one of the app's UI modules: authorized from the platform's context, then run. */
export async function callResolver(platform: Platform, key: string, payload: unknown, context: ResolverContext): Promise<unknown> {
  return runResolver(resolverHandlers, platform, key, payload, context);
}

export async function onProductEvent(platform: Platform, event: ProductEventPayload): Promise<void> {
  try {
    await withInlineDelivery(platform, () => transportDeps(platform), () => routeProductEvent(platform, event));
  } catch (e) {
    // Storage or Jira said "later": route it from the queue, where it may wait longer than a trigger's four retries.
    if (!isTransient(e)) throw e;
    await routeEventLater(platform, event, e);
  }
}

export async function onSchedule(platform: Platform): Promise<void> {
  // Work whose queue push Forge refused (500 events a minute, the chain limit) goes out again first.
  await platform.queue.flushDeferred?.();
  await runTransportMaintenance(platform, await transportDeps(platform));
  await runSyncMaintenance(platform);
  await runRemovalMaintenance(platform);
}

/** Forge's preUninstall: tell every partner, then remove the installation's data (src/removal/uninstall.ts). */
export async function onPreUninstall(platform: Platform): Promise<void> {
  await uninstallApp(platform);
}

export async function onPartnerRequest(platform: Platform, request: WebTriggerRequest): Promise<WebTriggerResponse> {
  try {
    const deps = await transportDeps(platform);
    return await withInlineDelivery(platform, async () => deps, () => handlePartnerRequest(platform, deps, request));
  } catch (e) {
    // A "later" here is the partner's to retry: its outbox keeps the message and honours Retry-After. What
    // was stored before the limit struck is found again by message id, so the retry does nothing twice.
    if (!isTransient(e)) throw e;
    const wait = Math.max(BUSY_RETRY_AFTER_SECONDS, Math.ceil((e.retryAfterMs ?? 0) / 1000));
    return errorResponse(503, 'busy', 'This instance is busy (its storage or Jira asked it to slow down); try again shortly.', true, { 'Retry-After': [String(wait)] });
  }
}

/** Pushes this container kept when Forge refused them go out again a minute on, not at the five-minute schedule. */
async function flushKeptPushes(platform: Platform): Promise<void> {
  try {
    await platform.queue.flushKeptIfDue?.();
  } catch (e) {
    // Storage said "later": the kept pushes stay kept, and the schedule or the next worker pushes them.
    if (!isTransient(e)) throw e;
  }
}

export async function onQueueEvent(platform: Platform, body: Record<string, unknown>): Promise<void> {
  // Queued by an older version after it deleted a connection's record: what it left, the purge removes.
  if (body.kind === 'transport.cleanup' && typeof body.connectionId === 'string') return startPurge(platform, body.connectionId);
  await flushKeptPushes(platform);
  try {
    if (isRemovalWork(body)) return await handleRemovalWork(platform, body);
    if (isTransportWork(body)) return await handleTransportWork(platform, await transportDeps(platform), body);
    if (isSyncWork(body)) return await withInlineDelivery(platform, () => transportDeps(platform), () => handleSyncWork(platform, body));
    // A bulk page's messages go out once the page is done, from its invocation (and the queue for the rest),
    // not one nudge (a storage read and write) per message.
    if (isOperationWork(body)) return await withInlineDelivery(platform, () => transportDeps(platform), () => handleOperationWork(platform, body));
  } catch (e) {
    // Whatever the work, a "later" (storage rate limit, Jira busy) queues it again instead of spending the
    // platform's few retries; handlers that know better (Retry-After, keeping partial progress) did so already.
    if (!isTransient(e)) throw e;
    await queueAgainLater(platform, body, e);
    return;
  }
  throw new AppError('Internal', `No handler for queue work of kind "${String(body.kind)}".`);
}
