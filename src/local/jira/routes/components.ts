// Project components: listed by anyone who may browse the project, managed
// by its administrators (Administer Projects, or Jira admins).
import { z } from 'zod';
import type { ProjectRecord } from '../catalog';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, jiraError, json, noContent, notFound } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import type { Access } from '../permissions/access';
import type { SiteState } from '../state';
import type { ComponentRow } from '../store/components';
import { pageBean } from '../views/page';
import { componentJson } from '../views/project-items';
import { createComponent, deleteComponent, updateComponent } from '../write/project-items';
import { failure } from './issues';

const AssigneeTypeSchema = z.enum(['PROJECT_DEFAULT', 'COMPONENT_LEAD', 'PROJECT_LEAD', 'UNASSIGNED']);

const ComponentBodySchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    project: z.string().optional(),
    projectId: z.number().int().optional(),
    leadAccountId: z.string().max(128).nullable().optional(),
    assigneeType: AssigneeTypeSchema.optional(),
  })
  .loose();

export const cannotConfigure = (): Response => jiraError(403, ['You cannot edit the configuration of this project.']);

export function componentRoutes(state: SiteState): Route[] {
  const { stores, ctx } = state;
  const noProject = (ref: string): Response => notFound(`No project could be found with key '${ref}'.`);
  const noComponent = (id: string | undefined): Response => notFound(`The component with id ${id} does not exist.`);
  /** A component in a project the caller may browse; others do not exist for them. */
  const visible = (access: Access, ref: string | undefined): { component: ComponentRow; project: ProjectRecord } | undefined => {
    const component = ref && /^\d+$/.test(ref) ? stores.components.get(Number(ref)) : undefined;
    const project = component && access.project(component.projectId);
    return component && project ? { component, project } : undefined;
  };
  const mayConfigure = (access: Access, project: ProjectRecord): boolean => access.isJiraAdmin() || access.has('ADMINISTER_PROJECTS', project);
  const issueCount = (component: ComponentRow): number =>
    stores.issues.all().filter((issue) => issue.componentIds.includes(component.id)).length;

  return [
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/components', operationId: 'getProjectComponents',
      handle: ({ params, actor }) => {
        const project = state.access(actor).project(params.projectIdOrKey);
        if (!project) return noProject(params.projectIdOrKey ?? '');
        return json(200, stores.components.forProject(project.id).map((c) => componentJson(ctx, c, project)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/component', operationId: 'getProjectComponentsPaginated',
      handle: ({ params, url, actor }) => {
        const project = state.access(actor).project(params.projectIdOrKey);
        if (!project) return noProject(params.projectIdOrKey ?? '');
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const query = url.searchParams.get('query')?.toLowerCase();
        const components = stores.components.forProject(project.id).filter((c) =>
          !query || c.name.toLowerCase().includes(query) || c.description.toLowerCase().includes(query));
        const counted = components.map((c) => ({ component: c, issueCount: issueCount(c) }));
        const orderBy = url.searchParams.get('orderBy');
        const by = orderBy?.replace(/^[+-]/, '');
        if (by === 'name' || by === 'description' || by === 'issueCount') {
          counted.sort((a, b) => (by === 'issueCount' ? a.issueCount - b.issueCount : a.component[by].localeCompare(b.component[by])));
          if (orderBy?.startsWith('-')) counted.reverse();
        }
        const values = counted.map(({ component, issueCount: count }) => ({ ...componentJson(ctx, component, project), issueCount: count }));
        return json(200, pageBean(ctx, url, values, page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/component', operationId: 'findComponentsForProjects',
      handle: ({ url, actor }) => {
        const access = state.access(actor);
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const refs = listParam(url, 'projectIdsOrKeys');
        const projects = refs.length === 0 ? state.catalog.projects.filter((p) => access.canBrowse(p)) : refs.map((ref) => access.project(ref));
        const missing = refs.find((ref, i) => projects[i] === undefined);
        if (missing !== undefined) return noProject(missing);
        const query = url.searchParams.get('query')?.toLowerCase();
        const values = projects.flatMap((p) => (p ? stores.components.forProject(p.id) : []))
          .filter((c) => !query || c.name.toLowerCase().includes(query))
          .map((c) => ({ self: componentJson(ctx, c, state.catalog.projectWithId(c.projectId)).self, id: String(c.id), name: c.name, description: c.description }));
        return json(200, pageBean(ctx, url, values, page.startAt, page.maxResults));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/component', operationId: 'createComponent',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, ComponentBodySchema);
        if (!body.ok) return body.response;
        const ref = body.value.projectId !== undefined ? String(body.value.projectId) : body.value.project;
        if (ref === undefined) return fieldErrors({ project: 'The project must be specified.' });
        const access = state.access(actor);
        const project = access.project(ref);
        if (!project) return noProject(ref);
        if (!mayConfigure(access, project)) return cannotConfigure();
        const created = createComponent(state, project, body.value, actor);
        return created.ok ? json(201, componentJson(ctx, created.value, project)) : failure(created.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/component/:id', operationId: 'getComponent',
      handle: ({ params, actor }) => {
        const found = visible(state.access(actor), params.id);
        return found ? json(200, componentJson(ctx, found.component, found.project)) : noComponent(params.id);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/component/:id', operationId: 'updateComponent',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const found = visible(access, params.id);
        if (!found) return noComponent(params.id);
        const body = await readJson(request, ComponentBodySchema);
        if (!body.ok) return body.response;
        if (!mayConfigure(access, found.project)) return cannotConfigure();
        const updated = updateComponent(state, found.component, body.value, actor);
        return updated.ok ? json(200, componentJson(ctx, updated.value, found.project)) : failure(updated.failure);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/component/:id', operationId: 'deleteComponent',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const found = visible(access, params.id);
        if (!found) return noComponent(params.id);
        if (!mayConfigure(access, found.project)) return cannotConfigure();
        const moveRef = url.searchParams.get('moveIssuesTo');
        const moveTo = moveRef === null ? null : visible(access, moveRef);
        if (moveRef !== null && (!moveTo || moveTo.project.id !== found.project.id || moveTo.component.id === found.component.id)) {
          return noComponent(moveRef);
        }
        deleteComponent(state, found.component, moveTo?.component ?? null, actor);
        return noContent();
      },
    },
  ];
}
