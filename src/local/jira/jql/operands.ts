// Operands: literal values, EMPTY and functions, resolved once per query so that
// matching an issue is a set lookup.
import { evaluateDateFunction, isDateFunction, parseDateLiteral } from './dates';
import { jqlMessages } from './messages';
import type { BuildScope, Operand, Predicate } from './model';
import type { JqlIssueRecord } from '../../contracts';

/** The kinds of value a function can produce; a field accepts some of them. */
export type FunctionKind = 'user' | 'date';

export function displayFunction(operand: { name: string; args: readonly string[] }): string {
  return `${operand.name}(${operand.args.join(', ')})`;
}

function functionKind(name: string): FunctionKind | undefined {
  if (name.toLowerCase() === 'currentuser') return 'user';
  if (isDateFunction(name)) return 'date';
  return undefined;
}

/**
 * Checks that a function exists and suits the field, reporting Jira's message
 * otherwise. Functions Jira has but the emulator cannot answer (membersOf,
 * linkedIssues, openSprints…) are reported as unknown rather than answered wrongly.
 */
export function checkFunction(
  operand: Extract<Operand, { kind: 'function' }>,
  accepted: readonly FunctionKind[],
  scope: BuildScope,
): FunctionKind | undefined {
  const kind = functionKind(operand.name);
  if (!kind) {
    scope.report(jqlMessages.unknownFunction(displayFunction(operand)));
    return undefined;
  }
  if (!accepted.includes(kind)) {
    scope.report(jqlMessages.functionNotForField(operand.name, scope.field));
    return undefined;
  }
  return kind;
}

/** The accountIds `currentUser()` stands for: none when the caller is the app with no user. */
export function currentUserIds(operand: Extract<Operand, { kind: 'function' }>, scope: BuildScope): string[] {
  if (operand.args.length > 0) {
    scope.report(jqlMessages.functionArity(operand.name, 0, 0, operand.args.length));
    return [];
  }
  return scope.ctx.currentAccountId ? [scope.ctx.currentAccountId] : [];
}

/** An instant from a date literal or a date function, or undefined after reporting why not. */
export function instantOf(operand: Operand, scope: BuildScope): number | undefined {
  if (operand.kind === 'value') {
    const at = parseDateLiteral(operand.value, scope.ctx.now);
    if (at === undefined) scope.report(jqlMessages.invalidDate(operand.value, scope.field));
    return at;
  }
  if (operand.kind === 'function') {
    if (!checkFunction(operand, ['date'], scope)) return undefined;
    const dated = evaluateDateFunction(operand.name, operand.args, scope.ctx.now);
    if (!dated.ok) {
      scope.report(dated.message);
      return undefined;
    }
    return dated.at;
  }
  return undefined;
}

export interface Wanted {
  /** Normalised values the clause names. */
  values: Set<string>;
  /** Whether EMPTY is among them. */
  empty: boolean;
}

/**
 * Collects the values of an `in`/`not in` test through `resolve`, which maps
 * one operand to normalised values (reporting problems itself).
 */
export function collect(operands: readonly Operand[], resolve: (operand: Operand) => readonly string[]): Wanted {
  const wanted: Wanted = { values: new Set(), empty: false };
  for (const operand of operands) {
    if (operand.kind === 'empty') wanted.empty = true;
    else for (const value of resolve(operand)) wanted.values.add(value);
  }
  return wanted;
}

/**
 * Membership with Jira's treatment of empty fields: `in` matches an empty
 * field only when EMPTY is listed; `not in` (and `!=`) never matches one.
 */
export function membership(
  kind: 'in' | 'notIn',
  wanted: Wanted,
  valuesOf: (issue: JqlIssueRecord) => readonly string[],
): Predicate {
  const { values, empty } = wanted;
  if (kind === 'in') {
    return (issue) => {
      const own = valuesOf(issue);
      if (own.length === 0) return empty;
      for (const v of own) if (values.has(v)) return true;
      return false;
    };
  }
  return (issue) => {
    const own = valuesOf(issue);
    if (own.length === 0) return false;
    for (const v of own) if (values.has(v)) return false;
    return true;
  };
}

/** The same for single-valued fields, without building an array per issue. */
export function singleMembership(
  kind: 'in' | 'notIn',
  wanted: Wanted,
  valueOf: (issue: JqlIssueRecord) => string | null,
): Predicate {
  const { values, empty } = wanted;
  if (kind === 'in') {
    return (issue) => {
      const own = valueOf(issue);
      return own === null ? empty : values.has(own);
    };
  }
  return (issue) => {
    const own = valueOf(issue);
    return own !== null && !values.has(own);
  };
}

export function compareNumbers(operator: '<' | '<=' | '>' | '>=', a: number, b: number): boolean {
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
