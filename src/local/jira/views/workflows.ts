// Workflows (`Workflow` of `/workflow/search`) and statuses as the status
// search answers them (`JiraStatus`).
import type { ProjectRecord, StatusRecord } from '../catalog';
import type { StatusCategoryKey } from '../seed-schema';
import type { ViewContext } from './context';
import { projectRef } from './metadata';

const CATEGORY_KEYS: Record<StatusCategoryKey, 'TODO' | 'IN_PROGRESS' | 'DONE'> = {
  new: 'TODO',
  indeterminate: 'IN_PROGRESS',
  done: 'DONE',
};

export const statusCategoryKey = (category: StatusCategoryKey): 'TODO' | 'IN_PROGRESS' | 'DONE' => CATEGORY_KEYS[category];

/** `JiraStatus`: the sites' statuses are all company-managed, so global in scope. */
export function jiraStatusJson(s: StatusRecord): Record<string, unknown> {
  return { id: s.id, name: s.name, description: s.description, statusCategory: CATEGORY_KEYS[s.category], scope: { type: 'GLOBAL' } };
}

/** A stable id per project workflow, shaped like the UUIDs Jira gives workflows. */
export function workflowEntityId(project: ProjectRecord): string {
  return `00000000-0000-4000-a000-${project.id.padStart(12, '0')}`;
}

export function workflowJson(
  ctx: ViewContext,
  project: ProjectRecord,
  expand: ReadonlySet<string>,
): Record<string, unknown> {
  const wf = project.workflow;
  const transitions = [
    // Every workflow starts with its create transition into the initial status.
    { id: '1', name: 'Create', description: '', from: [] as string[], to: wf.initial.id, type: 'initial', properties: {} },
    ...wf.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      description: '',
      from: t.from === null ? [] : t.from.map((s) => s.id),
      to: t.to.id,
      type: t.from === null ? 'global' : 'directed',
      ...(t.screen !== null && t.screen.length > 0 ? { screen: { id: `1${t.id.padStart(4, '0')}`, name: `${t.name} screen` } } : {}),
      properties: {},
    })),
  ];
  return {
    id: { name: wf.name, entityId: workflowEntityId(project) },
    description: wf.description,
    ...(expand.has('transitions') ? { transitions } : {}),
    ...(expand.has('statuses') ? { statuses: wf.statuses.map((s) => ({ id: s.id, name: s.name, properties: {} })) } : {}),
    isDefault: false,
    ...(expand.has('projects') ? { projects: [projectRef(ctx, project)] } : {}),
    ...(expand.has('operations') ? { operations: { canEdit: true, canDelete: false } } : {}),
    hasDraftWorkflow: false,
  };
}
