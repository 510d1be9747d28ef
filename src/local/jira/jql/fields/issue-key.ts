// Fields that name issues: the issue itself (key, issuekey, issue, id) and its parent.
// A value is an issue key (any case) or a numeric issue id.
import type { JqlIssueRecord } from '../../../contracts';
import { jqlMessages } from '../messages';
import type { BuildScope, FieldHandler, Operand, Predicate, Test } from '../model';
import { never } from '../model';
import { checkFunction, collect, compareNumbers, membership } from '../operands';
import { EQUALITY, ORDERING, operators } from './operators';

export const ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;
const ISSUE_ID = /^\d+$/;

/** Normalised forms: keys upper-cased, ids prefixed so they never collide with a key. */
const keyToken = (key: string) => key.toUpperCase();
const idToken = (id: string) => `#${id}`;

type IssueRef = { kind: 'key'; key: string; project: string; number: number } | { kind: 'id'; id: string };

function parseRef(operand: Operand, scope: BuildScope): IssueRef | undefined {
  if (operand.kind === 'function') {
    checkFunction(operand, [], scope);
    return undefined;
  }
  if (operand.kind !== 'value') return undefined;
  const value = operand.value.trim();
  if (ISSUE_ID.test(value)) return { kind: 'id', id: value };
  const match = ISSUE_KEY.exec(value);
  if (!match) {
    scope.report(jqlMessages.invalidIssueKey(operand.value, scope.field));
    return undefined;
  }
  const key = keyToken(value);
  if (scope.ctx.issueExists && !scope.ctx.issueExists(key)) {
    scope.report(jqlMessages.issueNotFound(operand.value, scope.field));
    return undefined;
  }
  return { kind: 'key', key, project: match[1]!.toUpperCase(), number: Number(match[2]) };
}

function refTokens(test: Test, scope: BuildScope) {
  return collect(test.operands, (operand) => {
    const ref = parseRef(operand, scope);
    if (!ref) return [];
    return [ref.kind === 'key' ? ref.key : idToken(ref.id)];
  });
}

function issueNumber(key: string): number {
  const dash = key.lastIndexOf('-');
  return Number(key.slice(dash + 1));
}

/** `key = UD-1`, `key in (UD-1, UD-2)`, `key > UD-5` (same project, later number), `id = 10001`. */
export const issueKeyField: FieldHandler = {
  operators: operators(EQUALITY, ORDERING),
  sortKey: () => (issue) => `${issue.projectKey.toLowerCase()}\u0000${String(issueNumber(issue.key)).padStart(12, '0')}`,
  build(test, scope): Predicate {
    if (test.kind === 'compare') {
      const ref = test.operands[0] ? parseRef(test.operands[0], scope) : undefined;
      if (!ref) return never;
      if (ref.kind === 'id') {
        const id = Number(ref.id);
        return (issue) => compareNumbers(test.operator, Number(issue.id), id);
      }
      return (issue) =>
        issue.projectKey.toUpperCase() === ref.project && compareNumbers(test.operator, issueNumber(issue.key), ref.number);
    }
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    return membership(test.kind, refTokens(test, scope), (issue: JqlIssueRecord) => [
      keyToken(issue.key),
      idToken(issue.id),
    ]);
  },
};

const noParent: readonly string[] = [];

/** `parent = UD-1`: the sub-tasks and child issues of UD-1. */
export const parentField: FieldHandler = {
  operators: operators(EQUALITY),
  build(test, scope): Predicate {
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    return membership(test.kind, refTokens(test, scope), (issue) => {
      if (issue.parentKey === null && issue.parentId === null) return noParent;
      const tokens: string[] = [];
      if (issue.parentKey !== null) tokens.push(keyToken(issue.parentKey));
      if (issue.parentId !== null) tokens.push(idToken(issue.parentId));
      return tokens;
    });
  },
};
