// The assignee Jira picks when none is named (its "Automatic", and "-1" on
// the assign operation): the default of the components, then of the
// project, which leaves issues unassigned on these sites.
import type { SiteState } from '../state';

/** The assignee Jira picks automatically for an issue in `projectId` with these components. */
export function defaultAssignee(state: SiteState, projectId: string, componentIds: number[]): string | null {
  const project = state.catalog.projectWithId(projectId);
  for (const id of componentIds) {
    const component = state.stores.components.get(id);
    const candidate =
      component?.assigneeType === 'COMPONENT_LEAD' ? component.leadAccountId
      : component?.assigneeType === 'PROJECT_LEAD' ? project.leadAccountId
      : null;
    if (candidate && state.permissions.holds(candidate, 'ASSIGNABLE_USER', project)) return candidate;
  }
  return null;
}
