// Project versions: listed by anyone who may browse the project, managed by
// its administrators. Refusals answer with the status each operation's
// contract names for them (create 404, update 400, delete 401).
import { z } from 'zod';
import type { ProjectRecord } from '../catalog';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, jiraError, json, noContent, notFound } from '../http/respond';
import { paging } from '../http/params';
import type { Route } from '../http/route';
import type { Access } from '../permissions/access';
import type { SiteState } from '../state';
import type { VersionRow } from '../store/versions';
import { pageBean } from '../views/page';
import { versionJson } from '../views/project-items';
import { createVersion, deleteVersion, updateVersion } from '../write/project-items';
import { failure } from './issues';

const VersionBodySchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    project: z.string().optional(),
    projectId: z.number().int().optional(),
    startDate: z.string().nullable().optional(),
    releaseDate: z.string().nullable().optional(),
    released: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .loose();

const STATUSES = ['released', 'unreleased', 'archived'] as const;

export function versionRoutes(state: SiteState): Route[] {
  const { stores, ctx } = state;
  const today = (): string => new Date(state.clock.now()).toISOString().slice(0, 10);
  const noProject = (ref: string): Response => notFound(`No project could be found with key '${ref}'.`);
  const noVersion = (id: string | undefined): Response => notFound(`Could not find version for id '${id}'`);
  const visible = (access: Access, ref: string | undefined): { version: VersionRow; project: ProjectRecord } | undefined => {
    const version = ref && /^\d+$/.test(ref) ? stores.versions.get(Number(ref)) : undefined;
    const project = version && access.project(version.projectId);
    return version && project ? { version, project } : undefined;
  };
  const mayConfigure = (access: Access, project: ProjectRecord): boolean => access.isJiraAdmin() || access.has('ADMINISTER_PROJECTS', project);
  const refused = (status: 400 | 401 | 404): Response => jiraError(status, ['You cannot edit the configuration of this project.']);

  return [
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/versions', operationId: 'getProjectVersions',
      handle: ({ params, actor }) => {
        const project = state.access(actor).project(params.projectIdOrKey);
        if (!project) return noProject(params.projectIdOrKey ?? '');
        return json(200, stores.versions.forProject(project.id).map((v) => versionJson(ctx, v, today())));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/version', operationId: 'getProjectVersionsPaginated',
      handle: ({ params, url, actor }) => {
        const project = state.access(actor).project(params.projectIdOrKey);
        if (!project) return noProject(params.projectIdOrKey ?? '');
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const query = url.searchParams.get('query')?.toLowerCase();
        const statuses = (url.searchParams.get('status') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (statuses.some((s) => !(STATUSES as readonly string[]).includes(s))) {
          return badRequest(`Invalid status: the valid statuses are ${STATUSES.join(', ')}.`);
        }
        const statusOf = (v: VersionRow) => (v.archived ? 'archived' : v.released ? 'released' : 'unreleased');
        const versions = stores.versions.forProject(project.id).filter((v) =>
          (!query || v.name.toLowerCase().includes(query) || v.description.toLowerCase().includes(query)) &&
          (statuses.length === 0 || statuses.includes(statusOf(v))));
        const orderBy = url.searchParams.get('orderBy');
        const by = orderBy?.replace(/^[+-]/, '');
        if (by === 'name' || by === 'description' || by === 'releaseDate' || by === 'startDate' || by === 'sequence') {
          versions.sort((a, b) => (by === 'sequence' ? a.sequence - b.sequence : String(a[by] ?? '').localeCompare(String(b[by] ?? ''))));
          if (orderBy?.startsWith('-')) versions.reverse();
        }
        return json(200, pageBean(ctx, url, versions.map((v) => versionJson(ctx, v, today())), page.startAt, page.maxResults));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/version', operationId: 'createVersion',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, VersionBodySchema);
        if (!body.ok) return body.response;
        const ref = body.value.projectId !== undefined ? String(body.value.projectId) : body.value.project;
        if (ref === undefined) return fieldErrors({ project: 'Project must be specified to create a version.' });
        const access = state.access(actor);
        const project = access.project(ref);
        if (!project) return noProject(ref);
        if (!mayConfigure(access, project)) return refused(404);
        const created = createVersion(state, project, body.value, actor);
        return created.ok ? json(201, versionJson(ctx, created.value, today())) : failure(created.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/version/:id', operationId: 'getVersion',
      handle: ({ params, actor }) => {
        const found = visible(state.access(actor), params.id);
        return found ? json(200, versionJson(ctx, found.version, today())) : noVersion(params.id);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/version/:id', operationId: 'updateVersion',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const found = visible(access, params.id);
        if (!found) return noVersion(params.id);
        const body = await readJson(request, VersionBodySchema);
        if (!body.ok) return body.response;
        if (!mayConfigure(access, found.project)) return refused(400);
        const updated = updateVersion(state, found.version, body.value, actor);
        return updated.ok ? json(200, versionJson(ctx, updated.value, today())) : failure(updated.failure);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/version/:id', operationId: 'deleteVersion',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const found = visible(access, params.id);
        if (!found) return noVersion(params.id);
        if (!mayConfigure(access, found.project)) return refused(401);
        const replacement = (name: string): VersionRow | null | Response => {
          const ref = url.searchParams.get(name);
          if (ref === null) return null;
          const other = visible(access, ref);
          return other && other.project.id === found.project.id && other.version.id !== found.version.id ? other.version : noVersion(ref);
        };
        const moveFix = replacement('moveFixIssuesTo');
        if (moveFix instanceof Response) return moveFix;
        const moveAffected = replacement('moveAffectedIssuesTo');
        if (moveAffected instanceof Response) return moveAffected;
        deleteVersion(state, found.version, moveFix, moveAffected, actor);
        return noContent();
      },
    },
  ];
}
