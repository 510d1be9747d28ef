// Fields whose values are names from a site-wide list: project, issue type,
// status, status category, priority and resolution. Jira compares them
// case-insensitively by name, and also accepts ids.
import type { JqlIssueRecord } from '../../../contracts';
import { jqlMessages } from '../messages';
import type { BuildScope, FieldHandler, JqlCompileContext, JqlNamedValue, Operand, Predicate, SortKey, Test } from '../model';
import { never } from '../model';
import { checkFunction, collect, compareNumbers, membership, singleMembership } from '../operands';
import type { HistorySpec } from '../history';
import { EMPTINESS, EQUALITY, ORDERING, operators } from './operators';

const lower = (value: string | null): string | null => (value === null ? null : value.toLowerCase());

/** Resolves one literal to the lower-cased names it stands for, reporting unknown ones. */
type NameResolver = (value: string, scope: BuildScope) => readonly string[];

function catalogResolver(known: readonly JqlNamedValue[] | undefined): NameResolver {
  if (!known) return (value) => [value.toLowerCase()];
  const byKey = new Map<string, string>();
  for (const item of known) {
    byKey.set(item.id, item.name.toLowerCase());
    byKey.set(item.name.toLowerCase(), item.name.toLowerCase());
  }
  return (value, scope) => {
    const name = byKey.get(value.toLowerCase()) ?? byKey.get(value);
    if (name === undefined) {
      scope.report(jqlMessages.valueNotFound(value, scope.field));
      return [];
    }
    return [name];
  };
}

function literalsOnly(resolve: NameResolver, scope: BuildScope) {
  return (operand: Operand): readonly string[] => {
    if (operand.kind === 'value') return resolve(operand.value, scope);
    if (operand.kind === 'function') checkFunction(operand, [], scope);
    return [];
  };
}

interface NamedFieldSpec {
  valueOf(issue: JqlIssueRecord): string | null;
  resolver(scope: BuildScope): NameResolver;
  /** Literals that stand for EMPTY, such as resolution "Unresolved". */
  emptyAliases?: readonly string[];
  /** Names from highest to lowest, for `>`/`<`; absent when the field has no order. */
  order?(scope: BuildScope): readonly string[];
  sortKey(ctx: JqlCompileContext): (issue: JqlIssueRecord) => SortKey;
  defaultDirection?: 'ASC' | 'DESC';
  /** The changelog field id, for fields whose history Jira searches. */
  historyField?: string;
}

function namedField(spec: NamedFieldSpec): FieldHandler {
  const valueOf = (issue: JqlIssueRecord) => lower(spec.valueOf(issue));
  // In the history, named values are compared by their display names, as the query names them.
  const history: HistorySpec | undefined = spec.historyField === undefined ? undefined : {
    fieldId: spec.historyField,
    multi: false,
    token: (_raw, text) => lower(text),
    current: valueOf,
    resolve: (operand, scope) =>
      operand.kind === 'value' && spec.emptyAliases?.includes(operand.value.toLowerCase())
        ? [null]
        : [...literalsOnly(spec.resolver(scope), scope)(operand)],
  };
  return {
    operators: operators(EQUALITY, EMPTINESS, spec.order ? ORDERING : []),
    sortKey: spec.sortKey,
    defaultDirection: spec.defaultDirection,
    ...(history ? { history } : {}),
    build(test: Test, scope: BuildScope): Predicate {
      const operands = test.operands.map((operand): Operand =>
        operand.kind === 'value' && spec.emptyAliases?.includes(operand.value.toLowerCase()) ? { kind: 'empty' } : operand,
      );
      const resolve = literalsOnly(spec.resolver(scope), scope);
      if (test.kind === 'compare') {
        if (!spec.order) return never;
        const order = spec.order(scope);
        const rank = (name: string | null) => (name === null ? -1 : order.length - order.indexOf(name));
        const target = operands.flatMap(resolve)[0];
        if (target === undefined) return never;
        if (!order.includes(target)) {
          scope.report(jqlMessages.valueNotFound(target, scope.field));
          return never;
        }
        const targetRank = rank(target);
        return (issue) => {
          const own = rank(valueOf(issue));
          return own > 0 && own <= order.length && compareNumbers(test.operator, own, targetRank);
        };
      }
      if (test.kind !== 'in' && test.kind !== 'notIn') return never;
      return singleMembership(test.kind, collect(operands, resolve), valueOf);
    },
  };
}

const DEFAULT_PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest'];

const CATEGORIES: Record<JqlIssueRecord['statusCategory'], { rank: number; aliases: string[] }> = {
  'To Do': { rank: 0, aliases: ['to do', 'new', '2'] },
  'In Progress': { rank: 1, aliases: ['in progress', 'indeterminate', '4'] },
  Done: { rank: 2, aliases: ['done', '3'] },
};

const categoryByAlias = new Map(
  Object.entries(CATEGORIES).flatMap(([name, { aliases }]) => aliases.map((alias) => [alias, name.toLowerCase()] as const)),
);

export const issueTypeField = namedField({
  valueOf: (issue) => issue.issueType,
  resolver: (scope) => catalogResolver(scope.ctx.issueTypes),
  sortKey: () => (issue) => issue.issueType.toLowerCase(),
});

export const statusField = namedField({
  historyField: 'status',
  valueOf: (issue) => issue.status,
  resolver: (scope) => catalogResolver(scope.ctx.statuses),
  // Jira orders statuses by category first, then by their place in the status list.
  sortKey: () => (issue) => `${CATEGORIES[issue.statusCategory].rank}:${issue.status.toLowerCase()}`,
});

export const statusCategoryField = namedField({
  valueOf: (issue) => issue.statusCategory,
  resolver: () => (value, scope) => {
    const name = categoryByAlias.get(value.toLowerCase());
    if (name === undefined) {
      scope.report(jqlMessages.valueNotFound(value, scope.field));
      return [];
    }
    return [name];
  },
  sortKey: () => (issue) => CATEGORIES[issue.statusCategory].rank,
});

const priorityOrder = (ctx: JqlCompileContext): readonly string[] =>
  ctx.priorities?.map((p) => p.name.toLowerCase()) ?? DEFAULT_PRIORITIES;

export const priorityField = namedField({
  historyField: 'priority',
  valueOf: (issue) => issue.priority,
  resolver: (scope) => catalogResolver(scope.ctx.priorities),
  order: (scope) => priorityOrder(scope.ctx),
  // The sort key grows with importance, so DESC (Jira's default here) puts Highest first.
  sortKey: (ctx) => {
    const order = priorityOrder(ctx);
    return (issue) => {
      const index = issue.priority === null ? -1 : order.indexOf(issue.priority.toLowerCase());
      return index < 0 ? null : order.length - index;
    };
  },
  defaultDirection: 'DESC',
});

export const resolutionField = namedField({
  historyField: 'resolution',
  valueOf: (issue) => issue.resolution,
  resolver: (scope) => catalogResolver(scope.ctx.resolutions),
  emptyAliases: ['unresolved'],
  sortKey: () => (issue) => lower(issue.resolution),
});

/** `project = UD`, `project = "UI Design"` or `project = 10000`. */
export const projectField: FieldHandler = {
  operators: operators(EQUALITY, EMPTINESS),
  sortKey: () => (issue) => issue.projectKey.toLowerCase(),
  build(test, scope) {
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    const wanted = collect(
      test.operands,
      literalsOnly((value) => {
        if (!scope.ctx.projectExists(value)) {
          scope.report(jqlMessages.valueNotFound(value, scope.field));
          return [];
        }
        return [value.toLowerCase()];
      }, scope),
    );
    return membership(test.kind, wanted, (issue) => [
      issue.projectKey.toLowerCase(),
      issue.projectId,
      issue.projectName.toLowerCase(),
    ]);
  },
};
