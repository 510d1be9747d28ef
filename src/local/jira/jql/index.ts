// The emulated site's JQL engine: compile a query once, then match and sort
// thousands of issue records with plain function calls.
import type { CompiledJql } from '../../contracts';
import { compileWhere } from './clauses';
import { jqlMessages } from './messages';
import type { JqlCompileContext } from './model';
import { compileOrder } from './order';
import { pinnedKeys } from './pinned';
import { parseJql } from './syntax';

export type { JqlCompileContext, JqlCustomField, JqlCustomFieldKind, JqlNamedValue, JqlSiteCatalog } from './model';
export { JqlCustomFieldSchema, JqlSiteCatalogSchema } from './model';
export { jqlMessages } from './messages';

const everything = () => true;

function compile(jql: string, ctx: JqlCompileContext): { compiled: CompiledJql; bounded: boolean } {
  const parsed = parseJql(jql);
  if (!parsed.ok) return { compiled: { ok: false, errorMessages: [parsed.message] }, bounded: false };
  // Jira reports every problem it finds, not just the first.
  const messages: string[] = [];
  const report = (message: string) => {
    if (!messages.includes(message)) messages.push(message);
  };
  const { where, orderBy } = parsed.query;
  const matches = where ? compileWhere(where, false, { ctx, report }) : everything;
  const compare = compileOrder(orderBy, ctx, report);
  if (messages.length > 0) return { compiled: { ok: false, errorMessages: messages }, bounded: Boolean(where) };
  const pinned = pinnedKeys(where);
  const compiled: CompiledJql = pinned ? { ok: true, matches, compare, pinnedKeys: pinned } : { ok: true, matches, compare };
  return { compiled, bounded: Boolean(where) };
}

/**
 * Compiles a query as Jira validates it anywhere (trigger validation, JQL
 * checks): an empty query or one with only ORDER BY matches every issue.
 */
export function compileJql(jql: string, ctx: JqlCompileContext): CompiledJql {
  return compile(jql, ctx).compiled;
}

/**
 * Compiles a query for `/search/jql` and `/search/approximate-count`, which
 * also refuse an unbounded query (no search restriction), as Jira Cloud does.
 */
export function compileJqlSearch(jql: string, ctx: JqlCompileContext): CompiledJql {
  const { compiled, bounded } = compile(jql, ctx);
  if (compiled.ok && !bounded) return { ok: false, errorMessages: [jqlMessages.unbounded] };
  return compiled;
}
