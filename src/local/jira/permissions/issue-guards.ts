// The permission checks on an issue create, edit or transition body, made
// before the writers run (the writers also seed the site, which nobody
// checks). Some fields need a permission of their own, as in Jira: the
// assignee Assign Issues, the reporter Modify Reporter, the due date Schedule
// Issues, a comment Add Comments; without it the field is not on the
// caller's screen. A parent the caller cannot see does not exist for them.
import type { ProjectRecord } from '../catalog';
import { fieldErrors, jiraError } from '../http/respond';
import type { IssueRow } from '../store/issues';
import { transitionNotValid, type IssueBody } from '../write/issues';
import type { Access } from './access';
import type { ProjectPermissionKey } from './definitions';
import { refusals } from './refusals';

const FIELD_PERMISSIONS: Record<string, ProjectPermissionKey> = {
  assignee: 'ASSIGN_ISSUES',
  reporter: 'MODIFY_REPORTER',
  duedate: 'SCHEDULE_ISSUES',
  comment: 'ADD_COMMENTS',
};

/** What a create in `project` needs: a project the caller cannot browse does not exist for them. */
export function createRefusal(access: Access, project: ProjectRecord, body: IssueBody): Response | undefined {
  if (!access.canBrowse(project)) return fieldErrors({ project: 'Specify a valid project ID or key' });
  if (!access.has('CREATE_ISSUES', project)) return refusals.createIssues();
  return fieldRefusal(access, project, body) ?? hiddenParent(access, body);
}

/** What an edit of a visible issue needs: Edit Issues for any field, and each field's own permission. */
export function editRefusal(access: Access, issue: IssueRow, body: IssueBody): Response | undefined {
  const project = access.projectOf(issue);
  if (!access.has('EDIT_ISSUES', project)) return refusals.fields(namedFields(body));
  return fieldRefusal(access, project, body) ?? hiddenParent(access, body);
}

/**
 * Without Transition Issues Jira lists no transitions for the caller, so any
 * transition they name is one that is not valid for them.
 */
export function transitionRefusal(access: Access, issue: IssueRow, body: IssueBody): Response | undefined {
  const project = access.projectOf(issue);
  const id = body.transition?.id;
  // With no transition named, the writer's own answer (a missing identifier) is the right one.
  if (!access.has('TRANSITION_ISSUES', project) && id !== undefined) return jiraError(400, [transitionNotValid(id)]);
  return fieldRefusal(access, project, body);
}

/** Field ids a body sets, through `fields` or `update`. */
function namedFields(body: IssueBody): string[] {
  return [...new Set([...Object.keys(body.fields ?? {}), ...Object.keys(body.update ?? {})])];
}

function fieldRefusal(access: Access, project: ProjectRecord, body: IssueBody): Response | undefined {
  const refused = namedFields(body).filter((field) => {
    const needed = FIELD_PERMISSIONS[field];
    return needed !== undefined && !access.has(needed, project);
  });
  return refused.length > 0 ? refusals.fields(refused) : undefined;
}

function hiddenParent(access: Access, body: IssueBody): Response | undefined {
  const ref = parentRef(body.fields?.parent) ?? parentRef(firstSet(body.update?.parent));
  if (ref === undefined || access.issue(ref) !== undefined) return undefined;
  // The writer answers the same for a parent that does not exist at all.
  return fieldErrors({ parent: 'Could not find issue by id or key.' });
}

function firstSet(ops: unknown): unknown {
  if (!Array.isArray(ops)) return undefined;
  const set = ops.find((op): op is { set: unknown } => typeof op === 'object' && op !== null && 'set' in op);
  return set?.set;
}

function parentRef(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = value as Record<string, unknown>;
  if (typeof ref.key === 'string') return ref.key;
  if (typeof ref.id === 'string' || typeof ref.id === 'number') return String(ref.id);
  return undefined;
}
