import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JqlIssueRecord } from '../../src/local/contracts';
import { compileJql, type JqlCompileContext } from '../../src/local/jira/jql';

// Thursday 2026-01-15 12:00 UTC; the week (Sunday start) began on 2026-01-11.
const NOW = Date.UTC(2026, 0, 15, 12, 0);
const at = (iso: string) => Date.parse(`${iso}Z`);

const people = [
  { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice Adams' },
  { accountId: 'acc-bob', email: 'bob@example.com', displayName: 'Bob Brown' },
  { accountId: 'acc-carol', email: 'carol@example.com', displayName: 'Carol Chen' },
];

const projects = [
  { id: '10000', key: 'UD', name: 'UI Design' },
  { id: '10001', key: 'SC', name: 'Software Chasers' },
];

function issue(partial: Partial<JqlIssueRecord> & Pick<JqlIssueRecord, 'id' | 'key'>): JqlIssueRecord {
  const project = projects.find((p) => partial.key.startsWith(`${p.key}-`))!;
  return {
    projectId: project.id,
    projectKey: project.key,
    projectName: project.name,
    issueType: 'Task',
    status: 'To Do',
    statusCategory: 'To Do',
    priority: 'Medium',
    resolution: null,
    labels: [],
    assigneeAccountId: null,
    reporterAccountId: 'acc-alice',
    summary: '',
    descriptionText: '',
    commentTexts: [],
    created: NOW,
    updated: NOW,
    dueDate: null,
    parentId: null,
    parentKey: null,
    properties: {},
    customFields: {},
    ...partial,
  };
}

const fixture: JqlIssueRecord[] = [
  issue({
    id: '10001', key: 'UD-1', labels: ['new-features', 'ui'], assigneeAccountId: 'acc-alice', reporterAccountId: 'acc-bob',
    summary: 'Login page redesign', descriptionText: 'The login form needs a new layout', commentTexts: ['Looks good'],
    created: at('2026-01-10T09:00'), updated: at('2026-01-15T08:00'), dueDate: '2026-01-20',
    properties: { sync: { enabled: true, count: 3, tags: ['x', 'y'] } },
    customFields: { 'Story points': 5, 'cf[10010]': 5, Team: { value: 'Blue' }, 'cf[10020]': { value: 'Blue' } },
  }),
  issue({
    id: '10002', key: 'UD-2', issueType: 'Bug', status: 'In Progress', statusCategory: 'In Progress', priority: 'High',
    labels: ['a'], assigneeAccountId: 'acc-bob', summary: 'Crash on logout', descriptionText: 'Stack trace attached',
    created: at('2026-01-15T10:00'), updated: at('2026-01-15T11:00'), dueDate: '2026-01-15',
    customFields: { 'Story points': 3, 'cf[10010]': 3 },
  }),
  issue({
    id: '10003', key: 'UD-3', status: 'Done', statusCategory: 'Done', priority: 'Low', resolution: 'Done', labels: ['b'],
    summary: 'Update documentation', commentTexts: ['Fixed the logins for admins'],
    created: at('2026-01-05T09:00'), updated: at('2026-01-12T09:00'),
  }),
  issue({
    id: '10004', key: 'UD-4', issueType: 'Story', priority: 'Highest', reporterAccountId: 'acc-bob', summary: 'Signup flow',
    descriptionText: 'Users should sign-in with email', created: at('2026-01-14T23:00'), updated: at('2026-01-14T23:30'),
    dueDate: '2026-01-10',
  }),
  issue({
    id: '10005', key: 'UD-5', issueType: 'Sub-task', assigneeAccountId: 'acc-carol', summary: 'Login button colour',
    commentTexts: ['the login page colours are off'], created: at('2026-01-11T09:00'), updated: at('2026-01-11T09:00'),
    parentId: '10001', parentKey: 'UD-1',
  }),
  issue({
    id: '10006', key: 'SC-1', status: 'Done', statusCategory: 'Done', priority: null, resolution: "Won't Do",
    labels: ['new-features'], assigneeAccountId: 'acc-alice', summary: 'Export report', descriptionText: 'CSV export of issues',
    created: at('2025-12-20T09:00'), updated: at('2026-01-02T09:00'), dueDate: '2026-02-01',
  }),
  issue({
    id: '10007', key: 'SC-2', issueType: 'Bug', status: 'In Review', statusCategory: 'In Progress', priority: 'Lowest',
    labels: ['a', 'b'], assigneeAccountId: 'acc-bob', reporterAccountId: 'acc-carol', summary: 'Logging framework upgrade',
    descriptionText: 'Upgrade logger', commentTexts: ['login unaffected'],
    created: at('2026-01-13T09:00'), updated: at('2026-01-14T13:00'),
  }),
  issue({
    id: '10008', key: 'SC-3', labels: ['A'], summary: 'Timeout in search', descriptionText: 'Search times out',
    created: at('2026-01-12T09:00'), updated: at('2026-01-12T09:00'),
  }),
];

const ctx = (overrides: Partial<JqlCompileContext> = {}): JqlCompileContext => ({
  currentAccountId: 'acc-alice',
  now: NOW,
  resolveUsers: (reference) =>
    people
      .filter((p) => [p.accountId, p.email, p.displayName.toLowerCase()].includes(reference.toLowerCase()) ||
        p.displayName.split(' ')[0]!.toLowerCase() === reference.toLowerCase())
      .map((p) => p.accountId),
  projectExists: (reference) =>
    projects.some((p) => [p.id, p.key.toLowerCase(), p.name.toLowerCase()].includes(reference.toLowerCase())),
  customFields: [
    { id: 'customfield_10010', name: 'Story points', kind: 'number' },
    { id: 'customfield_10020', name: 'Team', kind: 'select', options: [{ value: 'Blue' }, { value: 'Green' }] },
  ],
  ...overrides,
});

function search(jql: string, context = ctx()): string[] {
  const compiled = compileJql(jql, context);
  if (!compiled.ok) throw new Error(`rejected: ${compiled.errorMessages.join(' | ')}`);
  return fixture.filter(compiled.matches).sort(compiled.compare).map((i) => i.key);
}

/** The same keys in Jira's default order (newest first), so expectations read by set. */
const newestFirst = (...keys: string[]) =>
  [...keys].sort((a, b) => Number(fixture.find((i) => i.key === b)!.id) - Number(fixture.find((i) => i.key === a)!.id));

describe('JQL: trigger examples from the reference documents', () => {
  it('project and type', () => {
    expect(search('project = UD AND issuetype = Task')).toEqual(['UD-3', 'UD-1']);
  });
  it('type alone, compared case-insensitively by name', () => {
    expect(search('issuetype = Task')).toEqual(['SC-3', 'SC-1', 'UD-3', 'UD-1']);
    expect(search('type = task')).toEqual(search('issuetype = Task'));
  });
  it('label', () => {
    expect(search('labels = new-features')).toEqual(newestFirst('UD-1', 'SC-1'));
  });
  it('assignee by accountId, email or name', () => {
    expect(search('assignee = acc-alice')).toEqual(newestFirst('UD-1', 'SC-1'));
    expect(search('assignee = "alice@example.com"')).toEqual(newestFirst('UD-1', 'SC-1'));
    expect(search('assignee = "Alice Adams"')).toEqual(newestFirst('UD-1', 'SC-1'));
  });
  it('labels in a list and status not Done (labels compare case-insensitively)', () => {
    expect(search('labels in (a, b) AND status != Done')).toEqual(newestFirst('UD-2', 'SC-2', 'SC-3'));
  });
  it('updated within the last day', () => {
    expect(search('updated > -1d')).toEqual(newestFirst('UD-1', 'UD-2', 'UD-4', 'SC-2'));
  });
  it('created since the start of today', () => {
    expect(search('created >= startOfDay()')).toEqual(['UD-2']);
  });
  it('assigned to the caller', () => {
    expect(search('assignee = currentUser()')).toEqual(newestFirst('UD-1', 'SC-1'));
    expect(search('assignee = currentUser()', ctx({ currentAccountId: null }))).toEqual([]);
  });
  it('unassigned', () => {
    expect(search('assignee IS EMPTY')).toEqual(newestFirst('UD-3', 'UD-4', 'SC-3'));
    expect(search('assignee = EMPTY')).toEqual(search('assignee IS EMPTY'));
    expect(search('assignee IS NULL')).toEqual(search('assignee IS EMPTY'));
  });
  it('text search over summary, description and comments', () => {
    expect(search('text ~ "login"')).toEqual(newestFirst('UD-1', 'UD-3', 'UD-5', 'SC-2'));
  });
  it('only an ORDER BY: every issue, newest created first', () => {
    expect(search('ORDER BY created DESC')).toEqual(['UD-2', 'UD-4', 'SC-2', 'SC-3', 'UD-5', 'UD-1', 'UD-3', 'SC-1']);
  });
});

describe('JQL: empty fields and negation follow Jira', () => {
  it('!= and NOT never match an empty field', () => {
    expect(search('NOT assignee = alice')).toEqual(newestFirst('UD-2', 'UD-5', 'SC-2'));
    expect(search('assignee != alice')).toEqual(search('NOT assignee = alice'));
    expect(search('assignee != alice OR assignee IS EMPTY')).toEqual(
      newestFirst('UD-2', 'UD-3', 'UD-4', 'UD-5', 'SC-2', 'SC-3'),
    );
  });
  it('NOT over a group is pushed down with De Morgan', () => {
    // status != Done AND labels != a: issues without labels drop out too.
    expect(search('NOT (status = Done OR labels = a)')).toEqual(['UD-1']);
  });
  it('assignee != currentUser() with no user keeps only assigned issues', () => {
    expect(search('assignee != currentUser()', ctx({ currentAccountId: null }))).toEqual(
      newestFirst('UD-1', 'UD-2', 'UD-5', 'SC-1', 'SC-2'),
    );
  });
  it('AND binds tighter than OR', () => {
    expect(search('project = SC OR project = UD AND issuetype = Bug')).toEqual(newestFirst('UD-2', 'SC-1', 'SC-2', 'SC-3'));
    expect(search('(project = SC OR project = UD) AND issuetype = Bug')).toEqual(newestFirst('UD-2', 'SC-2'));
  });
  it('resolution Unresolved is EMPTY', () => {
    expect(search('resolution = Unresolved AND project = UD')).toEqual(newestFirst('UD-1', 'UD-2', 'UD-4', 'UD-5'));
    expect(search('resolution IS NOT EMPTY')).toEqual(newestFirst('UD-3', 'SC-1'));
    expect(search('resolution = "won\'t do"')).toEqual(['SC-1']);
  });
  it('description IS EMPTY', () => {
    expect(search('description IS EMPTY')).toEqual(newestFirst('UD-3', 'UD-5'));
  });
  it('labels not in a list needs labels', () => {
    expect(search('labels NOT IN (a, ui)')).toEqual(newestFirst('UD-3', 'SC-1'));
  });
});

describe('JQL: fields', () => {
  it('project by key, name or id, in any case', () => {
    const ud = newestFirst('UD-1', 'UD-2', 'UD-3', 'UD-4', 'UD-5');
    expect(search('project = ud')).toEqual(ud);
    expect(search('project = "UI Design"')).toEqual(ud);
    expect(search('project = 10000')).toEqual(ud);
    expect(search('project in (UD, SC)')).toHaveLength(fixture.length);
  });
  it('status and status category', () => {
    expect(search('status = "in progress"')).toEqual(['UD-2']);
    expect(search('statusCategory = "In Progress"')).toEqual(newestFirst('UD-2', 'SC-2'));
    expect(search('statusCategory = indeterminate')).toEqual(search('statusCategory = "In Progress"'));
    expect(search('statusCategory != Done AND project = SC')).toEqual(newestFirst('SC-2', 'SC-3'));
  });
  it('priority by name and by order', () => {
    expect(search('priority > Medium')).toEqual(newestFirst('UD-2', 'UD-4'));
    expect(search('priority <= low')).toEqual(newestFirst('UD-3', 'SC-2'));
    expect(search('priority IS EMPTY')).toEqual(['SC-1']);
  });
  it('issue keys and ids', () => {
    expect(search('key = ud-1')).toEqual(['UD-1']);
    expect(search('issuekey = 10002')).toEqual(['UD-2']);
    expect(search('key > UD-3')).toEqual(newestFirst('UD-4', 'UD-5'));
    expect(search('key != UD-1 AND project = UD')).toEqual(newestFirst('UD-2', 'UD-3', 'UD-4', 'UD-5'));
  });
  it('parent', () => {
    expect(search('parent = UD-1')).toEqual(['UD-5']);
    expect(search('parent = 10001')).toEqual(['UD-5']);
  });
  it('reporter', () => {
    expect(search('reporter in (bob, carol)')).toEqual(newestFirst('UD-1', 'UD-4', 'SC-2'));
  });
  it('due dates compare whole days', () => {
    expect(search('due < now()')).toEqual(['UD-4']);
    expect(search('duedate = "2026-01-15"')).toEqual(['UD-2']);
    expect(search('due <= endOfWeek()')).toEqual(newestFirst('UD-2', 'UD-4'));
    expect(search('due >= startOfMonth("+1M")')).toEqual(['SC-1']);
  });
  it('absolute and relative created dates', () => {
    expect(search('created < "2026/01/06 00:00"')).toEqual(newestFirst('UD-3', 'SC-1'));
    expect(search('created >= startOfDay(-1)')).toEqual(newestFirst('UD-2', 'UD-4'));
    expect(search('created >= startOfMonth()')).toHaveLength(fixture.length - 1);
    expect(search('created > -2w AND created < "-4h"')).toEqual(newestFirst('UD-1', 'UD-3', 'UD-4', 'UD-5', 'SC-2', 'SC-3'));
    expect(search('created > "4w 2d"')).toEqual([]);
    expect(search('updated >= startOfWeek() AND updated <= endOfDay(-1)')).toEqual(newestFirst('UD-3', 'UD-4', 'UD-5', 'SC-2', 'SC-3'));
  });
  it('text search: all words, plurals, wildcards, phrases, exclusion and OR', () => {
    expect(search('summary ~ "log*"')).toEqual(newestFirst('UD-1', 'UD-2', 'UD-5', 'SC-2'));
    expect(search('summary ~ "page login"')).toEqual(['UD-1']);
    expect(search('description ~ "\\"new layout\\""')).toEqual(['UD-1']);
    expect(search('description ~ "\\"layout new\\""')).toEqual([]);
    expect(search('comment ~ LOGIN')).toEqual(newestFirst('UD-3', 'UD-5', 'SC-2'));
    expect(search('summary !~ login')).toEqual(newestFirst('UD-2', 'UD-3', 'UD-4', 'SC-1', 'SC-2', 'SC-3'));
    expect(search('summary ~ "login -button"')).toEqual(['UD-1']);
    // `text ~ q` is `summary ~ q OR description ~ q OR comment ~ q`: UD-5's comment qualifies.
    expect(search('text ~ "login -button"')).toEqual(newestFirst('UD-1', 'UD-3', 'UD-5', 'SC-2'));
    expect(search('text ~ "crash OR export"')).toEqual(newestFirst('UD-2', 'SC-1'));
    expect(search('description ~ "sign-in"')).toEqual(['UD-4']);
  });
  it('custom fields by name and by cf[id]', () => {
    expect(search('"Story points" > 3')).toEqual(['UD-1']);
    expect(search('cf[10010] = 3')).toEqual(['UD-2']);
    expect(search('cf[10010] IS EMPTY AND project = UD')).toEqual(newestFirst('UD-3', 'UD-4', 'UD-5'));
    expect(search('Team = blue')).toEqual(['UD-1']);
    expect(search('cf[10020] != Blue')).toEqual([]);
  });
  it('issue properties', () => {
    expect(search('issue.property[sync].enabled = "true"')).toEqual(['UD-1']);
    expect(search('issue.property[sync].count >= 3')).toEqual(['UD-1']);
    expect(search('issue.property[sync].tags = y')).toEqual(['UD-1']);
    expect(search('issue.property[sync].count IS EMPTY AND project = SC')).toEqual(newestFirst('SC-1', 'SC-2', 'SC-3'));
  });
});

describe('JQL: ORDER BY', () => {
  it('priority DESC puts Highest first; ties fall back to newest first', () => {
    expect(search('project = UD ORDER BY priority DESC')).toEqual(['UD-4', 'UD-2', 'UD-5', 'UD-1', 'UD-3']);
    expect(search('project = UD ORDER BY priority')).toEqual(search('project = UD ORDER BY priority DESC'));
    expect(search('project = UD ORDER BY priority ASC')).toEqual(['UD-3', 'UD-5', 'UD-1', 'UD-2', 'UD-4']);
  });
  it('key sorts by project, then number', () => {
    expect(search('project in (UD, SC) ORDER BY key')).toEqual(['SC-1', 'SC-2', 'SC-3', 'UD-1', 'UD-2', 'UD-3', 'UD-4', 'UD-5']);
  });
  it('empty values come last in ascending order', () => {
    expect(search('project = UD ORDER BY due ASC')).toEqual(['UD-4', 'UD-2', 'UD-1', 'UD-5', 'UD-3']);
    expect(search('project = UD ORDER BY due DESC')).toEqual(['UD-5', 'UD-3', 'UD-1', 'UD-2', 'UD-4']);
  });
  it('several fields', () => {
    expect(search('project = SC ORDER BY status ASC, summary DESC')).toEqual(['SC-3', 'SC-2', 'SC-1']);
    // Empty values count as greatest, so they lead a descending sort.
    expect(search('project = UD ORDER BY "Story points" DESC, updated ASC')).toEqual(['UD-5', 'UD-3', 'UD-4', 'UD-1', 'UD-2']);
  });
});

describe('JQL: pinned keys', () => {
  const pinned = (jql: string) => {
    const compiled = compileJql(jql, ctx());
    return compiled.ok ? compiled.pinnedKeys : 'rejected';
  };
  it('a top-level conjunction with key = / key in pins those keys', () => {
    expect(pinned('key = ud-1')).toEqual(['UD-1']);
    expect(pinned('key in (UD-1, UD-2) AND status = "To Do"')).toEqual(['UD-1', 'UD-2']);
    expect(pinned('project = UD AND (issuekey in (UD-1, UD-2) AND key in (UD-2, UD-3))')).toEqual(['UD-2']);
    expect(search('key in (ud-1, UD-2) AND status = "To Do"')).toEqual(['UD-1']);
  });
  it('no pin under OR, NOT, != or ids', () => {
    expect(pinned('key = UD-1 OR project = SC')).toBeUndefined();
    expect(pinned('NOT key = UD-1')).toBeUndefined();
    expect(pinned('key != UD-1')).toBeUndefined();
    expect(pinned('id = 10001')).toBeUndefined();
  });
});

describe('JQL: properties of the engine', () => {
  const clauses = [
    'assignee = alice', 'labels = a', 'status = Done', 'priority > Medium', 'due < now()', 'text ~ login',
    'description IS EMPTY', 'created >= -3d', '"Story points" >= 4', 'key in (UD-1, SC-2)', 'resolution = Unresolved',
  ];
  const clause = fc.constantFrom(...clauses);
  it("NOT distributes over AND and OR (De Morgan), as Jira's rewrite does", () => {
    fc.assert(
      fc.property(clause, clause, (a, b) => {
        expect(search(`NOT (${a} OR ${b})`)).toEqual(search(`NOT ${a} AND NOT ${b}`));
        expect(search(`NOT (${a} AND ${b})`)).toEqual(search(`NOT ${a} OR NOT ${b}`));
        expect(search(`NOT NOT ${a}`)).toEqual(search(a));
      }),
      { numRuns: 40 },
    );
  });
  it('a clause and its negation never share an issue', () => {
    fc.assert(
      fc.property(clause, (a) => {
        const both = new Set(search(a));
        for (const key of search(`NOT ${a}`)) expect(both.has(key)).toBe(false);
      }),
    );
  });
  it('compiles once and matches thousands of records quickly', () => {
    const many: JqlIssueRecord[] = [];
    for (let i = 0; i < 5000; i++) {
      const base = fixture[i % fixture.length]!;
      many.push({ ...base, id: String(20000 + i), key: `${base.projectKey}-${100 + i}`, updated: base.updated - i * 1000 });
    }
    const compiled = compileJql(
      'project = UD AND (labels in (a, new-features) OR text ~ "login*") AND updated > -30d ORDER BY priority DESC, key',
      ctx(),
    );
    if (!compiled.ok) throw new Error(compiled.errorMessages.join());
    compiled.matches(many[0]!); // warm up
    const started = performance.now();
    const hits = many.filter(compiled.matches).sort(compiled.compare);
    const elapsed = performance.now() - started;
    expect(hits.length).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(250);
  });
});
