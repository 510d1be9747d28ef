// Request bodies: JSON parsed and checked against a zod schema, with Jira's
// 400 answer when either fails.
import type { z } from 'zod';
import { badRequest } from './respond';

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<BodyResult<z.infer<S>>> {
  const text = await request.text();
  if (text.trim().length === 0) return { ok: false, response: badRequest('No content to map due to end-of-input') };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, response: badRequest(`Unexpected character in JSON body: ${(error as Error).message}`) };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
    return { ok: false, response: badRequest(`Invalid request payload${where}: ${issue?.message ?? 'not understood'}`) };
  }
  return { ok: true, value: parsed.data };
}
