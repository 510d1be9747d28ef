// Jira Cloud's own wording for rejected queries, so that an admin who pastes a
// trigger query here sees what Jira would have said.

export const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

export const SYNTAX_PREFIX = 'Error in the JQL Query: ';

export const jqlMessages = {
  fieldNotFound: (field: string) => `Field '${field}' does not exist or you do not have permission to view it.`,
  operatorNotSupported: (operator: string, field: string) =>
    `The operator '${operator}' is not supported by the '${field}' field.`,
  valueNotFound: (value: string, field: string) => `The value '${value}' does not exist for the field '${field}'.`,
  unknownFunction: (display: string) => `Unable to find JQL function '${display}'.`,
  functionNotForField: (fn: string, field: string) =>
    `A value provided by the function '${fn}' is invalid for the field '${field}'.`,
  functionArity: (fn: string, min: number, max: number, received: number) =>
    min === max
      ? `Function '${fn}' expected '${min}' arguments but received '${received}'.`
      : `Function '${fn}' expected between '${min}' and '${max}' arguments but received '${received}'.`,
  functionDuration: (fn: string) =>
    `Duration for function '${fn}' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.`,
  invalidDate: (value: string, field: string) => `Date value '${value}' for field '${field}' is invalid. ${DATE_FORMATS}`,
  invalidIssueKey: (value: string, field: string) => `The issue key '${value}' for field '${field}' is invalid.`,
  issueNotFound: (key: string, field: string) => `An issue with key '${key}' does not exist for field '${field}'.`,
  emptyTextSearch: (field: string) => `The field '${field}' does not support searching for an empty string.`,
  unparsableText: (text: string, field: string) => `Unable to parse the text '${text}' for field '${field}'.`,
  sortFieldNotFound: (field: string) => `Not able to sort using field '${field}'.`,
  fieldNotSortable: (field: string) => `Field '${field}' does not support sorting.`,
  unbounded: 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
  emptyFieldName: (position: string) => `${SYNTAX_PREFIX}A field name cannot be empty. ${position}`,
  emptyFunctionName: (position: string) => `${SYNTAX_PREFIX}A function name cannot be empty. ${position}`,
} as const;
