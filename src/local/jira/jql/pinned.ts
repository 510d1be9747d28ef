// When the top level of a query is a conjunction that includes `key = X` or
// `key in (X, Y)`, only those issues can match, so the caller may look them up
// by key instead of scanning the site.
import type { Clause } from '@atlaskit/jql-ast';
import { ISSUE_KEY } from './fields/issue-key';

const KEY_FIELDS = new Set(['key', 'issuekey', 'issue', 'id']);

export function pinnedKeys(where: Clause | void): string[] | undefined {
  if (!where) return undefined;
  let pinned: Set<string> | undefined;
  for (const clause of conjuncts(where)) {
    const keys = keysOf(clause);
    if (!keys) continue;
    pinned = pinned ? new Set([...pinned].filter((k) => keys.has(k))) : keys;
  }
  return pinned ? [...pinned] : undefined;
}

function conjuncts(clause: Clause): Clause[] {
  if (clause.clauseType === 'compound' && clause.operator.value === 'and') return clause.clauses.flatMap(conjuncts);
  return [clause];
}

function keysOf(clause: Clause): Set<string> | undefined {
  if (clause.clauseType !== 'terminal') return undefined;
  if (!KEY_FIELDS.has(clause.field.value.toLowerCase())) return undefined;
  const operator = clause.operator?.value;
  const operand = clause.operand;
  if (!operand || (operator !== '=' && operator !== 'in')) return undefined;
  const values =
    operand.operandType === 'value'
      ? [operand]
      : operand.operandType === 'list'
        ? operand.values
        : undefined;
  if (!values) return undefined;
  const keys = new Set<string>();
  for (const value of values) {
    // An id, EMPTY or a function cannot be turned into a key here: no pin.
    if (value.operandType !== 'value' || !ISSUE_KEY.test(value.value.trim())) return undefined;
    keys.add(value.value.trim().toUpperCase());
  }
  return keys;
}
