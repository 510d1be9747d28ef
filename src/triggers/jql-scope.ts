import { JastBuilder, type Clause, type Operand } from '@atlaskit/jql-ast';

// Which projects a trigger query insists on. A trigger runs bounded to its
// connection's project, so a query whose top level demands other projects
// (`project = TEST AND …`, `project in (A, B) AND …`) can never fire; the
// admin is told at save time instead of finding out from silence.

const valuesOf = (operand: Operand | void): string[] | null => {
  if (!operand) return null;
  if (operand.operandType === 'value') return [operand.value];
  if (operand.operandType === 'list') {
    const values = operand.values.map((v) => (v.operandType === 'value' ? v.value : null));
    return values.every((v): v is string => v !== null) ? values : null;
  }
  return null; // functions and keywords (EMPTY, projectsLeadByUser()…) cannot be judged here
};

/** The clauses joined by AND at the top of the query (the whole query when it is one clause). */
function conjuncts(clause: Clause): Clause[] {
  if (clause.clauseType === 'compound' && clause.operator.value.toLowerCase() === 'and') return clause.clauses.flatMap(conjuncts);
  return [clause];
}

/**
 * Each top-level `project = …` or `project in (…)` clause, as the values it allows; an empty list when the
 * query does not pin its project this way (or cannot be parsed: Jira will say why when it is checked).
 */
export function requiredProjects(query: string): string[][] {
  let where: Clause | void;
  try {
    where = new JastBuilder().setErrorListeners([]).build(query).query?.where;
  } catch {
    return [];
  }
  if (!where) return [];
  const required: string[][] = [];
  for (const clause of conjuncts(where)) {
    if (clause.clauseType !== 'terminal' || clause.field.value.toLowerCase() !== 'project') continue;
    const operator = clause.operator?.value.toLowerCase();
    if (operator !== '=' && operator !== 'in') continue;
    const values = valuesOf(clause.operand);
    if (values) required.push(values);
  }
  return required;
}

/** The first top-level project clause that excludes the project known by `names` (key, name, id), in words; null when none does. */
export function excludingClause(query: string, names: string[]): string | null {
  const ours = new Set(names.map((n) => n.toUpperCase()));
  for (const allowed of requiredProjects(query)) {
    if (!allowed.some((value) => ours.has(value.toUpperCase()))) return allowed.length === 1 ? `project ${allowed[0]}` : `projects ${allowed.join(', ')}`;
  }
  return null;
}
