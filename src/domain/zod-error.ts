import type { z } from 'zod';

/** A zod failure in words, field by field: what a person or a partner is told about bad input. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
