import { describe, expect, it } from 'vitest';
import { excludingClause, requiredProjects } from '../../src/triggers/jql-scope';

describe('the projects a trigger query insists on', () => {
  it('reads top-level project clauses joined by AND, in any case and quoting', () => {
    expect(requiredProjects('project = UD AND issuetype = Task')).toEqual([['UD']]);
    expect(requiredProjects('issuetype = Task and PROJECT in (UD, "UI Design")')).toEqual([['UD', 'UI Design']]);
    expect(requiredProjects('(project = UD AND labels = x) AND project = TEST')).toEqual([['UD'], ['TEST']]);
  });

  it('leaves alone what it cannot judge: OR, NOT, functions, other operators, broken queries', () => {
    expect(requiredProjects('project = TEST OR labels = x')).toEqual([]);
    expect(requiredProjects('NOT project = TEST')).toEqual([]);
    expect(requiredProjects('project in projectsLeadByUser()')).toEqual([]);
    expect(requiredProjects('project != TEST')).toEqual([]);
    expect(requiredProjects('project = AND')).toEqual([]);
  });

  it('names the clause that excludes the connection\'s project, by key, name or id', () => {
    expect(excludingClause('project = TEST AND labels = x', ['UD', 'UI Design', '10000'])).toBe('project TEST');
    expect(excludingClause('project = "ui design"', ['UD', 'UI Design', '10000'])).toBeNull();
    expect(excludingClause('project = 10000', ['UD', 'UI Design', '10000'])).toBeNull();
    expect(excludingClause('project in (ud, TEST)', ['UD'])).toBeNull();
    expect(excludingClause('labels = x', ['UD'])).toBeNull();
  });
});
