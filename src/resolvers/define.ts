import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { describeZodError } from '../domain/zod-error';
import { MODULE_KEYS, type ModuleKey } from '../contract/access';
import { resolverContract, type AnswerOf, type InputOf, type ResolverKey } from '../contract/resolvers';
import type { JiraClient } from '../jira/client';
import { authorize, jiraAsCaller, PermissionCache, type Grant, type ResolverContext } from './authorize';

export type { Grant, ResolverContext } from './authorize';

// How a resolver call runs: the module must be allowed to call the key, the
// caller must hold the rule's permission, the payload must parse, and the
// answer must match the contract, in that order. Nothing is read or written
// for a caller who fails the first two.

/** Everything a handler is given for one call. */
export interface ResolverCall<K extends ResolverKey> {
  platform: Platform;
  input: InputOf<K>;
  grant: Grant;
  context: ResolverContext;
  /** Jira as the caller: what a person asked to see is read with their permissions. */
  jira: JiraClient;
  /** The caller's permissions, asked once per invocation. */
  permissions: PermissionCache;
}

export type Handler<K extends ResolverKey> = (call: ResolverCall<K>) => Promise<AnswerOf<K>>;
export type Handlers<K extends ResolverKey> = { [P in K]: Handler<P> };

const isResolverKey = (key: string): key is ResolverKey => Object.hasOwn(resolverContract, key);
const isModuleKey = (key: string | undefined): key is ModuleKey => key !== undefined && (MODULE_KEYS as readonly string[]).includes(key);

/** Run one resolver call for the app: `handlers` holds one handler per key of the contract. */
export async function runResolver(handlers: Handlers<ResolverKey>, platform: Platform, key: string, payload: unknown, context: ResolverContext): Promise<unknown> {
  if (!isResolverKey(key)) throw new AppError('BadInput', `Unknown resolver "${key}".`);
  const declaration = resolverContract[key];
  const moduleKey = context.moduleKey;
  const rule = isModuleKey(moduleKey) ? (declaration.access as Partial<Record<ModuleKey, (typeof declaration.access)[keyof typeof declaration.access]>>)[moduleKey] : undefined;
  if (!isModuleKey(moduleKey) || !rule) {
    throw new AppError('Forbidden', `"${key}" cannot be called from ${moduleKey ? `the module ${moduleKey}` : 'outside the app\'s pages'}; nothing was done.`);
  }
  if (!context.accountId) throw new AppError('Forbidden', 'Who is asking is unknown (no signed-in user), so nothing was done.');
  const jira = jiraAsCaller(platform, context.accountId);
  const permissions = new PermissionCache(jira);
  const grant = await authorize(platform, context, moduleKey, rule, permissions);

  const parsed = declaration.input.safeParse(payload ?? {});
  if (!parsed.success) throw new AppError('BadInput', describeZodError(parsed.error));
  const handler = handlers[key] as Handler<ResolverKey>;
  const answer = await handler({ platform, input: parsed.data as never, grant, context, jira, permissions });
  const checked = declaration.output.safeParse(answer);
  if (!checked.success) {
    platform.log.error('resolver answer does not match the contract', { key, issues: describeZodError(checked.error) });
    throw new AppError('Internal', `The answer of "${key}" does not match what the app's pages expect (${describeZodError(checked.error)}).`);
  }
  return checked.data;
}
