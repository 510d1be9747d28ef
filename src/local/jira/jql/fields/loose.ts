// Fields whose values the record keeps as raw JSON: custom fields and issue
// properties. A value is reduced to comparable atoms (numbers and strings;
// options, users and ADF documents by their value, accountId or text) and the
// field's kind, when the site says it, decides the operators and how a literal
// in the query is read.
import type { JqlIssueRecord } from '../../../contracts';
import { startOfDay } from '../dates';
import { jqlMessages } from '../messages';
import type { BuildScope, FieldHandler, JqlCustomFieldKind, Operand, Predicate, SortKey, Test } from '../model';
import { never } from '../model';
import { checkFunction, compareNumbers, currentUserIds, instantOf, type FunctionKind } from '../operands';
import { analyze, compileTextQuery } from '../text-search';
import { CONTAINS, EMPTINESS, EQUALITY, ORDERING, operators } from './operators';

type Atom = string | number;

export function atomsOf(value: unknown): Atom[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : [];
  if (typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(atomsOf);
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.type === 'doc') return atomsOf(adfText(record));
    for (const key of ['accountId', 'value', 'name', 'key', 'id', 'displayName']) {
      if (record[key] !== undefined && record[key] !== null) return atomsOf(record[key]);
    }
  }
  return [];
}

function adfText(node: unknown): string {
  if (Array.isArray(node)) return node.map(adfText).join(' ');
  if (node === null || typeof node !== 'object') return '';
  const record = node as Record<string, unknown>;
  const own = typeof record.text === 'string' ? record.text : '';
  return record.content === undefined ? own : `${own} ${adfText(record.content)}`.trim();
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An atom read as a date: `2026-01-31` or an ISO date-time such as Jira's `2026-01-31T10:00:00.000+0000`. */
function dateOfAtom(atom: Atom): number | undefined {
  if (typeof atom !== 'string') return undefined;
  const m = ISO_DATE.exec(atom.trim());
  if (!m) return undefined;
  const utc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const zone = m[8];
  if (!zone || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return utc - sign * offset;
}

function numberOfAtom(atom: Atom): number | undefined {
  if (typeof atom === 'number') return atom;
  const n = Number(atom);
  return atom.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

const dateToken = (at: number) => `@${at}`;

interface LooseFieldSpec {
  valueOf(issue: JqlIssueRecord): unknown;
  kind?: JqlCustomFieldKind;
  options?: readonly { value: string }[];
}

function operatorsFor(kind: JqlCustomFieldKind | undefined): ReadonlySet<string> {
  switch (kind) {
    case 'text':
    case 'textarea':
      return operators(CONTAINS, EMPTINESS);
    case 'number':
    case 'date':
    case 'datetime':
      return operators(EQUALITY, ORDERING, EMPTINESS);
    case 'url':
    case 'select':
    case 'multiselect':
    case 'checkboxes':
    case 'cascadingselect':
    case 'user':
    case 'multiuser':
    case 'labels':
      return operators(EQUALITY, EMPTINESS);
    default:
      return operators(EQUALITY, CONTAINS, ORDERING, EMPTINESS);
  }
}

function functionsFor(kind: JqlCustomFieldKind | undefined): FunctionKind[] {
  if (kind === 'user' || kind === 'multiuser') return ['user'];
  if (kind === 'date' || kind === 'datetime') return ['date'];
  return kind === undefined ? ['user', 'date'] : [];
}

export function looseField(spec: LooseFieldSpec): FieldHandler {
  const { kind } = spec;
  const isDate = kind === 'date' || kind === 'datetime';
  const dayPrecision = (at: number) => (kind === 'date' ? startOfDay(at) : at);

  /** Tokens an issue's atom matches in `=`/`in`. */
  const tokensOfAtom = (atom: Atom): string[] => {
    if (typeof atom === 'number') return [String(atom)];
    const tokens = [atom.toLowerCase()];
    const asNumber = numberOfAtom(atom);
    if (asNumber !== undefined) tokens.push(String(asNumber));
    const asDate = dateOfAtom(atom);
    if (asDate !== undefined) tokens.push(dateToken(dayPrecision(asDate)));
    return tokens;
  };

  /** Tokens a literal or function in the query stands for; reports what Jira would reject. */
  const tokensOfOperand = (operand: Operand, scope: BuildScope): string[] => {
    if (operand.kind === 'empty') return [];
    if (operand.kind === 'function') {
      const fnKind = checkFunction(operand, functionsFor(kind), scope);
      if (fnKind === 'user') return currentUserIds(operand, scope).map((id) => id.toLowerCase());
      if (fnKind === 'date') {
        const at = instantOf(operand, scope);
        return at === undefined ? [] : [dateToken(dayPrecision(at))];
      }
      return [];
    }
    const value = operand.value;
    if (isDate) {
      const at = instantOf(operand, scope);
      return at === undefined ? [] : [dateToken(dayPrecision(at))];
    }
    if (kind === 'number') {
      const n = numberOfAtom(value);
      if (n === undefined) scope.report(jqlMessages.valueNotFound(value, scope.field));
      return n === undefined ? [] : [String(n)];
    }
    if (kind === 'user' || kind === 'multiuser') {
      const ids = scope.ctx.resolveUsers(value);
      if (ids.length === 0) scope.report(jqlMessages.valueNotFound(value, scope.field));
      return ids.map((id) => id.toLowerCase());
    }
    const optioned = kind === 'select' || kind === 'multiselect' || kind === 'checkboxes' || kind === 'cascadingselect';
    if (optioned && spec.options && !spec.options.some((o) => o.value.toLowerCase() === value.toLowerCase())) {
      scope.report(jqlMessages.valueNotFound(value, scope.field));
      return [];
    }
    const tokens = [value.toLowerCase()];
    const n = numberOfAtom(value);
    if (n !== undefined) tokens.push(String(n));
    if (kind === undefined) tokens.push(...scope.ctx.resolveUsers(value).map((id) => id.toLowerCase()));
    return tokens;
  };

  const membershipOf = (test: Test & { kind: 'in' | 'notIn' }, scope: BuildScope): Predicate => {
    const wanted = new Set<string>();
    let empty = false;
    for (const operand of test.operands) {
      if (operand.kind === 'empty') empty = true;
      for (const token of tokensOfOperand(operand, scope)) wanted.add(token);
    }
    const hit = (atoms: Atom[]) => atoms.some((atom) => tokensOfAtom(atom).some((t) => wanted.has(t)));
    if (test.kind === 'in') {
      return (issue) => {
        const atoms = atomsOf(spec.valueOf(issue));
        return atoms.length === 0 ? empty : hit(atoms);
      };
    }
    return (issue) => {
      const atoms = atomsOf(spec.valueOf(issue));
      return atoms.length > 0 && !hit(atoms);
    };
  };

  const comparisonOf = (test: Test & { kind: 'compare' }, scope: BuildScope): Predicate => {
    const operand = test.operands[0];
    if (!operand || operand.kind === 'empty') return never;
    const literal = operand.kind === 'value' ? operand.value : undefined;
    const asNumber = literal === undefined ? undefined : numberOfAtom(literal);
    if (kind === 'number' || (!isDate && asNumber !== undefined)) {
      if (asNumber === undefined) {
        if (operand.kind === 'function') checkFunction(operand, [], scope);
        else scope.report(jqlMessages.valueNotFound(literal ?? '', scope.field));
        return never;
      }
      return (issue) =>
        atomsOf(spec.valueOf(issue)).some((atom) => {
          const own = numberOfAtom(atom);
          return own !== undefined && compareNumbers(test.operator, own, asNumber);
        });
    }
    const at = instantOf(operand, scope);
    if (at === undefined) return never;
    const target = dayPrecision(at);
    return (issue) =>
      atomsOf(spec.valueOf(issue)).some((atom) => {
        const own = dateOfAtom(atom);
        return own !== undefined && compareNumbers(test.operator, dayPrecision(own), target);
      });
  };

  const containsOf = (test: Test & { kind: 'like' | 'notLike' }, scope: BuildScope): Predicate => {
    const operand = test.operands[0];
    if (!operand) return never;
    if (operand.kind === 'empty') {
      const isEmpty = (issue: JqlIssueRecord) => atomsOf(spec.valueOf(issue)).length === 0;
      return test.kind === 'like' ? isEmpty : (issue) => !isEmpty(issue);
    }
    if (operand.kind === 'function') {
      checkFunction(operand, [], scope);
      return never;
    }
    const compiled = compileTextQuery(operand.value, scope.field);
    if (!compiled.ok) {
      scope.report(compiled.message);
      return never;
    }
    const query = compiled.query;
    const contains = (atoms: Atom[]) => query(atoms.map((atom) => analyze(String(atom))));
    return (issue) => {
      const atoms = atomsOf(spec.valueOf(issue));
      if (atoms.length === 0) return false;
      return test.kind === 'like' ? contains(atoms) : !contains(atoms);
    };
  };

  return {
    operators: operatorsFor(kind),
    sortKey: () => (issue): SortKey => {
      const first = atomsOf(spec.valueOf(issue))[0];
      if (first === undefined) return null;
      if (typeof first === 'number') return first;
      const asDate = isDate ? dateOfAtom(first) : undefined;
      return asDate ?? first.toLowerCase();
    },
    build(test, scope) {
      switch (test.kind) {
        case 'in':
        case 'notIn':
          return membershipOf(test, scope);
        case 'compare':
          return comparisonOf(test, scope);
        case 'like':
        case 'notLike':
          return containsOf(test, scope);
      }
    },
  };
}
