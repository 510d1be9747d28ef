// Site metadata: server info, projects, statuses, issue types and their
// schemes, priorities, resolutions, fields, link types, create metadata.
import type { ProjectRecord } from '../catalog';
import { badRequest, jiraError, json, notFound } from '../http/respond';
import { boolParam, intParam, listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import { jiraTimestamp } from '../model/time';
import type { SiteState } from '../state';
import { api } from '../views/context';
import {
  issueTypeJson, priorityJson, projectJson, resolutionJson, statusJson,
} from '../views/metadata';
import { createMetaFields } from '../views/create-meta';
import { pageBean } from '../views/page';

export function metadataRoutes(state: SiteState): Route[] {
  const { catalog, ctx } = state;
  /** A project the caller may browse; others answer as if they did not exist, as in Jira. */
  const project = (actor: string, ref: string): ProjectRecord | undefined => state.access(actor).project(ref);
  /** Create metadata lists only projects the caller may create issues in, as Jira's always has. */
  const creatable = (actor: string, ref: string): ProjectRecord | undefined => {
    const access = state.access(actor);
    const found = access.project(ref);
    return found && access.has('CREATE_ISSUES', found) ? found : undefined;
  };
  const noProject = (ref: string): Response => notFound(`No project could be found with key '${ref}'.`);

  return [
    {
      method: 'GET', path: '/rest/api/3/serverInfo', operationId: 'getServerInfo',
      handle: () => {
        const now = jiraTimestamp(state.clock.now());
        return json(200, {
          baseUrl: ctx.baseUrl,
          displayUrl: ctx.baseUrl,
          version: '1001.0.0-SNAPSHOT',
          versionNumbers: [1001, 0, 0],
          deploymentType: 'Cloud',
          buildNumber: 100288,
          buildDate: now,
          serverTime: now,
          scmInfo: 'local-emulator',
          serverTitle: catalog.site.serverTitle,
          serverTimeZone: 'Etc/UTC',
        });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/project/search', operationId: 'searchProjects',
      handle: ({ url, actor }) => {
        const page = paging(url, 50, 100);
        if ('error' in page) return badRequest(page.error);
        const access = state.access(actor);
        const query = url.searchParams.get('query')?.toLowerCase();
        const keys = listParam(url, 'keys');
        const ids = listParam(url, 'id');
        const expand = new Set(listParam(url, 'expand'));
        const orderBy = url.searchParams.get('orderBy') ?? 'key';
        // Listed where the caller may browse or administer the project, or administers Jira.
        const listable = (p: ProjectRecord): boolean =>
          access.canBrowse(p) || access.has('ADMINISTER_PROJECTS', p) || access.isJiraAdmin();
        let projects = catalog.projects.filter(
          (p) =>
            listable(p) &&
            (!query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
            (keys.length === 0 || keys.includes(p.key)) &&
            (ids.length === 0 || ids.includes(p.id)),
        );
        const by = orderBy.replace(/^[+-]/, '');
        if (by === 'key' || by === 'name') {
          projects = [...projects].sort((a, b) => a[by].localeCompare(b[by]));
          if (orderBy.startsWith('-')) projects.reverse();
        }
        return json(200, pageBean(ctx, url, projects.map((p) => projectJson(ctx, p, expand, false)), page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/statuses', operationId: 'getAllStatuses',
      handle: ({ params, actor }) => {
        const p = project(actor, params.projectIdOrKey ?? '');
        if (!p) return noProject(params.projectIdOrKey ?? '');
        return json(200, p.issueTypes.map((t) => ({
          self: api(ctx, `/issueType/${t.id}`),
          id: t.id,
          name: t.name,
          subtask: t.subtask,
          statuses: p.workflow.statuses.map((status) => statusJson(ctx, status)),
        })));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey', operationId: 'getProject',
      handle: ({ params, url, actor }) => {
        const p = project(actor, params.projectIdOrKey ?? '');
        if (!p) return noProject(params.projectIdOrKey ?? '');
        return json(200, projectJson(ctx, p, new Set(listParam(url, 'expand')), true));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issuetype/project', operationId: 'getIssueTypesForProject',
      handle: ({ url, actor }) => {
        const id = intParam(url, 'projectId');
        if (id === undefined || Number.isNaN(id)) return badRequest("The 'projectId' parameter is required and must be a number.");
        const p = project(actor, String(id));
        if (!p || p.id !== String(id)) return notFound(`No project could be found with id '${id}'.`);
        return json(200, p.issueTypes.map((t) => issueTypeJson(ctx, t)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issuetype', operationId: 'getIssueAllTypes',
      handle: () => json(200, catalog.issueTypes.map((t) => issueTypeJson(ctx, t))),
    },
    {
      method: 'GET', path: '/rest/api/3/issuetype/:id', operationId: 'getIssueType',
      handle: ({ params }) => {
        const type = catalog.issueType(params.id ?? '');
        return type ? json(200, issueTypeJson(ctx, type)) : notFound(`Issue type with ID '${params.id}' was not found.`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issuetypescheme/project', operationId: 'getIssueTypeSchemeForProjects',
      handle: ({ url, actor }) => {
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const ids = listParam(url, 'projectId');
        if (ids.length === 0) return badRequest("The 'projectId' parameter is required.");
        // Projects the caller cannot see are left out, as unknown ids are.
        const access = state.access(actor);
        const projects = ids.flatMap((id) => catalog.projects.filter((p) => p.id === id && access.canBrowse(p)));
        // Projects without a default type share the site's default scheme.
        const schemes = new Map<string, { issueTypeScheme: Record<string, unknown>; projectIds: string[] }>();
        for (const p of projects) {
          const own = p.defaultIssueTypeId !== null;
          const id = own ? `1${p.id}` : '10000';
          const scheme = schemes.get(id) ?? {
            issueTypeScheme: own
              ? { id, name: `${p.key}: Issue Type Scheme`, description: '', defaultIssueTypeId: p.defaultIssueTypeId, isDefault: false }
              : { id, name: 'Default Issue Type Scheme', description: 'Default issue type scheme is the list of global issue types.', isDefault: true },
            projectIds: [],
          };
          scheme.projectIds.push(p.id);
          schemes.set(id, scheme);
        }
        return json(200, pageBean(ctx, url, [...schemes.values()], page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/priority', operationId: 'getPriorities',
      handle: () => json(200, catalog.priorities.map((p) => priorityJson(ctx, p))),
    },
    {
      method: 'GET', path: '/rest/api/3/priority/search', operationId: 'searchPriorities',
      handle: ({ url }) => {
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const ids = listParam(url, 'id');
        const name = url.searchParams.get('priorityName')?.toLowerCase();
        const onlyDefault = boolParam(url, 'onlyDefault') === true;
        const priorities = catalog.priorities.filter(
          (p) =>
            (ids.length === 0 || ids.includes(p.id)) &&
            (!name || p.name.toLowerCase().includes(name)) &&
            (!onlyDefault || p.isDefault),
        );
        const values = priorities.map((p) => ({ ...priorityJson(ctx, p), isDefault: p.isDefault }));
        return json(200, pageBean(ctx, url, values, page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/priority/:id', operationId: 'getPriority',
      handle: ({ params }) => {
        const p = catalog.priority(params.id ?? '');
        return p ? json(200, priorityJson(ctx, p)) : notFound(`The priority with id '${params.id}' does not exist.`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/status', operationId: 'getStatuses',
      handle: () => json(200, catalog.statuses.map((s) => statusJson(ctx, s))),
    },
    {
      method: 'GET', path: '/rest/api/3/status/:idOrName', operationId: 'getStatus',
      handle: ({ params }) => {
        const ref = params.idOrName ?? '';
        const s = catalog.statuses.find((x) => x.id === ref || x.name.toLowerCase() === ref.toLowerCase());
        return s ? json(200, statusJson(ctx, s)) : notFound(`The status with id '${ref}' does not exist.`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/resolution', operationId: 'getResolutions',
      handle: () => json(200, catalog.resolutions.map((r) => resolutionJson(ctx, r))),
    },
    {
      method: 'GET', path: '/rest/api/3/resolution/search', operationId: 'searchResolutions',
      handle: ({ url }) => {
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const ids = listParam(url, 'id');
        const onlyDefault = boolParam(url, 'onlyDefault') === true;
        const values = catalog.resolutions
          .filter((r) => (ids.length === 0 || ids.includes(r.id)) && (!onlyDefault || r.isDefault))
          .map((r) => ({ ...resolutionJson(ctx, r), default: r.isDefault }));
        return json(200, pageBean(ctx, url, values, page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/resolution/:id', operationId: 'getResolution',
      handle: ({ params }) => {
        const r = catalog.resolution(params.id ?? '');
        return r ? json(200, resolutionJson(ctx, r)) : notFound(`The resolution with id '${params.id}' does not exist.`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes', operationId: 'getCreateIssueMetaIssueTypes',
      handle: ({ params, url, actor }) => {
        const p = creatable(actor, params.projectIdOrKey ?? '');
        if (!p) return jiraError(400, [`No project could be found with key or id '${params.projectIdOrKey}'.`]);
        const page = paging(url, 50, 200);
        if ('error' in page) return badRequest(page.error);
        const types = p.issueTypes.slice(page.startAt, page.startAt + page.maxResults).map((t) => issueTypeJson(ctx, t));
        return json(200, { maxResults: page.maxResults, startAt: page.startAt, total: p.issueTypes.length, issueTypes: types });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId',
      operationId: 'getCreateIssueMetaIssueTypeId',
      handle: ({ params, url, actor }) => {
        const p = creatable(actor, params.projectIdOrKey ?? '');
        if (!p) return jiraError(400, [`No project could be found with key or id '${params.projectIdOrKey}'.`]);
        const type = p.issueTypes.find((t) => t.id === params.issueTypeId);
        if (!type) return jiraError(400, [`The issue type with id '${params.issueTypeId}' is not available in project ${p.key}.`]);
        const page = paging(url, 50, 200);
        if ('error' in page) return badRequest(page.error);
        const fields = createMetaFields(state, p, type);
        return json(200, {
          maxResults: page.maxResults,
          startAt: page.startAt,
          total: fields.length,
          fields: fields.slice(page.startAt, page.startAt + page.maxResults),
        });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/attachment/meta', operationId: 'getAttachmentMeta',
      handle: () => json(200, { enabled: true, uploadLimit: catalog.site.attachmentMaxBytes }),
    },
  ];
}
