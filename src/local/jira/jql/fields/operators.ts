// Operator sets from Jira's field reference, as the parser spells operators.

export const EQUALITY = ['=', '!=', 'in', 'not in'] as const;
export const EMPTINESS = ['is', 'is not'] as const;
export const ORDERING = ['<', '<=', '>', '>='] as const;
export const CONTAINS = ['~', '!~'] as const;

export function operators(...groups: readonly (readonly string[])[]): ReadonlySet<string> {
  return new Set(groups.flat());
}
