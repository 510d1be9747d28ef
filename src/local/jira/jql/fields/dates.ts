// Date fields: created and updated (instants) and the due date (a calendar
// day). Values are dates, periods relative to now, or date functions.
import type { JqlIssueRecord } from '../../../contracts';
import { dayOf, startOfDay } from '../dates';
import type { FieldHandler, Predicate } from '../model';
import { never } from '../model';
import { compareNumbers, instantOf } from '../operands';
import { EMPTINESS, EQUALITY, ORDERING, operators } from './operators';

function dateField(
  valueOf: (issue: JqlIssueRecord) => number | null,
  options: { wholeDays: boolean; defaultDirection?: 'ASC' | 'DESC' },
): FieldHandler {
  // A day field compares days: `due = now()` is due today, `due < now()` is overdue.
  const normalise = options.wholeDays ? startOfDay : (at: number) => at;
  return {
    operators: operators(EQUALITY, ORDERING, EMPTINESS),
    sortKey: () => valueOf,
    defaultDirection: options.defaultDirection,
    build(test, scope): Predicate {
      if (test.kind === 'like' || test.kind === 'notLike') return never;
      const instants: number[] = [];
      let empty = false;
      for (const operand of test.operands) {
        if (operand.kind === 'empty') empty = true;
        else {
          const at = instantOf(operand, scope);
          if (at !== undefined) instants.push(normalise(at));
        }
      }
      if (test.kind === 'compare') {
        const target = instants[0];
        if (target === undefined) return never;
        return (issue) => {
          const own = valueOf(issue);
          return own !== null && compareNumbers(test.operator, own, target);
        };
      }
      const wanted = new Set(instants);
      if (test.kind === 'in') {
        return (issue) => {
          const own = valueOf(issue);
          return own === null ? empty : wanted.has(own);
        };
      }
      return (issue) => {
        const own = valueOf(issue);
        return own !== null && !wanted.has(own);
      };
    },
  };
}

// Jira sorts created and updated newest first unless told otherwise.
export const createdField = dateField((issue) => issue.created, { wholeDays: false, defaultDirection: 'DESC' });
export const updatedField = dateField((issue) => issue.updated, { wholeDays: false, defaultDirection: 'DESC' });
export const dueDateField = dateField((issue) => (issue.dueDate === null ? null : dayOf(issue.dueDate)), {
  wholeDays: true,
});
