import { html, raw, type Markup } from '../html';
import type { ShellContext } from '../context';
import type { IssueType, JiraResult, Priority, User } from '../jira-client';

// The inputs the create and edit forms share, and the look-ups they need.

export interface FieldChoices {
  issueTypes: IssueType[];
  priorities: Priority[];
  assignees: User[];
  /** Look-ups that failed; the form still works with what it has. */
  problems: string[];
}

export async function loadFieldChoices(ctx: ShellContext, projectKey: string): Promise<FieldChoices> {
  const [issueTypes, priorities, assignees] = await Promise.all([
    ctx.jira.issueTypesFor(projectKey),
    ctx.jira.priorities(),
    ctx.jira.assignableUsers(projectKey),
  ]);
  const problems: string[] = [];
  const take = <T>(result: JiraResult<T[]>, what: string): T[] => {
    if (result.ok) return result.value;
    problems.push(`Could not load ${what}: ${result.messages.join(' ')}`);
    return [];
  };
  return {
    issueTypes: take(issueTypes, 'issue types'),
    priorities: take(priorities, 'priorities'),
    // Where the site cannot say who is assignable, offer the people one can act as.
    assignees: (assignees.ok ? assignees.value : ctx.actor.people).filter((u) => u.accountType !== 'app'),
    problems,
  };
}

export interface FieldValues {
  issuetype: string;
  summary: string;
  description: string;
  priority: string;
  labels: string;
  assignee: string;
}

const selected = (on: boolean) => (on ? raw(' selected') : '');

/** What Jira preselects on its create screen: a standard type, Task when there is one. */
function defaultIssueTypeId(types: IssueType[]): string {
  const standard = types.filter((t) => (t.hierarchyLevel ?? 0) === 0);
  return (standard.find((t) => t.name === 'Task') ?? standard[0] ?? types[0])?.id ?? '';
}

export function fieldInputs(choices: FieldChoices, values: FieldValues, idPrefix: string): Markup {
  const id = (name: string) => `${idPrefix}-${name}`;
  const issueType = values.issuetype || defaultIssueTypeId(choices.issueTypes);
  return html`
<label for="${id('issuetype')}">Issue type</label>
<select id="${id('issuetype')}" name="issuetype">
${choices.issueTypes.map((t) => html`<option value="${t.id}"${selected(t.id === issueType)}>${t.name}</option>`)}
</select>
<label for="${id('summary')}">Summary</label>
<input type="text" id="${id('summary')}" name="summary" value="${values.summary}">
<label for="${id('description')}">Description</label>
<textarea id="${id('description')}" name="description" rows="6">${values.description}</textarea>
<label for="${id('priority')}">Priority</label>
<select id="${id('priority')}" name="priority">
<option value="">(default)</option>
${choices.priorities.map((p) => html`<option value="${p.id}"${selected(p.id === values.priority)}>${p.name}</option>`)}
</select>
<label for="${id('labels')}">Labels <span class="muted">(separated by spaces)</span></label>
<input type="text" id="${id('labels')}" name="labels" value="${values.labels}">
<label for="${id('assignee')}">Assignee</label>
<select id="${id('assignee')}" name="assignee">
<option value="">Unassigned</option>
${choices.assignees.map((u) => html`<option value="${u.accountId}"${selected(u.accountId === values.assignee)}>${u.displayName ?? u.accountId}</option>`)}
</select>`;
}
