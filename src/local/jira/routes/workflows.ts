// Statuses and workflows: the status search, status categories and the
// (classic) workflow search, each project's workflow as drawn.
import { badRequest, jiraError, json, notFound } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import type { StatusCategoryKey } from '../seed-schema';
import type { SiteState } from '../state';
import { statusCategoryJson } from '../views/metadata';
import { pageBean } from '../views/page';
import { jiraStatusJson, statusCategoryKey, workflowJson } from '../views/workflows';

const CATEGORIES: StatusCategoryKey[] = ['new', 'indeterminate', 'done'];
const CATEGORY_IDS: Record<StatusCategoryKey, number> = { new: 2, indeterminate: 4, done: 3 };

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
