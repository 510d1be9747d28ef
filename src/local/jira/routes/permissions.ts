// `GET /mypermissions`: which of the named permissions the caller holds, from
// the site's permission scheme, with Jira's semantics:
//  - `permissions` is required and every key must be one Jira knows (400);
//  - `issueId`/`issueKey` (issue first, as the more specific), else
//    `projectId`/`projectKey` (the id wins over the key), narrow the answer to
//    that project; an issue or project the caller cannot browse answers 404,
//    exactly as one that does not exist;
//  - `commentId` asks whether the caller can see that comment, and supports
//    only BROWSE_PROJECTS (400 otherwise);
//  - with no context, a project permission is held when held in any project.
import type { ProjectRecord } from '../catalog';
import { badRequest, issueNotFound, jiraError, json, notFound } from '../http/respond';
import { listParam } from '../http/params';
import type { Route } from '../http/route';
import type { Access } from '../permissions/access';
import { permissionDefinition, type PermissionDefinition } from '../permissions/definitions';
import type { SiteState } from '../state';

type Context = { project: ProjectRecord | null } | { refused: Response };

export function permissionRoutes(state: SiteState): Route[] {
  return [
    {
      method: 'GET', path: '/rest/api/3/mypermissions', operationId: 'getMyPermissions',
      handle: ({ url, actor }) => {
        const keys = listParam(url, 'permissions');
        if (keys.length === 0) return badRequest("The 'permissions' query parameter is required.");
        const unknown = keys.filter((key) => permissionDefinition(key) === undefined);
        if (unknown.length > 0) return jiraError(400, [`Permission keys ${unknown.join(', ')} are not valid.`]);
        const definitions = keys.map((key) => permissionDefinition(key) as PermissionDefinition);

        const access = state.access(actor);
        const commentId = url.searchParams.get('commentId');
        if (commentId !== null && keys.some((key) => key !== 'BROWSE_PROJECTS')) {
          return badRequest('Only the BROWSE_PROJECTS permission can be checked for a comment.');
        }
        const context = commentId !== null ? commentContext(state, access, commentId) : issueOrProjectContext(access, url);
        if ('refused' in context) return context.refused;

        const held = (definition: PermissionDefinition): boolean => {
          if (definition.type === 'GLOBAL') return access.isJiraAdmin();
          return context.project ? access.has(definition.key, context.project) : access.hasAnywhere(definition.key);
        };
        const permissions = Object.fromEntries(definitions.map((d) => [d.key, { ...d, havePermission: held(d) }]));
        return json(200, { permissions });
      },
    },
  ];
}

function issueOrProjectContext(access: Access, url: URL): Context {
  const issueRef = url.searchParams.get('issueId') ?? url.searchParams.get('issueKey');
  if (issueRef !== null) {
    const issue = access.issue(issueRef);
    return issue ? { project: access.projectOf(issue) } : { refused: issueNotFound() };
  }
  const projectId = url.searchParams.get('projectId');
  const projectRef = projectId ?? url.searchParams.get('projectKey');
  if (projectRef === null) return { project: null };
  const project = access.project(projectRef);
  if (project && (projectId === null || project.id === projectId)) return { project };
  return { refused: notFound(`No project could be found with ${projectId !== null ? 'id' : 'key'} '${projectRef}'.`) };
}

function commentContext(state: SiteState, access: Access, commentId: string): Context {
  const comment = /^\d+$/.test(commentId) ? state.stores.comments.get(Number(commentId)) : undefined;
  const issue = comment && state.stores.issues.byId(comment.issueId);
  if (!issue || !access.canSee(issue)) return { refused: notFound(`Can not find a comment for the id: ${commentId}.`) };
  return { project: access.projectOf(issue) };
}
