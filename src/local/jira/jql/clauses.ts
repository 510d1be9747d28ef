// Compiles the WHERE part into one predicate. NOT is pushed down to the
// clauses the way Jira rewrites queries (De Morgan, then `=`↔`!=`, `in`↔`not in`,
// `~`↔`!~`, `is`↔`is not`, `<`↔`>=`, `>`↔`<=`), which is why `NOT assignee = x`
// skips unassigned issues in Jira and here alike.
import type { Clause, Operand as AstOperand, TerminalClause } from '@atlaskit/jql-ast';
import { resolveField } from './fields';
import { compileHistory, HISTORY_OPERATORS } from './history';
import { jqlMessages } from './messages';
import type { BuildScope, Comparison, JqlCompileContext, Operand, Predicate, Test } from './model';
import { never } from './model';

export interface WhereScope {
  ctx: JqlCompileContext;
  report(message: string): void;
}

export function compileWhere(clause: Clause, negated: boolean, scope: WhereScope): Predicate {
  switch (clause.clauseType) {
    case 'not':
      return compileWhere(clause.clause, !negated, scope);
    case 'compound': {
      const parts = clause.clauses.map((child) => compileWhere(child, negated, scope));
      const conjunction = (clause.operator.value === 'and') !== negated;
      return conjunction ? allOf(parts) : anyOf(parts);
    }
    case 'terminal':
      return compileTerminal(clause, negated, scope);
  }
}

function allOf(parts: Predicate[]): Predicate {
  if (parts.length === 1) return parts[0]!;
  return (issue) => {
    for (const part of parts) if (!part(issue)) return false;
    return true;
  };
}

function anyOf(parts: Predicate[]): Predicate {
  if (parts.length === 1) return parts[0]!;
  return (issue) => {
    for (const part of parts) if (part(issue)) return true;
    return false;
  };
}

function compileTerminal(clause: TerminalClause, negated: boolean, scope: WhereScope): Predicate {
  const field = clause.field;
  const resolved = resolveField(field, scope.ctx);
  if (!resolved) {
    scope.report(jqlMessages.fieldNotFound(field.value));
    return never;
  }
  const operator = clause.operator?.value;
  if (!operator) return never; // the parser has already complained
  if (HISTORY_OPERATORS.has(operator)) {
    const scopeForHistory: BuildScope = { field: resolved.name, ctx: scope.ctx, report: scope.report };
    return compileHistory(resolved.handler.history, operator, clause.operand, clause.predicates ?? [], negated, scopeForHistory);
  }
  if (!resolved.handler.operators.has(operator)) {
    scope.report(jqlMessages.operatorNotSupported(operator, resolved.name));
    return never;
  }
  if (!clause.operand) return never;
  const operands = flatten(clause.operand);
  const test = toTest(operator, operands, negated);
  if (!test) {
    scope.report(jqlMessages.operatorNotSupported(operator, resolved.name));
    return never;
  }
  const buildScope: BuildScope = { field: resolved.name, ctx: scope.ctx, report: scope.report };
  return resolved.handler.build(test, buildScope);
}

function flatten(operand: AstOperand): Operand[] {
  switch (operand.operandType) {
    case 'keyword':
      return [{ kind: 'empty' }];
    case 'value':
      return [{ kind: 'value', value: operand.value }];
    case 'function':
      return [{ kind: 'function', name: operand.function.value, args: operand.arguments.map((a) => a.value) }];
    case 'list':
      return operand.values.flatMap(flatten);
  }
}

const FLIPPED: Record<Comparison, Comparison> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function toTest(operator: string, operands: Operand[], negated: boolean): Test | undefined {
  const membership = (positive: boolean): Test => ({ kind: positive !== negated ? 'in' : 'notIn', operands });
  const containment = (positive: boolean): Test => ({ kind: positive !== negated ? 'like' : 'notLike', operands });
  switch (operator) {
    case '=':
    case 'in':
    case 'is':
      return membership(true);
    case '!=':
    case 'not in':
    case 'is not':
      return membership(false);
    case '~':
      return containment(true);
    case '!~':
      return containment(false);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const comparison = operator as Comparison;
      return { kind: 'compare', operator: negated ? FLIPPED[comparison] : comparison, operands };
    }
    default:
      return undefined; // WAS and CHANGED are compiled as history searches
  }
}
