// User fields (assignee, reporter). A value is an accountId, email or display
// name, resolved through the site's directory; `currentUser()` is the caller.
import type { JqlIssueRecord } from '../../../contracts';
import { jqlMessages } from '../messages';
import type { FieldHandler, Predicate } from '../model';
import { never } from '../model';
import { checkFunction, collect, currentUserIds, singleMembership } from '../operands';
import { EMPTINESS, EQUALITY, operators } from './operators';

function userField(accountIdOf: (issue: JqlIssueRecord) => string | null, historyField: string): FieldHandler {
  return {
    operators: operators(EQUALITY, EMPTINESS),
    // The history keeps account ids as the raw values.
    history: {
      fieldId: historyField,
      multi: false,
      token: (raw) => raw,
      current: accountIdOf,
      resolve: (operand, scope) => {
        if (operand.kind === 'function') return checkFunction(operand, ['user'], scope) ? currentUserIds(operand, scope) : [];
        if (operand.kind !== 'value') return [];
        const ids = scope.ctx.resolveUsers(operand.value);
        if (ids.length === 0) scope.report(jqlMessages.valueNotFound(operand.value, scope.field));
        return ids;
      },
    },
    // Jira sorts by display name; the record carries only the accountId.
    sortKey: () => accountIdOf,
    build(test, scope): Predicate {
      if (test.kind !== 'in' && test.kind !== 'notIn') return never;
      const wanted = collect(test.operands, (operand) => {
        if (operand.kind === 'function') {
          return checkFunction(operand, ['user'], scope) ? currentUserIds(operand, scope) : [];
        }
        if (operand.kind !== 'value') return [];
        const ids = scope.ctx.resolveUsers(operand.value);
        if (ids.length === 0) scope.report(jqlMessages.valueNotFound(operand.value, scope.field));
        return ids;
      });
      return singleMembership(test.kind, wanted, accountIdOf);
    },
  };
}

export const assigneeField = userField((issue) => issue.assigneeAccountId, 'assignee');
export const reporterField = userField((issue) => issue.reporterAccountId, 'reporter');
