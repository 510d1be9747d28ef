// The transitions a workflow offers an issue in its current status
// (`IssueTransition`), with the fields of each transition's screen when asked.
import type { ProjectRecord, TransitionRecord } from '../catalog';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';
import type { ViewContext } from './context';
import { fieldMeta } from './field-meta';
import { statusJson } from './metadata';

/**
 * The transitions leaving `statusId`: a directed transition from it, or a
 * global one into another status. A global transition into the status the
 * issue is already in is not offered, as Jira hides it.
 */
export function availableTransitions(project: ProjectRecord, statusId: string): TransitionRecord[] {
  return project.workflow.transitions.filter((t) =>
    t.from === null ? t.to.id !== statusId : t.from.some((s) => s.id === statusId));
}

export function transitionJson(
  ctx: ViewContext,
  stores: Stores,
  issue: IssueRow,
  t: TransitionRecord,
  withFields: boolean,
): Record<string, unknown> {
  const project = ctx.catalog.projectWithId(issue.projectId);
  const type = ctx.catalog.issueType(issue.issueTypeId);
  const fields: Record<string, unknown> = {};
  if (withFields && type) {
    for (const screenField of t.screen ?? []) {
      const meta = fieldMeta(ctx, stores, project, type, screenField.field, screenField.required);
      if (meta) fields[screenField.field] = meta;
    }
  }
  return {
    id: t.id,
    name: t.name,
    to: statusJson(ctx, t.to),
    hasScreen: t.screen !== null && t.screen.length > 0,
    isGlobal: t.from === null,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
    ...(withFields ? { fields } : {}),
  };
}
