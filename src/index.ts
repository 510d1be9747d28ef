import ResolverExport from '@forge/resolver';
import { InvocationError, InvocationErrorCode } from '@forge/events';
import * as app from './app';
import { forgePlatform } from './forge/platform';
import { isAppError } from './domain/errors';
import type { ResolverContext } from './resolvers/define';
import { RESOLVER_KEYS } from './contract/resolvers';

// Forge handlers: parse, call the core, return. Nothing else lives here.

// @forge/resolver is CommonJS with a `default` export: bundlers unwrap it, Node's ESM loader does not.
const Resolver = ((ResolverExport as unknown as { default?: typeof ResolverExport }).default ?? ResolverExport) as typeof ResolverExport;
const resolverDefinitions = new Resolver();
for (const key of RESOLVER_KEYS) {
  resolverDefinitions.define(key, async ({ payload, context }) => {
    const ctx = context as Record<string, unknown>;
    const resolverContext: ResolverContext = {
      accountId: ctx.accountId as string | undefined,
      moduleKey: ctx.moduleKey as string | undefined,
      cloudId: ctx.cloudId as string | undefined,
      siteUrl: ctx.siteUrl as string | undefined,
      extension: ctx.extension as Record<string, unknown> | undefined,
    };
    return (await app.callResolver(forgePlatform(), key, payload, resolverContext)) as never;
  });
}

/** Every UI module's resolver. */
export const resolver = resolverDefinitions.getDefinitions();

/** Product events (issues, comments, attachments, links), with ignoreSelf. */
export async function onProductEvent(event: app.ProductEventPayload): Promise<unknown> {
  try {
    await app.onProductEvent(forgePlatform(), event);
    return undefined;
  } catch (e) {
    // Forge retries a trigger that answers InvocationError (at most 4 times).
    if (isAppError(e) && e.kind === 'BadInput') throw e;
    return new InvocationError({ retryAfter: 30, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}

/** The five-minute maintenance trigger: private-side polling chain, retries, trigger sweeps. */
export async function onSchedule(): Promise<void> {
  await app.onSchedule(forgePlatform());
}

/** Forge's preUninstall (no user, 55 s, not retried; a failure does not stop the uninstall): tell partners, remove data. */
export async function onPreUninstall(_payload: { context?: { cloudId?: string; moduleKey?: string } }): Promise<void> {
  try {
    await app.onPreUninstall(forgePlatform());
  } catch (e) {
    console.error('pre-uninstall cleanup failed; Forge deletes the storage later anyway', { error: String(e) });
  }
}

/** The partner endpoint (web trigger with a dynamic response). */
export async function onPartnerRequest(request: app.WebTriggerRequest): Promise<app.WebTriggerResponse> {
  return app.onPartnerRequest(forgePlatform(), request);
}

/** The async queue consumer: all background work. */
export async function onQueueEvent(event: { body: Record<string, unknown>; retryContext?: { retryCount: number } }): Promise<unknown> {
  try {
    await app.onQueueEvent(forgePlatform(), event.body);
    return undefined;
  } catch (e) {
    const retryAfter = Math.min(900, 5 * 2 ** (event.retryContext?.retryCount ?? 0));
    console.error('queue work failed; retrying', { kind: event.body.kind, error: String(e) });
    return new InvocationError({ retryAfter, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
