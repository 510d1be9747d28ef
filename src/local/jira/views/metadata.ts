// Statuses, issue types, priorities, resolutions, projects and link types.
import type {
  IssueTypeRecord, LinkTypeRecord, PriorityRecord, ProjectRecord, ResolutionRecord, StatusRecord,
} from '../catalog';
import type { StatusCategoryKey } from '../seed-schema';
import { api, type ViewContext } from './context';
import { avatarUrls, userBean } from './users';

const CATEGORIES: Record<StatusCategoryKey, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};

export function statusCategoryName(key: StatusCategoryKey): 'To Do' | 'In Progress' | 'Done' {
  return CATEGORIES[key].name as 'To Do' | 'In Progress' | 'Done';
}

export function statusCategoryJson(ctx: ViewContext, key: StatusCategoryKey): Record<string, unknown> {
  const c = CATEGORIES[key];
  return { self: api(ctx, `/statuscategory/${c.id}`), id: c.id, key, colorName: c.colorName, name: c.name };
}

export function statusJson(ctx: ViewContext, s: StatusRecord): Record<string, unknown> {
  return {
    self: api(ctx, `/status/${s.id}`),
    description: s.description,
    iconUrl: `${ctx.baseUrl}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: statusCategoryJson(ctx, s.category),
  };
}

export function issueTypeJson(ctx: ViewContext, t: IssueTypeRecord): Record<string, unknown> {
  return {
    self: api(ctx, `/issuetype/${t.id}`),
    id: t.id,
    description: t.description,
    iconUrl: `${ctx.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${t.avatarId}?size=medium`,
    name: t.name,
    subtask: t.subtask,
    avatarId: t.avatarId,
    hierarchyLevel: t.hierarchyLevel,
  };
}

export function priorityJson(ctx: ViewContext, p: PriorityRecord): Record<string, unknown> {
  return {
    self: api(ctx, `/priority/${p.id}`),
    statusColor: p.statusColor,
    description: p.description,
    iconUrl: `${ctx.baseUrl}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
    name: p.name,
    id: p.id,
  };
}

/** The short form inside issues. */
export function priorityRef(ctx: ViewContext, p: PriorityRecord): Record<string, unknown> {
  return { self: api(ctx, `/priority/${p.id}`), iconUrl: priorityJson(ctx, p).iconUrl, name: p.name, id: p.id };
}

export function resolutionJson(ctx: ViewContext, r: ResolutionRecord): Record<string, unknown> {
  return { self: api(ctx, `/resolution/${r.id}`), id: r.id, description: r.description, name: r.name };
}

/** The short project form inside issues and search results. */
export function projectRef(ctx: ViewContext, p: ProjectRecord): Record<string, unknown> {
  return {
    self: api(ctx, `/project/${p.id}`),
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: 'software',
    simplified: false,
    avatarUrls: avatarUrls(ctx, 'project', p.id),
  };
}

export function projectJson(
  ctx: ViewContext,
  p: ProjectRecord,
  expand: ReadonlySet<string>,
  full: boolean,
): Record<string, unknown> {
  const lead = ctx.catalog.user(p.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectRef(ctx, p),
    style: 'classic',
    isPrivate: false,
    properties: {},
    ...(full || expand.has('description') ? { description: p.description } : {}),
    ...((full || expand.has('lead')) && lead ? { lead: userBean(ctx, lead) } : {}),
    ...(full || expand.has('issueTypes') ? { issueTypes: p.issueTypes.map((t) => issueTypeJson(ctx, t)) } : {}),
    ...(full ? { assigneeType: 'UNASSIGNED' as const } : {}),
  };
}

export function linkTypeJson(ctx: ViewContext, l: LinkTypeRecord): Record<string, unknown> {
  return { id: l.id, name: l.name, inward: l.inward, outward: l.outward, self: api(ctx, `/issueLinkType/${l.id}`) };
}
