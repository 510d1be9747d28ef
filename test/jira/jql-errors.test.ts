import { describe, expect, it } from 'vitest';
import { compileJql, compileJqlSearch, type JqlCompileContext } from '../../src/local/jira/jql';

const ctx = (overrides: Partial<JqlCompileContext> = {}): JqlCompileContext => ({
  currentAccountId: 'acc-alice',
  now: Date.UTC(2026, 0, 15, 12, 0),
  resolveUsers: (reference) => (['alice', 'acc-alice', 'alice@example.com'].includes(reference.toLowerCase()) ? ['acc-alice'] : []),
  projectExists: (reference) => ['ud', 'ui design', '10000'].includes(reference.toLowerCase()),
  ...overrides,
});

function errors(jql: string, context = ctx()): string[] {
  const compiled = compileJql(jql, context);
  if (compiled.ok) throw new Error(`accepted: ${jql}`);
  return compiled.errorMessages;
}

const operatorList =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

describe('JQL rejections in Jira wording', () => {
  it('unknown field', () => {
    expect(errors('foo = bar')).toEqual(["Field 'foo' does not exist or you do not have permission to view it."]);
    expect(errors('label = new-features')).toEqual([
      "Field 'label' does not exist or you do not have permission to view it.",
    ]);
  });

  it('every problem is reported, not just the first', () => {
    expect(errors('foo = 1 AND bar = 2 ORDER BY baz')).toEqual([
      "Field 'foo' does not exist or you do not have permission to view it.",
      "Field 'bar' does not exist or you do not have permission to view it.",
      "Not able to sort using field 'baz'.",
    ]);
  });

  it('operator the field does not support', () => {
    expect(errors('status ~ Done')).toEqual(["The operator '~' is not supported by the 'status' field."]);
    expect(errors('summary = "Login page"')).toEqual(["The operator '=' is not supported by the 'summary' field."]);
    expect(errors('text !~ login')).toEqual(["The operator '!~' is not supported by the 'text' field."]);
    expect(errors('labels > a')).toEqual(["The operator '>' is not supported by the 'labels' field."]);
    expect(errors('NOT created ~ x')).toEqual(["The operator '~' is not supported by the 'created' field."]);
  });

  it('history operators on fields whose history Jira does not search', () => {
    expect(errors('summary WAS Done')).toEqual(["The operator 'was' is not supported by the 'summary' field."]);
    expect(errors('labels CHANGED')).toEqual(["The operator 'changed' is not supported by the 'labels' field."]);
    expect(compileJql('status WAS Done', ctx()).ok).toBe(true);
    expect(compileJql('status CHANGED FROM Done TO "In Progress" AFTER -1d BY currentUser()', ctx()).ok).toBe(true);
    // Jira's grammar itself takes FROM and TO only after CHANGED.
    expect(errors('status WAS Done FROM Open')).toEqual(["Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'FROM'. (line 1, character 17)"]);
  });

  it('unknown or unsuitable function', () => {
    expect(errors('assignee = nope()')).toEqual(["Unable to find JQL function 'nope()'."]);
    expect(errors('assignee in membersOf("jira-users")')).toEqual(["Unable to find JQL function 'membersOf(jira-users)'."]);
    expect(errors('status = currentUser()')).toEqual([
      "A value provided by the function 'currentUser' is invalid for the field 'status'.",
    ]);
    expect(errors('created > now(1)')).toEqual(["Function 'now' expected '0' arguments but received '1'."]);
    expect(errors('created > startOfDay(1, 2)')).toEqual([
      "Function 'startOfDay' expected between '0' and '1' arguments but received '2'.",
    ]);
    expect(errors('created > startOfDay("tomorrow")')).toEqual([
      "Duration for function 'startOfDay' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.",
    ]);
  });

  it('unknown project, user, status and issue', () => {
    expect(errors('project = NOPE')).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
    expect(errors('project = UD AND project in (UD, NOPE)')).toEqual([
      "The value 'NOPE' does not exist for the field 'project'.",
    ]);
    expect(errors('assignee = someone')).toEqual(["The value 'someone' does not exist for the field 'assignee'."]);
    const withSite = ctx({ statuses: [{ id: '3', name: 'Done' }], issueExists: (key) => key === 'UD-1' });
    expect(errors('status = Blocked', withSite)).toEqual(["The value 'Blocked' does not exist for the field 'status'."]);
    expect(compileJql('status = 3 AND status = done', withSite).ok).toBe(true);
    expect(errors('key = UD-999', withSite)).toEqual(["An issue with key 'UD-999' does not exist for field 'key'."]);
    expect(errors('key = foo')).toEqual(["The issue key 'foo' for field 'key' is invalid."]);
  });

  it('custom fields exist only in the site catalog', () => {
    expect(errors('"Story points" > 3')).toEqual([
      "Field 'Story points' does not exist or you do not have permission to view it.",
    ]);
    const withFields = ctx({
      customFields: [
        { id: 'customfield_10010', name: 'Story points', kind: 'number' },
        { id: 'customfield_10020', name: 'Team', kind: 'select', options: [{ value: 'Blue' }] },
      ],
    });
    expect(errors('cf[10099] = 1', withFields)).toEqual([
      "Field 'cf[10099]' does not exist or you do not have permission to view it.",
    ]);
    expect(errors('"Story points" ~ five', withFields)).toEqual([
      "The operator '~' is not supported by the 'Story points' field.",
    ]);
    expect(errors('Team = Red', withFields)).toEqual(["The value 'Red' does not exist for the field 'Team'."]);
  });

  it('bad dates and text', () => {
    expect(errors('updated > yesterday')).toEqual([
      "Date value 'yesterday' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    ]);
    expect(errors('created > "2026-02-30"')[0]).toMatch(/^Date value '2026-02-30' for field 'created' is invalid\./);
    expect(errors('created > "4w 2"')[0]).toMatch(/^Date value '4w 2' for field 'created' is invalid\./);
    expect(errors('text ~ ""')).toEqual(["The field 'text' does not support searching for an empty string."]);
    expect(errors('summary ~ "AND"')).toEqual(["Unable to parse the text 'AND' for field 'summary'."]);
  });

  it('ORDER BY a field that cannot sort', () => {
    expect(errors('project = UD ORDER BY bogus')).toEqual(["Not able to sort using field 'bogus'."]);
    expect(errors('project = UD ORDER BY description')).toEqual(["Field 'description' does not support sorting."]);
  });

  it('search endpoints refuse an unbounded query', () => {
    const unbounded = ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'];
    expect(compileJqlSearch('ORDER BY created DESC', ctx())).toEqual({ ok: false, errorMessages: unbounded });
    expect(compileJqlSearch('', ctx())).toEqual({ ok: false, errorMessages: unbounded });
    expect(compileJqlSearch('project = UD ORDER BY created DESC', ctx()).ok).toBe(true);
    expect(compileJql('', ctx()).ok).toBe(true);
  });
});

describe('JQL syntax errors in Jira wording', () => {
  const syntax = (jql: string) => {
    const messages = errors(jql);
    expect(messages).toHaveLength(1);
    return messages[0];
  };

  it('unbalanced parentheses', () => {
    expect(syntax('(project = UD')).toBe("Error in the JQL Query: Expecting ')' before the end of the query.");
    expect(syntax('project = UD AND (status = Done')).toBe("Error in the JQL Query: Expecting ')' before the end of the query.");
    expect(syntax('project = UD)')).toBe("Error in the JQL Query: Expecting either 'OR' or 'AND' but got ')'. (line 1, character 13)");
  });

  it('missing or misplaced parts', () => {
    expect(syntax('invalid query')).toBe(`Error in the JQL Query: Expecting operator but got 'query'. ${operatorList} (line 1, character 9)`);
    expect(syntax('project')).toBe(`Error in the JQL Query: Expecting operator before the end of the query. ${operatorList}`);
    expect(syntax('project =')).toBe('Error in the JQL Query: Expecting either a value, list or function before the end of the query.');
    expect(syntax('project = UD AND')).toBe('Error in the JQL Query: Expecting a field name at the end of the query.');
    expect(syntax('project = UD status = Done')).toBe(
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 14)",
    );
    expect(syntax('a=!')).toBe(
      "Error in the JQL Query: Expecting either a value, list or function but got '!'. You must surround '!' in quotation marks to use it as a value. (line 1, character 3)",
    );
    expect(syntax('j not is empty')).toBe("Error in the JQL Query: Expecting 'IN' but got 'is'. (line 1, character 7)");
  });

  it('ORDER BY mistakes', () => {
    expect(syntax('a = b order')).toBe("Error in the JQL Query: Expecting 'by' before the end of the query.");
    expect(syntax('a = b order by')).toBe('Error in the JQL Query: Expecting a field name at the end of the query.');
    expect(syntax('a = b order by c blah')).toBe(
      "Error in the JQL Query: Expecting either 'ASC' or 'DESC' but got 'blah'. (line 1, character 18)",
    );
    expect(syntax('a = b order by c desc d')).toBe("Error in the JQL Query: Expecting ',' but got 'd'. (line 1, character 23)");
  });

  it('strings, reserved words and characters', () => {
    expect(syntax("comment ~ 'test")).toBe(
      "Error in the JQL Query: The quoted string 'test' has not been completed. (line 1, character 11)",
    );
    expect(syntax('summary ~ select')).toBe(
      "Error in the JQL Query: 'select' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)",
    );
    expect(syntax('issue.property[sync].enabled = true')).toMatch(/'true' is a reserved JQL word/);
    expect(syntax('minewww = qwwr}')).toBe(
      "Error in the JQL Query: The character '}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007d' instead. (line 1, character 15)",
    );
    expect(syntax('a = "b\\qc"')).toBe(
      "Error in the JQL Query: '\\q' is an illegal JQL escape sequence. The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX. (line 1, character 7)",
    );
    expect(syntax("'' = c")).toBe('Error in the JQL Query: A field name cannot be empty. (line 1, character 1)');
    expect(syntax('a = ""()')).toBe('Error in the JQL Query: A function name cannot be empty. (line 1, character 5)');
  });

  it('custom field ids', () => {
    expect(syntax('cf[abc] = 1')).toBe(
      "Error in the JQL Query: Expecting a custom field id (a positive number) but got 'abc'. (line 1, character 4)",
    );
    expect(syntax('[brenden] = a')).toBe(
      "Error in the JQL Query: Expecting a field name but got '['. Did you mean 'cf['? (line 1, character 1)",
    );
  });
});
