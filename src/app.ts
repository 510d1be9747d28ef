import type { Platform } from './ports';
import { AppError } from './domain/errors';
import type { ResolverContext, ResolverHandler } from './resolvers/define';
import { listProjects } from './resolvers/projects';

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
  'resolveError', 'listQueue', 'getStatistics', 'listProjects',
] as const;

const notBuiltYet = (key: string): ResolverHandler => async () => {
  throw new AppError('NotBuiltYet', `"${key}" is not available in this version of the app yet.`);
};

const implemented: Record<string, ResolverHandler> = { listProjects };

export const resolvers: Record<string, ResolverHandler> = Object.fromEntries([
  ...RESOLVER_KEYS.map((key) => [key, notBuiltYet(key)] as const),
  ...Object.entries(implemented),
]);

export async function callResolver(platform: Platform, key: string, payload: unknown, context: ResolverContext): Promise<unknown> {
  const handler = resolvers[key];
  if (!handler) throw new AppError('BadInput', `Unknown resolver "${key}".`);
  return handler(platform, payload, context);
}

export async function onProductEvent(platform: Platform, event: ProductEventPayload): Promise<void> {
  platform.log.info('product event', { eventType: event.eventType });
}

export async function onSchedule(platform: Platform): Promise<void> {
  platform.log.info('scheduled maintenance');
}

export async function onPartnerRequest(_platform: Platform, _request: WebTriggerRequest): Promise<WebTriggerResponse> {
  return { statusCode: 503, headers: { 'Content-Type': ['application/json'] }, body: JSON.stringify({ error: 'The partner endpoint is not available in this version yet.' }) };
}

export async function onQueueEvent(platform: Platform, body: Record<string, unknown>): Promise<void> {
  throw new AppError('Internal', `No handler for queue work of kind "${String(body.kind)}".`);
}
