// Components and versions of a project: create, change, delete. Issues show
// them by name, so search records are rebuilt after a change; deleting one
// takes it off its issues (or moves them to a replacement), as Jira does,
// without a history entry or event per issue.
import type { ProjectRecord } from '../catalog';
import { projectItemEvent } from '../events/payloads';
import { isJiraDate } from '../model/time';
import type { SiteState } from '../state';
import type { AssigneeType, ComponentRow } from '../store/components';
import type { IssueRow } from '../store/issues';
import type { VersionRow } from '../store/versions';
import { componentJson, versionJson } from '../views/project-items';
import { fail, succeed, type WriteResult } from './result';

export interface ComponentInput {
  name?: string;
  description?: string;
  leadAccountId?: string | null;
  assigneeType?: AssigneeType;
}

export interface VersionInput {
  name?: string;
  description?: string;
  startDate?: string | null;
  releaseDate?: string | null;
  released?: boolean;
  archived?: boolean;
}

const today = (state: SiteState): string => new Date(state.clock.now()).toISOString().slice(0, 10);

function componentErrors(state: SiteState, project: ProjectRecord, input: ComponentInput, self: ComponentRow | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.name !== undefined || self === null) {
    const name = (input.name ?? '').trim();
    if (name === '') errors.name = 'The component name must not be empty.';
    else if (name.length > 255) errors.name = 'The component name must not exceed 255 characters.';
    else if (state.stores.components.forProject(project.id).some((c) => c.id !== self?.id && c.name.toLowerCase() === name.toLowerCase())) {
      errors.name = `A component with the name ${name} already exists in this project.`;
    }
  }
  if (input.leadAccountId && !state.catalog.user(input.leadAccountId)?.active) {
    errors.leadAccountId = `The user with account ID '${input.leadAccountId}' does not exist.`;
  }
  return errors;
}

export function createComponent(state: SiteState, project: ProjectRecord, input: ComponentInput, actor: string): WriteResult<ComponentRow> {
  const errors = componentErrors(state, project, input, null);
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  return succeed(state.write((tx) => {
    const row: ComponentRow = {
      id: state.stores.sequences.take('component'),
      projectId: project.id,
      name: (input.name ?? '').trim(),
      description: input.description ?? '',
      leadAccountId: input.leadAccountId ?? null,
      assigneeType: input.assigneeType ?? 'PROJECT_DEFAULT',
    };
    state.stores.components.insert(row);
    tx.emit(projectItemEvent('avi:jira:created:component', 'component', componentJson(state.ctx, row, project), actor));
    return row;
  }));
}

export function updateComponent(state: SiteState, component: ComponentRow, input: ComponentInput, actor: string): WriteResult<ComponentRow> {
  const project = state.catalog.projectWithId(component.projectId);
  const errors = componentErrors(state, project, input, component);
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  const updated: ComponentRow = {
    ...component,
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.leadAccountId !== undefined ? { leadAccountId: input.leadAccountId } : {}),
    ...(input.assigneeType !== undefined ? { assigneeType: input.assigneeType } : {}),
  };
  state.write((tx) => {
    state.stores.components.update(updated);
    tx.emit(projectItemEvent('avi:jira:updated:component', 'component', componentJson(state.ctx, updated, project), actor));
  });
  state.records.invalidateAll();
  return succeed(updated);
}

export function deleteComponent(state: SiteState, component: ComponentRow, moveTo: ComponentRow | null, actor: string): void {
  const project = state.catalog.projectWithId(component.projectId);
  state.write((tx) => {
    replaceOnIssues(state, project, (issue) => ({
      ...issue,
      componentIds: replaced(issue.componentIds, component.id, moveTo?.id ?? null),
    }), (issue) => issue.componentIds.includes(component.id), tx.touch);
    state.stores.components.delete(component.id);
    tx.emit(projectItemEvent('avi:jira:deleted:component', 'component', componentJson(state.ctx, component, project), actor));
  });
}

function versionErrors(state: SiteState, project: ProjectRecord, input: VersionInput, self: VersionRow | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.name !== undefined || self === null) {
    const name = (input.name ?? '').trim();
    if (name === '') errors.name = 'You must specify a valid version name';
    else if (name.length > 255) errors.name = 'The version name must not exceed 255 characters.';
    else if (state.stores.versions.forProject(project.id).some((v) => v.id !== self?.id && v.name.toLowerCase() === name.toLowerCase())) {
      errors.name = 'A version with this name already exists in this project.';
    }
  }
  for (const field of ['startDate', 'releaseDate'] as const) {
    const value = input[field];
    if (value !== undefined && value !== null && !isJiraDate(value)) errors[field] = `The ${field === 'startDate' ? 'start' : 'release'} date is invalid: ${value}`;
  }
  const start = input.startDate !== undefined ? input.startDate : self?.startDate ?? null;
  const release = input.releaseDate !== undefined ? input.releaseDate : self?.releaseDate ?? null;
  if (!errors.startDate && !errors.releaseDate && start !== null && release !== null && start > release) {
    errors.startDate = 'The start date must be before the release date.';
  }
  return errors;
}

export function createVersion(state: SiteState, project: ProjectRecord, input: VersionInput, actor: string): WriteResult<VersionRow> {
  const errors = versionErrors(state, project, input, null);
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  return succeed(state.write((tx) => {
    const row: VersionRow = {
      id: state.stores.sequences.take('version'),
      projectId: project.id,
      name: (input.name ?? '').trim(),
      description: input.description ?? '',
      archived: input.archived ?? false,
      released: input.released ?? false,
      startDate: input.startDate ?? null,
      releaseDate: input.releaseDate ?? null,
      sequence: state.stores.versions.nextSequence(project.id),
    };
    state.stores.versions.insert(row);
    tx.emit(projectItemEvent('avi:jira:created:version', 'version', versionJson(state.ctx, row, today(state)), actor));
    return row;
  }));
}

/** Fires `updated`, then `released`/`unreleased` and `archived`/`unarchived` when those flags change, as Jira does. */
export function updateVersion(state: SiteState, version: VersionRow, input: VersionInput, actor: string): WriteResult<VersionRow> {
  const project = state.catalog.projectWithId(version.projectId);
  const errors = versionErrors(state, project, input, version);
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  const updated: VersionRow = {
    ...version,
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.startDate !== undefined ? { startDate: input.startDate } : {}),
    ...(input.releaseDate !== undefined ? { releaseDate: input.releaseDate } : {}),
    ...(input.released !== undefined ? { released: input.released } : {}),
    ...(input.archived !== undefined ? { archived: input.archived } : {}),
  };
  state.write((tx) => {
    state.stores.versions.update(updated);
    const json = versionJson(state.ctx, updated, today(state));
    tx.emit(projectItemEvent('avi:jira:updated:version', 'version', json, actor));
    if (updated.released !== version.released) {
      tx.emit(projectItemEvent(updated.released ? 'avi:jira:released:version' : 'avi:jira:unreleased:version', 'version', json, actor));
    }
    if (updated.archived !== version.archived) {
      tx.emit(projectItemEvent(updated.archived ? 'avi:jira:archived:version' : 'avi:jira:unarchived:version', 'version', json, actor));
    }
  });
  state.records.invalidateAll();
  return succeed(updated);
}

export function deleteVersion(
  state: SiteState,
  version: VersionRow,
  moveFixTo: VersionRow | null,
  moveAffectedTo: VersionRow | null,
  actor: string,
): void {
  const project = state.catalog.projectWithId(version.projectId);
  state.write((tx) => {
    replaceOnIssues(state, project, (issue) => ({
      ...issue,
      fixVersionIds: replaced(issue.fixVersionIds, version.id, moveFixTo?.id ?? null),
      affectsVersionIds: replaced(issue.affectsVersionIds, version.id, moveAffectedTo?.id ?? null),
    }), (issue) => issue.fixVersionIds.includes(version.id) || issue.affectsVersionIds.includes(version.id), tx.touch);
    state.stores.versions.delete(version.id);
    tx.emit(projectItemEvent('avi:jira:deleted:version', 'version', versionJson(state.ctx, version, today(state)), actor));
  });
}

function replaced(ids: number[], gone: number, replacement: number | null): number[] {
  const rest = ids.filter((id) => id !== gone);
  return ids.includes(gone) && replacement !== null && !rest.includes(replacement) ? [...rest, replacement] : rest;
}

function replaceOnIssues(
  state: SiteState,
  project: ProjectRecord,
  change: (issue: IssueRow) => IssueRow,
  affected: (issue: IssueRow) => boolean,
  touch: (issueId: number) => void,
): void {
  for (const issue of state.stores.issues.all()) {
    if (issue.projectId !== project.id || !affected(issue)) continue;
    state.stores.issues.update(change(issue));
    touch(issue.id);
  }
}
