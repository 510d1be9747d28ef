// The fields on a project's create screen for one issue type
// (`FieldCreateMetadata`), with allowed values where Jira lists them.
import type { IssueTypeRecord, ProjectRecord } from '../catalog';
import type { SiteState } from '../state';
import { fieldMeta } from './field-meta';

const REQUIRED = new Set(['summary', 'issuetype', 'project', 'reporter']);

const SYSTEM_ON_SCREEN = [
  'summary', 'issuetype', 'project', 'description', 'priority', 'labels', 'assignee', 'reporter', 'duedate',
  'components', 'fixVersions', 'versions', 'environment', 'timetracking',
];

export function createMetaFields(state: SiteState, project: ProjectRecord, type: IssueTypeRecord): Record<string, unknown>[] {
  const { ctx, catalog, stores } = state;
  const ids = [...SYSTEM_ON_SCREEN];
  if (type.subtask || type.hierarchyLevel === 0) ids.push('parent');
  ids.push(...catalog.customFields.filter((f) => catalog.contextFor(f, project.id, type.id)).map((f) => f.id));
  return ids.flatMap((id) => {
    const required = REQUIRED.has(id) || (id === 'parent' && type.subtask);
    const meta = fieldMeta(ctx, stores, project, type, id, required);
    return meta ? [{ ...meta, fieldId: id }] : [];
  });
}
