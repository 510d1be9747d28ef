// Free-text fields: summary, description, comment, and `text`, which searches
// summary, description and comments at once (each field on its own, as Jira
// expands `text ~ x` into `summary ~ x OR description ~ x OR comment ~ x`).
import type { JqlIssueRecord } from '../../../contracts';
import type { FieldHandler, Predicate } from '../model';
import { never } from '../model';
import { checkFunction } from '../operands';
import { analyze, compileTextQuery, type AnalyzedText } from '../text-search';
import { CONTAINS, EMPTINESS, operators } from './operators';

// Analysis is kept per distinct string, so a field is tokenised once however
// many queries run over it. The bound keeps a long-running site from growing it forever.
const analyzed = new Map<string, AnalyzedText>();
const CACHE_LIMIT = 50_000;

function analyzeCached(text: string): AnalyzedText {
  let result = analyzed.get(text);
  if (!result) {
    if (analyzed.size >= CACHE_LIMIT) analyzed.clear();
    result = analyze(text);
    analyzed.set(text, result);
  }
  return result;
}

/** The values of each Jira field the clause covers; an empty list is an empty field. */
type FieldValues = (issue: JqlIssueRecord) => readonly (readonly string[])[];

interface TextFieldSpec {
  operators: ReadonlySet<string>;
  values: FieldValues;
  sortKey?: FieldHandler['sortKey'];
}

function textField(spec: TextFieldSpec): FieldHandler {
  const isEmpty = (issue: JqlIssueRecord) => spec.values(issue).every((values) => values.length === 0);
  return {
    operators: spec.operators,
    sortKey: spec.sortKey,
    build(test, scope): Predicate {
      const operand = test.operands[0];
      if (!operand) return never;
      if (operand.kind === 'empty') {
        const wantsEmpty = test.kind === 'in' || test.kind === 'like';
        return wantsEmpty ? isEmpty : (issue) => !isEmpty(issue);
      }
      if (operand.kind === 'function') {
        checkFunction(operand, [], scope);
        return never;
      }
      if (test.kind !== 'like' && test.kind !== 'notLike') return never;
      const compiled = compileTextQuery(operand.value, scope.field);
      if (!compiled.ok) {
        scope.report(compiled.message);
        return never;
      }
      const query = compiled.query;
      const contains = (issue: JqlIssueRecord) =>
        spec.values(issue).some((values) => values.length > 0 && query(values.map(analyzeCached)));
      return test.kind === 'like' ? contains : (issue) => !isEmpty(issue) && !contains(issue);
    },
  };
}

const present = (text: string): readonly string[] => (text.trim() === '' ? [] : [text]);

export const summaryField = textField({
  operators: operators(CONTAINS),
  values: (issue) => [present(issue.summary)],
  sortKey: () => (issue) => issue.summary.toLowerCase(),
});

export const descriptionField = textField({
  operators: operators(CONTAINS, EMPTINESS),
  values: (issue) => [present(issue.descriptionText)],
});

export const commentField = textField({
  operators: operators(CONTAINS),
  values: (issue) => [issue.commentTexts.filter((text) => text.trim() !== '')],
});

export const textSearchField = textField({
  operators: operators(['~']),
  values: (issue) => [
    present(issue.summary),
    present(issue.descriptionText),
    issue.commentTexts.filter((text) => text.trim() !== ''),
  ],
});
