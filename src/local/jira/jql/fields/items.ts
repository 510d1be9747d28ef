// Fields that hold several things of the issue's project or people:
// fixVersion, affectedVersion and component (by name or id), watcher (people,
// or `currentUser()`), and attachments, which only knows whether there are any.
import type { JqlIssueRecord, JqlNamedRef } from '../../../contracts';
import { jqlMessages } from '../messages';
import type { BuildScope, FieldHandler, JqlNamedValue, Operand, Predicate } from '../model';
import { never } from '../model';
import { checkFunction, collect, currentUserIds, membership } from '../operands';
import { EMPTINESS, EQUALITY, operators } from './operators';

const idToken = (id: string) => `#${id}`;

function namedItemsField(
  valueOf: (issue: JqlIssueRecord) => readonly JqlNamedRef[] | undefined,
  known: (scope: BuildScope) => readonly JqlNamedValue[] | undefined,
  historyField?: string,
): FieldHandler {
  const tokensOf = (issue: JqlIssueRecord): string[] =>
    (valueOf(issue) ?? []).flatMap((item) => [item.name.toLowerCase(), idToken(item.id)]);
  const resolveWith = (scope: BuildScope) => {
    const list = known(scope);
    return (operand: Operand): string[] => {
        if (operand.kind === 'function') {
          // releasedVersions() and its kind need a release calendar the emulator does not keep.
          checkFunction(operand, [], scope);
          return [];
        }
        if (operand.kind !== 'value') return [];
        const value = operand.value;
        if (!list) return [value.toLowerCase()];
        const byId = list.filter((item) => item.id === value);
        if (byId.length > 0) return byId.map((item) => idToken(item.id));
        const byName = list.filter((item) => item.name.toLowerCase() === value.toLowerCase());
        if (byName.length === 0) scope.report(jqlMessages.valueNotFound(value, scope.field));
        return byName.length > 0 ? [value.toLowerCase()] : [];
    };
  };
  return {
    operators: operators(EQUALITY, EMPTINESS),
    sortKey: () => (issue) => {
      const names = (valueOf(issue) ?? []).map((item) => item.name.toLowerCase()).sort();
      return names[0] ?? null;
    },
    // Added and removed one at a time in the history, by name: only CHANGED searches it.
    ...(historyField === undefined ? {} : {
      history: {
        fieldId: historyField,
        multi: true,
        token: (_raw: string | null, text: string | null) => (text === null ? null : text.toLowerCase()),
        current: () => null,
        resolve: (operand: Operand, scope: BuildScope) => resolveWith(scope)(operand).filter((token) => !token.startsWith('#')),
      },
    }),
    build(test, scope): Predicate {
      if (test.kind !== 'in' && test.kind !== 'notIn') return never;
      return membership(test.kind, collect(test.operands, resolveWith(scope)), tokensOf);
    },
  };
}

export const fixVersionField = namedItemsField((issue) => issue.fixVersions, (scope) => scope.ctx.versions, 'fixVersions');
export const affectedVersionField = namedItemsField((issue) => issue.affectedVersions, (scope) => scope.ctx.versions);
export const componentField = namedItemsField((issue) => issue.components, (scope) => scope.ctx.components);

/** `watcher = currentUser()`, `watcher in (a, b)`, `watcher is EMPTY`. */
export const watcherField: FieldHandler = {
  operators: operators(EQUALITY, EMPTINESS),
  build(test, scope): Predicate {
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    const wanted = collect(test.operands, (operand) => {
      if (operand.kind === 'function') return checkFunction(operand, ['user'], scope) ? currentUserIds(operand, scope) : [];
      if (operand.kind !== 'value') return [];
      const ids = scope.ctx.resolveUsers(operand.value);
      if (ids.length === 0) scope.report(jqlMessages.valueNotFound(operand.value, scope.field));
      return ids;
    });
    return membership(test.kind, wanted, (issue) => issue.watchers ?? []);
  },
};

/** `attachments IS EMPTY` and `attachments IS NOT EMPTY`: the only questions Jira answers about them. */
export const attachmentsField: FieldHandler = {
  operators: operators(EMPTINESS),
  build(test, scope): Predicate {
    if (test.kind !== 'in' && test.kind !== 'notIn') return never;
    const operand = test.operands[0];
    if (!operand || operand.kind !== 'empty') {
      if (operand?.kind === 'function') checkFunction(operand, [], scope);
      else if (operand?.kind === 'value') scope.report(jqlMessages.valueNotFound(operand.value, scope.field));
      return never;
    }
    const has = (issue: JqlIssueRecord) => (issue.attachmentCount ?? 0) > 0;
    return test.kind === 'in' ? (issue) => !has(issue) : has;
  },
};
