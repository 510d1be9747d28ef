// Creating, editing, transitioning and deleting issues, with the changelog
// and the product events Jira produces for each.
import type { ProjectRecord, StatusRecord, TransitionRecord } from '../catalog';
import {
  commented, issueAssigned, issueCreated, issueDeleted, issueUpdated,
} from '../events/payloads';
import type { AdfDoc } from '../model/adf';
import type { SiteState, WriteTx } from '../state';
import type { ChangeItem } from '../store/changelogs';
import type { IssueRow } from '../store/issues';
import { availableTransitions } from '../views/transitions';
import { appendChangelog } from './changelog';
import { issueChanges } from './changes';
import { NOT_SETTABLE, parseIssueInput, type ParsedIssueInput } from './issue-input';
import { fail, succeed, type WriteResult } from './result';
import { insertWorklog } from './worklogs';
import { defaultAssignee } from './default-assignee';

export interface IssueBody {
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
  transition?: { id?: string };
  properties?: { key: string; value: unknown }[];
}

/** Jira's answer for a transition that is not available: unknown, from this status, or to this caller. */
export const transitionNotValid = (id: string): string => `Transition id '${id}' is not valid for this issue.`;

export function createIssue(state: SiteState, body: IssueBody, actor: string): WriteResult<IssueRow> {
  const { catalog, stores } = state;
  const fields = body.fields ?? {};
  const project = findProject(state, fields.project);
  if (!project) return fail(400, [], { project: 'Specify a valid project ID or key' });

  const parsed = parseIssueInput({ catalog, stores, project, current: null, mode: 'create' }, fields, body.update);
  const errors = { ...parsed.errors };
  if (fields.issuetype === undefined && errors.issuetype === undefined) errors.issuetype = 'Specify an issue type';
  if (parsed.values.summary === undefined && errors.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
  const issueTypeId = parsed.values.issueTypeId;
  if (issueTypeId !== undefined) {
    const hierarchyError = checkParent(state, project, issueTypeId, parsed.values.parentId ?? null);
    if (hierarchyError) errors.parent = hierarchyError;
  }
  // A transition named on create runs right after it, from the workflow's
  // initial status; naming the transition into that status changes nothing.
  let start: StatusRecord = project.workflow.initial;
  if (body.transition?.id !== undefined) {
    const id = body.transition.id;
    const into = availableTransitions(project, start.id).find((t) => t.id === id)
      ?? project.workflow.transitions.find((t) => t.id === id && t.to.id === start.id);
    if (!into) return fail(400, [transitionNotValid(id)]);
    start = into.to;
  }
  if (Object.keys(errors).length > 0 || issueTypeId === undefined || parsed.values.summary === undefined) {
    return fail(400, [], errors);
  }
  const estimates = initialEstimates(parsed, null);

  return succeed(
    state.write((tx) => {
      const id = stores.sequences.take('issue');
      const done = start.category === 'done';
      const issue: IssueRow = {
        id,
        key: `${project.key}-${stores.issues.takeNumber(project.id)}`,
        projectId: project.id,
        issueTypeId,
        statusId: start.id,
        priorityId: parsed.values.priorityId !== undefined ? parsed.values.priorityId : catalog.defaultPriority()?.id ?? null,
        resolutionId: done ? catalog.resolutions.find((r) => r.isDefault)?.id ?? null : null,
        summary: parsed.values.summary ?? '',
        description: parsed.values.description ?? null,
        labels: parsed.values.labels ?? [],
        // Not naming an assignee is Jira's "Automatic": the components' or project's default.
        assignee: parsed.values.assignee !== undefined
          ? parsed.values.assignee
          : defaultAssignee(state, project.id, parsed.values.componentIds ?? []),
        reporter: parsed.values.reporter !== undefined ? parsed.values.reporter : actor,
        creator: actor,
        dueDate: parsed.values.dueDate ?? null,
        parentId: parsed.values.parentId ?? null,
        created: tx.now,
        updated: tx.now,
        resolutionDate: done ? tx.now : null,
        statusCategoryChanged: tx.now,
        custom: withoutNulls(parsed.custom),
        componentIds: parsed.values.componentIds ?? [],
        fixVersionIds: parsed.values.fixVersionIds ?? [],
        affectsVersionIds: parsed.values.affectsVersionIds ?? [],
        environment: parsed.values.environment ?? null,
        originalEstimate: estimates.originalEstimate,
        remainingEstimate: estimates.remainingEstimate,
      };
      stores.issues.insert(issue);
      for (const property of body.properties ?? []) stores.properties.set(id, property.key, JSON.stringify(property.value));
      // People watch the issues they create, as Jira's default "autowatch" has it; apps do not.
      if (catalog.user(actor)?.accountType === 'atlassian') stores.watchers.add(id, actor);
      tx.touch(id);
      tx.emit(issueCreated(state.view, issue, actor));
      let current = issue;
      for (const worklog of parsed.worklogs) {
        insertWorklog(state, tx, current, worklog, actor, { mode: 'auto' });
        current = stores.issues.byId(id) ?? current;
      }
      return current;
    }),
  );
}

export function editIssue(state: SiteState, issue: IssueRow, body: IssueBody, actor: string): WriteResult<IssueRow> {
  const { catalog, stores } = state;
  const project = catalog.projectWithId(issue.projectId);
  const parsed = parseIssueInput({ catalog, stores, project, current: issue, mode: 'edit' }, body.fields, body.update);
  const errors = { ...parsed.errors };
  if (parsed.values.issueTypeId !== undefined || parsed.values.parentId !== undefined) {
    const typeId = parsed.values.issueTypeId ?? issue.issueTypeId;
    const parentId = parsed.values.parentId !== undefined ? parsed.values.parentId : issue.parentId;
    const wasSubtask = catalog.issueType(issue.issueTypeId)?.subtask === true;
    if (catalog.issueType(typeId)?.subtask !== wasSubtask) {
      errors.issuetype = 'Issue type cannot be changed between sub-task and standard types by editing the issue.';
    } else if (parentId === issue.id) {
      errors.parent = 'An issue cannot be its own parent.';
    } else {
      const hierarchyError = checkParent(state, project, typeId, parentId);
      if (hierarchyError) errors.parent = hierarchyError;
    }
  }
  if (Object.keys(errors).length > 0) return fail(400, [], errors);

  return succeed(
    state.write((tx) => {
      const after = applyValues(issue, parsed);
      const updated = recordChange(state, tx, issue, after, actor);
      for (const property of body.properties ?? []) stores.properties.set(issue.id, property.key, JSON.stringify(property.value));
      if ((body.properties ?? []).length > 0) tx.touch(issue.id);
      return addWorklogs(state, tx, addComments(state, tx, updated, parsed.comments, actor), parsed, actor);
    }),
  );
}

export function transitionIssue(state: SiteState, issue: IssueRow, body: IssueBody, actor: string): WriteResult<IssueRow> {
  const { catalog, stores } = state;
  const id = body.transition?.id;
  if (id === undefined) return fail(400, ["Missing 'transition' identifier"]);
  const project = catalog.projectWithId(issue.projectId);
  const transition = availableTransitions(project, issue.statusId).find((t) => t.id === String(id));
  if (!transition) return fail(400, [transitionNotValid(String(id))]);
  const offScreen = project.workflow.simplified ? {} : screenErrors(transition, body);
  if (Object.keys(offScreen).length > 0) return fail(400, [], offScreen);
  const parsed = parseIssueInput({ catalog, stores, project, current: issue, mode: 'transition' }, body.fields, body.update);
  if (Object.keys(parsed.errors).length > 0) return fail(400, [], parsed.errors);

  return succeed(
    state.write((tx) => {
      const after = applyValues(issue, parsed);
      const target = transition.to;
      const fromCategory = catalog.status(issue.statusId)?.category;
      after.statusId = target.id;
      if (target.category === 'done') {
        // Jira's workflows resolve an issue on entering a done status.
        after.resolutionId = parsed.values.resolutionId ?? issue.resolutionId ?? catalog.resolutions.find((r) => r.isDefault)?.id ?? null;
        if (issue.resolutionId === null) after.resolutionDate = tx.now;
      } else {
        after.resolutionId = null;
        after.resolutionDate = null;
      }
      if (fromCategory !== target.category) after.statusCategoryChanged = tx.now;
      const updated = recordChange(state, tx, issue, after, actor);
      return addWorklogs(state, tx, addComments(state, tx, updated, parsed.comments, actor), parsed, actor);
    }),
  );
}

/**
 * A drawn workflow's transition takes only the fields on its screen (a
 * comment is always welcome), and insists on the screen's required ones.
 */
function screenErrors(transition: TransitionRecord, body: IssueBody): Record<string, string> {
  const screen = transition.screen ?? [];
  const onScreen = new Set(screen.map((f) => f.field));
  const errors: Record<string, string> = {};
  const named = [...Object.keys(body.fields ?? {}), ...Object.keys(body.update ?? {})];
  for (const field of named) {
    if (field !== 'comment' && !onScreen.has(field)) errors[field] = NOT_SETTABLE(field);
  }
  for (const field of screen.filter((f) => f.required)) {
    const given = body.fields?.[field.field] ?? body.update?.[field.field];
    if (given === undefined || given === null) errors[field.field] = `${field.field} is required.`;
  }
  return errors;
}

export function deleteIssue(state: SiteState, issue: IssueRow, deleteSubtasks: boolean, actor: string): WriteResult<void> {
  const children = state.stores.issues.children(issue.id);
  if (children.length > 0 && !deleteSubtasks) {
    return fail(400, [`The issue '${issue.key}' has subtasks. To delete it, set 'deleteSubtasks' to true.`]);
  }
  state.write((tx) => {
    for (const child of children) removeIssue(state, tx, child, actor);
    removeIssue(state, tx, issue, actor);
  });
  return succeed(undefined);
}

/** Removes an issue and everything hanging off it. Its comments go silently, as in Jira. */
function removeIssue(state: SiteState, tx: WriteTx, issue: IssueRow, actor: string): void {
  const { stores } = state;
  const event = issueDeleted(state.view, issue, actor);
  stores.comments.deleteForIssue(issue.id);
  stores.attachments.deleteForIssue(issue.id);
  stores.links.deleteForIssue(issue.id);
  stores.remoteLinks.deleteForIssue(issue.id);
  stores.properties.deleteForIssue(issue.id);
  stores.changelogs.deleteForIssue(issue.id);
  stores.worklogs.deleteForIssue(issue.id);
  stores.watchers.deleteForIssue(issue.id);
  stores.issues.delete(issue.id);
  tx.touch(issue.id);
  tx.emit(event);
}

/**
 * Stores `after` if it differs from `before`, with a changelog and the
 * updated (and, for a new assignee, assigned) event. An edit that changes
 * nothing leaves no trace, as in Jira.
 */
export function recordChange(state: SiteState, tx: WriteTx, before: IssueRow, after: IssueRow, actor: string): IssueRow {
  const items = issueChanges(state.catalog, state.stores, before, after);
  if (items.length === 0) return before;
  const updated = { ...after, updated: tx.now };
  state.stores.issues.update(updated);
  const changelog = appendChangelog(state, tx, updated, items, actor);
  tx.touch(updated.id);
  tx.emit(issueUpdated(state.view, updated, actor, changelog));
  if (items.some((i) => i.fieldId === 'assignee')) tx.emit(issueAssigned(state.view, updated, actor, changelog));
  return updated;
}

/** Work logged through `update.worklog`, after the rest of the change. */
function addWorklogs(state: SiteState, tx: WriteTx, issue: IssueRow, parsed: ParsedIssueInput, actor: string): IssueRow {
  let current = issue;
  for (const worklog of parsed.worklogs) {
    insertWorklog(state, tx, current, worklog, actor, { mode: 'auto' });
    current = state.stores.issues.byId(issue.id) ?? current;
  }
  return current;
}

function addComments(state: SiteState, tx: WriteTx, issue: IssueRow, bodies: AdfDoc[], actor: string): IssueRow {
  if (bodies.length === 0) return issue;
  const touched = { ...issue, updated: tx.now };
  state.stores.issues.update(touched);
  for (const body of bodies) {
    const comment = {
      id: state.stores.sequences.take('comment'),
      issueId: issue.id,
      author: actor,
      updateAuthor: actor,
      body,
      created: tx.now,
      updated: tx.now,
      internal: false,
      properties: [],
      visibility: null,
    };
    state.stores.comments.insert(comment);
    tx.emit(commented(state.view, touched, comment, actor));
  }
  tx.touch(issue.id);
  return touched;
}

function applyValues(issue: IssueRow, parsed: ParsedIssueInput): IssueRow {
  const v = parsed.values;
  const custom = { ...issue.custom, ...parsed.custom };
  return {
    ...issue,
    summary: v.summary ?? issue.summary,
    description: v.description !== undefined ? v.description : issue.description,
    issueTypeId: v.issueTypeId ?? issue.issueTypeId,
    priorityId: v.priorityId !== undefined ? v.priorityId : issue.priorityId,
    labels: v.labels ?? issue.labels,
    assignee: v.assignee !== undefined ? v.assignee : issue.assignee,
    reporter: v.reporter !== undefined ? v.reporter : issue.reporter,
    dueDate: v.dueDate !== undefined ? v.dueDate : issue.dueDate,
    parentId: v.parentId !== undefined ? v.parentId : issue.parentId,
    resolutionId: v.resolutionId !== undefined ? v.resolutionId : issue.resolutionId,
    custom: withoutNulls(custom),
    componentIds: v.componentIds ?? issue.componentIds,
    fixVersionIds: v.fixVersionIds ?? issue.fixVersionIds,
    affectsVersionIds: v.affectsVersionIds ?? issue.affectsVersionIds,
    environment: v.environment !== undefined ? v.environment : issue.environment,
    ...initialEstimates(parsed, issue),
  };
}

/**
 * The estimates after a request: what it set, and, as Jira does, a new
 * original estimate on an issue with nothing remaining and no work logged
 * becomes the remaining estimate too.
 */
function initialEstimates(parsed: ParsedIssueInput, issue: IssueRow | null): { originalEstimate: number | null; remainingEstimate: number | null } {
  const given = parsed.values.estimates ?? {};
  const original = given.originalEstimate !== undefined ? given.originalEstimate : issue?.originalEstimate ?? null;
  let remaining = given.remainingEstimate !== undefined ? given.remainingEstimate : issue?.remainingEstimate ?? null;
  if (given.originalEstimate !== undefined && given.remainingEstimate === undefined && remaining === null) remaining = original;
  return { originalEstimate: original, remainingEstimate: remaining };
}

function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
}

export function findProject(state: SiteState, ref: unknown): ProjectRecord | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const { id, key } = ref as Record<string, unknown>;
  if (id !== undefined) return state.catalog.project(String(id));
  if (typeof key === 'string') return state.catalog.project(key);
  return undefined;
}

/**
 * Sub-tasks need a standard parent in their own project; standard issues may
 * only sit under an epic (the next level up), as Jira's hierarchy demands.
 */
function checkParent(state: SiteState, project: ProjectRecord, typeId: string, parentId: number | null): string | undefined {
  const type = state.catalog.issueType(typeId);
  if (!type) return undefined;
  if (parentId === null) {
    return type.subtask ? 'Issue type is a sub-task but parent issue key or id not specified.' : undefined;
  }
  const parent = state.stores.issues.byId(parentId);
  const parentType = parent && state.catalog.issueType(parent.issueTypeId);
  if (!parent || !parentType) return 'Could not find issue by id or key.';
  if (type.subtask && parent.projectId !== project.id) return 'Sub-tasks must be created in the same project as their parent.';
  if (parentType.hierarchyLevel !== type.hierarchyLevel + 1) return 'Given parent work item does not belong to appropriate hierarchy.';
  return undefined;
}
