// Components and versions of a project, as their own resources and in issues.
import type { ProjectRecord } from '../catalog';
import type { ComponentRow } from '../store/components';
import type { VersionRow } from '../store/versions';
import { renderedDate } from '../model/rendered-time';
import { api, type ViewContext } from './context';
import { userDetails } from './users';

/** The short form in an issue's `components`. */
export function componentRef(ctx: ViewContext, c: ComponentRow): Record<string, unknown> {
  return {
    self: api(ctx, `/component/${c.id}`),
    id: String(c.id),
    name: c.name,
    ...(c.description !== '' ? { description: c.description } : {}),
  };
}

/**
 * `ProjectComponent`. The assignee an issue of this component gets follows
 * the assignee type; the projects here default to leaving issues unassigned.
 */
export function componentJson(ctx: ViewContext, c: ComponentRow, project: ProjectRecord): Record<string, unknown> {
  const lead = c.leadAccountId === null ? undefined : ctx.catalog.user(c.leadAccountId);
  const real: { type: ComponentRow['assigneeType']; accountId: string | null } =
    c.assigneeType === 'COMPONENT_LEAD' ? { type: 'COMPONENT_LEAD', accountId: lead ? lead.accountId : null }
    : c.assigneeType === 'PROJECT_LEAD' ? { type: 'PROJECT_LEAD', accountId: project.leadAccountId }
    : { type: 'UNASSIGNED', accountId: null };
  const valid = real.type === 'UNASSIGNED' || real.accountId !== null;
  return {
    self: api(ctx, `/component/${c.id}`),
    id: String(c.id),
    name: c.name,
    description: c.description,
    ...(lead ? { lead: userDetails(ctx, lead.accountId) } : {}),
    assigneeType: c.assigneeType,
    ...(c.assigneeType !== 'UNASSIGNED' && real.accountId ? { assignee: userDetails(ctx, real.accountId) } : {}),
    realAssigneeType: valid ? real.type : 'UNASSIGNED',
    ...(valid && real.accountId ? { realAssignee: userDetails(ctx, real.accountId) } : {}),
    isAssigneeTypeValid: valid,
    project: project.key,
    projectId: Number(project.id),
  };
}

/** The form in an issue's `fixVersions` and `versions`. */
export function versionRef(ctx: ViewContext, v: VersionRow): Record<string, unknown> {
  return {
    self: api(ctx, `/version/${v.id}`),
    id: String(v.id),
    ...(v.description !== '' ? { description: v.description } : {}),
    name: v.name,
    archived: v.archived,
    released: v.released,
    ...(v.releaseDate !== null ? { releaseDate: v.releaseDate } : {}),
  };
}

/** `Version`; `today` (`YYYY-MM-DD`) decides whether an unreleased version is overdue. */
export function versionJson(ctx: ViewContext, v: VersionRow, today: string): Record<string, unknown> {
  return {
    self: api(ctx, `/version/${v.id}`),
    id: String(v.id),
    description: v.description,
    name: v.name,
    archived: v.archived,
    released: v.released,
    ...(v.startDate !== null ? { startDate: v.startDate, userStartDate: renderedDate(v.startDate) ?? v.startDate } : {}),
    ...(v.releaseDate !== null ? { releaseDate: v.releaseDate, userReleaseDate: renderedDate(v.releaseDate) ?? v.releaseDate } : {}),
    ...(v.releaseDate !== null && !v.released ? { overdue: v.releaseDate < today } : {}),
    projectId: Number(v.projectId),
  };
}
