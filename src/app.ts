import type { Platform } from './ports';
import { AppError } from './domain/errors';
import type { ResolverContext, ResolverHandler } from './resolvers/define';
import { listProjects } from './resolvers/projects';
import { connectionResolvers } from './resolvers/connections';
import { syncResolvers } from './resolvers/sync';
import { triggerResolvers } from './resolvers/triggers';
import { operationResolvers } from './resolvers/operations';
import { guardVisualExalate, visualResolvers, withModeSummary } from './resolvers/visual';
import { PROJECT_SETTINGS_MODULE, projectAdminResolvers, refusedFromProjectSettings } from './resolvers/project-admin';
import { handlePartnerRequest, handleTransportWork, isTransportWork, runTransportMaintenance, type TransportDeps } from './transport';
import { runSyncMaintenance } from './sync/twins-maintenance';
import { handleSyncWork, inboundHandlers, isSyncWork, routeProductEvent } from './sync/engine';
import { readInstance } from './connections/instance';
import { handleOperationWork, isOperationWork, receiveConnect } from './triggers';
import { handleRemovalWork, isRemovalWork, runRemovalMaintenance, startPurge, uninstallApp } from './removal';

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

/** Every resolver key the UI may call (DESIGN.md); a key without a handler answers "not built yet". */
export const RESOLVER_KEYS = [
  'getInstance', 'listConnections', 'initiateConnection', 'acceptInvitation', 'setConnectionActive', 'updateConnection',
  'deleteConnection', 'rotateSecret', 'getRules', 'publishRules', 'testRules', 'getMapping', 'publishMapping',
  'listTriggers', 'saveTrigger', 'deleteTrigger', 'bulkExalate', 'unbulkExalate', 'getJob', 'listJobs', 'cancelJob',
  'exalateIssue', 'connectIssue', 'unexalateIssue', 'getIssueSyncStatus', 'getIssueHistory', 'listErrors', 'retryError',
  'resolveError', 'listQueue', 'getStatistics', 'listProjects', 'upgradeConnection',
] as const;

const notBuiltYet = (key: string): ResolverHandler => async () => {
  throw new AppError('NotBuiltYet', `"${key}" is not available in this version of the app yet.`);
};

const implemented: Record<string, ResolverHandler> = {
  listProjects,
  ...connectionResolvers,
  ...syncResolvers,
  ...triggerResolvers,
  ...operationResolvers,
  ...visualResolvers,
  ...(syncResolvers.exalateIssue && { exalateIssue: guardVisualExalate(syncResolvers.exalateIssue) }),
  ...(syncResolvers.getRules && { getRules: withModeSummary(syncResolvers.getRules) }),
};

export const resolvers: Record<string, ResolverHandler> = Object.fromEntries([
  ...RESOLVER_KEYS.map((key) => [key, notBuiltYet(key)] as const),
  ...Object.entries(implemented),
]);

/** Project settings → Exalate: the same resolvers, limited to Basic connections of a project the caller administers. */
const projectSettingsResolvers = projectAdminResolvers(resolvers);

/** What the transport needs from the rest of the app, for one invocation. */
async function transportDeps(platform: Platform): Promise<TransportDeps> {
  const instance = await readInstance(platform);
  const siteUrl = instance?.siteUrl ?? '';
  return {
    instance: { siteUrl, acceptPageUrl: platform.pages?.adminPageUrl(siteUrl, 'connections') ?? `${siteUrl}/jira/settings/apps` },
    inbound: { ...inboundHandlers, connect: receiveConnect },
  };
}

export async function callResolver(platform: Platform, key: string, payload: unknown, context: ResolverContext): Promise<unknown> {
  const handler = resolvers[key];
  if (!handler) throw new AppError('BadInput', `Unknown resolver "${key}".`);
  if (context.moduleKey === PROJECT_SETTINGS_MODULE) return (projectSettingsResolvers[key] ?? refusedFromProjectSettings(key))(platform, payload, context);
  return handler(platform, payload, context);
}

export async function onProductEvent(platform: Platform, event: ProductEventPayload): Promise<void> {
  await routeProductEvent(platform, event);
}

export async function onSchedule(platform: Platform): Promise<void> {
  await runTransportMaintenance(platform, await transportDeps(platform));
  await runSyncMaintenance(platform);
  await runRemovalMaintenance(platform);
}

/** Forge's preUninstall: tell every partner, then remove the installation's data (src/removal/uninstall.ts). */
export async function onPreUninstall(platform: Platform): Promise<void> {
  await uninstallApp(platform);
}

export async function onPartnerRequest(platform: Platform, request: WebTriggerRequest): Promise<WebTriggerResponse> {
  return handlePartnerRequest(platform, await transportDeps(platform), request);
}

export async function onQueueEvent(platform: Platform, body: Record<string, unknown>): Promise<void> {
  // Queued by an older version after it deleted a connection's record: what it left, the purge removes.
  if (body.kind === 'transport.cleanup' && typeof body.connectionId === 'string') return startPurge(platform, body.connectionId);
  if (isRemovalWork(body)) return handleRemovalWork(platform, body);
  if (isTransportWork(body)) return handleTransportWork(platform, await transportDeps(platform), body);
  if (isSyncWork(body)) return handleSyncWork(platform, body);
  if (isOperationWork(body)) return handleOperationWork(platform, body);
  throw new AppError('Internal', `No handler for queue work of kind "${String(body.kind)}".`);
}
