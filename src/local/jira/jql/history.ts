// History searches: `CHANGED` and `WAS` over the issue history (the
// changelog), with their predicates FROM, TO, BY, AFTER, BEFORE, ON and
// DURING. As in Jira, only some fields keep a searchable history: status,
// assignee, reporter, priority, resolution (CHANGED and WAS) and fixVersion
// (CHANGED). A field's value over time is rebuilt from the changes: the
// first change's old value held from creation, each change's new value until
// the next change, the last one until now.
import type { Operand as AstOperand, Predicate as AstPredicate } from '@atlaskit/jql-ast';
import type { JqlHistoryItem, JqlIssueRecord } from '../../contracts';
import { startOfDay, DAY } from './dates';
import { jqlMessages } from './messages';
import type { BuildScope, Operand, Predicate } from './model';
import { never } from './model';
import { checkFunction, currentUserIds, instantOf } from './operands';

export const HISTORY_OPERATORS = new Set(['changed', 'was', 'was not', 'was in', 'was not in']);

export interface HistorySpec {
  /** The changelog `fieldId` the clause field covers. */
  fieldId: string;
  /** Several values at once (fix versions): only CHANGED is offered, as in Jira. */
  multi: boolean;
  /** One side of a change (its raw value and display text) as a comparable token. */
  token(raw: string | null, text: string | null): string | null;
  /** The issue's value now, as a token (null when empty). */
  current(issue: JqlIssueRecord): string | null;
  /** The tokens a query value stands for (null for an empty value); reports values that do not exist. */
  resolve(operand: Operand, scope: BuildScope): (string | null)[];
}

interface Filters {
  from?: Set<string | null>;
  to?: Set<string | null>;
  by?: Set<string>;
  after?: number;
  before?: number;
  on?: [number, number];
  during?: [number, number];
}

/** AST operands flattened: a list becomes its values, EMPTY becomes the empty operand. */
export function flattenOperand(operand: AstOperand): Operand[] {
  switch (operand.operandType) {
    case 'keyword':
      return [{ kind: 'empty' }];
    case 'value':
      return [{ kind: 'value', value: operand.value }];
    case 'function':
      return [{ kind: 'function', name: operand.function.value, args: operand.arguments.map((a) => a.value) }];
    case 'list':
      return operand.values.flatMap(flattenOperand);
  }
}

export function compileHistory(
  spec: HistorySpec | undefined,
  operator: string,
  operand: AstOperand | void,
  predicates: readonly AstPredicate[],
  negated: boolean,
  scope: BuildScope,
): Predicate {
  if (!spec || (spec.multi && operator !== 'changed')) {
    scope.report(jqlMessages.operatorNotSupported(operator, scope.field));
    return never;
  }
  const filters = readPredicates(spec, operator, predicates, scope);
  if (!filters) return never;
  if (operator === 'changed') {
    const changed = (issue: JqlIssueRecord) => (issue.history ?? []).some((item) => item.fieldId === spec.fieldId && matchesChange(spec, item, filters));
    return negated ? (issue) => !changed(issue) : changed;
  }
  if (!operand) return never;
  const wanted = new Set<string | null>();
  for (const value of flattenOperand(operand)) {
    if (value.kind === 'empty') wanted.add(null);
    else for (const token of spec.resolve(value, scope)) wanted.add(token);
  }
  const was = (issue: JqlIssueRecord) => segments(spec, issue).some((segment) => wanted.has(segment.value) && inWindow(segment, filters));
  const positive = operator === 'was' || operator === 'was in';
  return positive !== negated ? was : (issue) => !was(issue);
}

function readPredicates(spec: HistorySpec, operator: string, predicates: readonly AstPredicate[], scope: BuildScope): Filters | undefined {
  const filters: Filters = {};
  let ok = true;
  for (const predicate of predicates) {
    const name = predicate.operator.value;
    const operands = predicate.operand ? flattenOperand(predicate.operand) : [];
    switch (name) {
      case 'from':
      case 'to': {
        const tokens = new Set<string | null>();
        for (const value of operands) {
          if (value.kind === 'empty') tokens.add(null);
          else for (const token of spec.resolve(value, scope)) tokens.add(token);
        }
        filters[name] = tokens;
        break;
      }
      case 'by': {
        const people = new Set<string>();
        for (const value of operands) {
          if (value.kind === 'function') {
            if (checkFunction(value, ['user'], scope)) for (const id of currentUserIds(value, scope)) people.add(id);
          } else if (value.kind === 'value') {
            const ids = scope.ctx.resolveUsers(value.value);
            if (ids.length === 0) scope.report(jqlMessages.valueNotFound(value.value, scope.field));
            for (const id of ids) people.add(id);
          }
        }
        filters.by = people;
        break;
      }
      case 'after':
      case 'before':
      case 'on': {
        const at = operands[0] ? instantOf(operands[0], scope) : undefined;
        if (at === undefined) {
          ok = false;
          break;
        }
        if (name === 'on') filters.on = [startOfDay(at), startOfDay(at) + DAY];
        else filters[name] = at;
        break;
      }
      case 'during': {
        const bounds = operands.map((value) => instantOf(value, scope));
        if (bounds.length !== 2 || bounds.some((b) => b === undefined)) {
          if (bounds.length !== 2) scope.report("The predicate 'during' needs two dates: during (start, end).");
          ok = false;
          break;
        }
        filters.during = [bounds[0]!, bounds[1]!];
        break;
      }
    }
  }
  return ok ? filters : undefined;
}

function matchesChange(spec: HistorySpec, item: JqlHistoryItem, f: Filters): boolean {
  if (f.from && !f.from.has(spec.token(item.from, item.fromString))) return false;
  if (f.to && !f.to.has(spec.token(item.to, item.toString))) return false;
  if (f.by && !f.by.has(item.author)) return false;
  if (f.after !== undefined && !(item.at > f.after)) return false;
  if (f.before !== undefined && !(item.at < f.before)) return false;
  if (f.on && !(item.at >= f.on[0] && item.at < f.on[1])) return false;
  if (f.during && !(item.at >= f.during[0] && item.at <= f.during[1])) return false;
  return true;
}

interface Segment {
  value: string | null;
  start: number;
  end: number;
  /** Who set this value; null for the value the issue was created with. */
  author: string | null;
}

/** The field's values over the issue's life, rebuilt from its changes. */
function segments(spec: HistorySpec, issue: JqlIssueRecord): Segment[] {
  const changes = (issue.history ?? []).filter((item) => item.fieldId === spec.fieldId);
  const result: Segment[] = [];
  let value = changes.length > 0 ? spec.token(changes[0]!.from, changes[0]!.fromString) : spec.current(issue);
  let start = issue.created;
  let author: string | null = null;
  for (const change of changes) {
    result.push({ value, start, end: change.at, author });
    value = spec.token(change.to, change.toString);
    start = change.at;
    author = change.author;
  }
  result.push({ value, start, end: Number.POSITIVE_INFINITY, author });
  return result;
}

function inWindow(s: Segment, f: Filters): boolean {
  if (f.by && (s.author === null || !f.by.has(s.author))) return false;
  if (f.after !== undefined && !(s.end > f.after)) return false;
  if (f.before !== undefined && !(s.start < f.before)) return false;
  if (f.on && !(s.start < f.on[1] && s.end > f.on[0])) return false;
  if (f.during && !(s.start <= f.during[1] && s.end >= f.during[0])) return false;
  return true;
}
