// Statuses and workflows: the status search and bulk update (an admin
// renaming a status), status categories and the (classic) workflow search,
// each project's workflow as drawn.
import { z } from 'zod';
import { badRequest, jiraError, json, notFound } from '../http/respond';
import { readJson } from '../http/body';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import type { StatusCategoryKey } from '../seed-schema';
import type { SiteState } from '../state';
import { statusCategoryJson } from '../views/metadata';
import { pageBean } from '../views/page';
import { jiraStatusJson, statusCategoryKey, workflowJson } from '../views/workflows';

const CATEGORIES: StatusCategoryKey[] = ['new', 'indeterminate', 'done'];
const CATEGORY_IDS: Record<StatusCategoryKey, number> = { new: 2, indeterminate: 4, done: 3 };
const CATEGORY_OF_UPDATE = { TODO: 'new', IN_PROGRESS: 'indeterminate', DONE: 'done' } as const;

const StatusUpdateRequest = z.object({
  statuses: z.array(
    z.object({
      id: z.string(),
      name: z.string().min(1).max(255, 'The name is too long, maxSize=255'),
      statusCategory: z.enum(['TODO', 'IN_PROGRESS', 'DONE']),
      description: z.string().max(255).optional(),
    }),
  ).min(1),
});

export function workflowRoutes(state: SiteState): Route[] {
  const { catalog, ctx } = state;
  return [
    {
      method: 'GET', path: '/rest/api/3/statuses/search', operationId: 'search',
      handle: ({ url, actor }) => {
        const access = state.access(actor);
        const page = paging(url, 200, 200);
        if ('error' in page) return badRequest(page.error);
        const projectId = url.searchParams.get('projectId');
        const project = projectId === null ? undefined : access.project(projectId);
        if (projectId !== null && (!project || project.id !== projectId)) return notFound(`No project could be found with id '${projectId}'.`);
        const query = url.searchParams.get('searchString')?.toLowerCase();
        const category = url.searchParams.get('statusCategory');
        // The search is for those who administer projects or Jira; the contract
        // declares no refusal, so anyone else finds nothing.
        const mayAdminister = access.isJiraAdmin() || access.hasAnywhere('ADMINISTER_PROJECTS');
        const statuses = (project ? project.workflow.statuses : catalog.statuses).filter((s) =>
          mayAdminister && (!query || s.name.toLowerCase().includes(query)) && (category === null || statusCategoryKey(s.category) === category));
        return json(200, pageBean(ctx, url, statuses.map(jiraStatusJson), page.startAt, page.maxResults));
      },
    },
    {
      // Renames take effect everywhere at once: workflows and issues refer to a status by id.
      method: 'PUT', path: '/rest/api/3/statuses', operationId: 'updateStatuses',
      handle: async ({ request, actor }) => {
        const access = state.access(actor);
        if (!access.isJiraAdmin() && !access.hasAnywhere('ADMINISTER_PROJECTS')) return jiraError(401, ['You are not authorized to perform this action.']);
        const body = await readJson(request, StatusUpdateRequest);
        if (!body.ok) return body.response;
        const updates = body.value.statuses.map((u) => ({ update: u, status: catalog.statuses.find((s) => s.id === u.id) }));
        const unknown = updates.find((u) => !u.status);
        if (unknown) return badRequest(`The status with ID ${unknown.update.id} does not exist.`);
        const taken = updates.find((u) => catalog.statuses.some((s) => s.id !== u.update.id && s.name.toLowerCase() === u.update.name.toLowerCase()));
        if (taken) return badRequest(`A status with the name '${taken.update.name}' already exists.`);
        const write = state.db.prepare('UPDATE statuses SET name = ?, category = ?, description = ? WHERE id = ?');
        for (const { update, status } of updates) {
          const category = CATEGORY_OF_UPDATE[update.statusCategory];
          const description = update.description ?? status!.description;
          write.run(update.name, category, description, update.id);
          Object.assign(status!, { name: update.name, category, description });
        }
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/statuscategory', operationId: 'getStatusCategories',
      handle: () => json(200, CATEGORIES.map((key) => statusCategoryJson(ctx, key))),
    },
    {
      method: 'GET', path: '/rest/api/3/statuscategory/:idOrKey', operationId: 'getStatusCategory',
      handle: ({ params }) => {
        const ref = params.idOrKey ?? '';
        const key = CATEGORIES.find((k) => k === ref || String(CATEGORY_IDS[k]) === ref);
        return key ? json(200, statusCategoryJson(ctx, key)) : notFound(`The status category with id or key '${ref}' does not exist.`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/workflow/search', operationId: 'getWorkflowsPaginated',
      handle: ({ url, actor }) => {
        if (!state.access(actor).isJiraAdmin()) {
          return jiraError(403, ['Only Jira administrators can access workflows.']);
        }
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const names = listParam(url, 'workflowName');
        const query = url.searchParams.get('queryString')?.toLowerCase();
        const expand = new Set(listParam(url, 'expand'));
        let projects = catalog.projects.filter((p) =>
          (names.length === 0 || names.includes(p.workflow.name)) && (!query || p.workflow.name.toLowerCase().includes(query)));
        const orderBy = url.searchParams.get('orderBy');
        if (orderBy?.replace(/^[+-]/, '') === 'name') {
          projects = [...projects].sort((a, b) => a.workflow.name.localeCompare(b.workflow.name));
          if (orderBy.startsWith('-')) projects.reverse();
        }
        return json(200, pageBean(ctx, url, projects.map((p) => workflowJson(ctx, p, expand)), page.startAt, page.maxResults));
      },
    },
  ];
}
