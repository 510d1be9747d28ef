// ORDER BY. Each field sorts by its own key in the direction given, or the
// field's default direction (created and updated newest first, priority
// highest first, everything else ascending). Empty values count as greater
// than any value: last in ascending order, first in descending order.
//
// Without ORDER BY, Jira Cloud's /search/jql answers newest issue first (and
// ranks text searches by relevance, which is not modelled); here that is
// descending issue id. The same order breaks ties after the ORDER BY fields,
// so paging is stable.
import type { OrderBy } from '@atlaskit/jql-ast';
import type { JqlIssueRecord } from '../../contracts';
import { resolveField } from './fields';
import { jqlMessages } from './messages';
import type { JqlCompileContext, SortKey } from './model';

export type Comparator = (a: JqlIssueRecord, b: JqlIssueRecord) => number;

export function newestFirst(a: JqlIssueRecord, b: JqlIssueRecord): number {
  const byId = Number(b.id) - Number(a.id);
  if (byId !== 0 && !Number.isNaN(byId)) return byId;
  return b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

export function compileOrder(
  orderBy: OrderBy | void,
  ctx: JqlCompileContext,
  report: (message: string) => void,
): Comparator {
  if (!orderBy) return newestFirst;
  const sorts: { key: (issue: JqlIssueRecord) => SortKey; sign: number }[] = [];
  for (const item of orderBy.fields) {
    const resolved = resolveField(item.field, ctx);
    if (!resolved) {
      report(jqlMessages.sortFieldNotFound(item.field.value));
      continue;
    }
    if (!resolved.handler.sortKey) {
      report(jqlMessages.fieldNotSortable(resolved.name));
      continue;
    }
    const direction = item.direction?.value ?? resolved.handler.defaultDirection ?? 'ASC';
    sorts.push({ key: resolved.handler.sortKey(ctx), sign: direction === 'DESC' ? -1 : 1 });
  }
  return (a, b) => {
    for (const sort of sorts) {
      const order = compareKeys(sort.key(a), sort.key(b));
      if (order !== 0) return order * sort.sign;
    }
    return newestFirst(a, b);
  };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1; // numbers before text when a field mixes them
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
