import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';

/** What a resolver learns about who called it and from where. */
export interface ResolverContext {
  accountId?: string;
  moduleKey?: string;
  cloudId?: string;
  siteUrl?: string;
  /** Module-specific context, e.g. `{ issue: { key } }` on the issue panel, `{ project: { key } }` on project settings. */
  extension?: Record<string, unknown>;
}

export type ResolverHandler = (platform: Platform, payload: unknown, context: ResolverContext) => Promise<unknown>;

/** A resolver whose payload is parsed by `schema` first; a bad payload is a BadInput error naming the field. */
export function defineResolver<S extends z.ZodType>(
  schema: S,
  run: (platform: Platform, payload: z.infer<S>, context: ResolverContext) => Promise<unknown>,
): ResolverHandler {
  return async (platform, payload, context) => {
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) throw new AppError('BadInput', describeZodError(parsed.error));
    return run(platform, parsed.data, context);
  };
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
