// Labels: a multi-valued field. `labels = a` matches an issue carrying label a
// among others; `labels != a` matches issues that have labels, none of them a.
// Compared case-insensitively, as Jira's index does.
import type { FieldHandler, Predicate } from '../model';
import { never } from '../model';
import { checkFunction, collect, membership } from '../operands';
import { EMPTINESS, EQUALITY, operators } from './operators';

export const labelsField: FieldHandler = {
  operators: operators(EQUALITY, EMPTINESS),
  build(test, scope): Predicate {
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    const wanted = collect(test.operands, (operand) => {
      if (operand.kind === 'function') checkFunction(operand, [], scope);
      return operand.kind === 'value' ? [operand.value.toLowerCase()] : [];
    });
    return membership(test.kind, wanted, (issue) => issue.labels.map((label) => label.toLowerCase()));
  },
};
