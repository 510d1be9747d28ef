// People: who is calling, look-ups and searches, and what the caller may do.
import type { ProjectRecord, UserRecord } from '../catalog';
import { badRequest, jiraError, json, notFound } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Call, Route } from '../http/route';
import type { SiteState } from '../state';
import { userBean } from '../views/users';
import { pageBean } from './metadata';

interface PermissionDef {
  id: string;
  key: string;
  name: string;
  type: 'GLOBAL' | 'PROJECT';
  description: string;
}

// Everyone may work on issues; administering is kept to site admins and, for
// a project, to that project's admins. The app holds every project permission
// (as Forge apps do through their app role) but does not administer the site.
const PERMISSIONS: PermissionDef[] = [
  ['0', 'ADMINISTER', 'Administer Jira', 'GLOBAL', 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.'],
  ['23', 'ADMINISTER_PROJECTS', 'Administer Projects', 'PROJECT', 'Ability to administer a project in Jira.'],
  ['10', 'BROWSE_PROJECTS', 'Browse Projects', 'PROJECT', 'Ability to browse projects and the issues within them.'],
  ['11', 'CREATE_ISSUES', 'Create Issues', 'PROJECT', 'Ability to create issues.'],
  ['12', 'EDIT_ISSUES', 'Edit Issues', 'PROJECT', 'Ability to edit issues.'],
  ['16', 'DELETE_ISSUES', 'Delete Issues', 'PROJECT', 'Ability to delete issues.'],
  ['46', 'TRANSITION_ISSUES', 'Transition Issues', 'PROJECT', 'Ability to transition issues.'],
  ['13', 'ASSIGN_ISSUES', 'Assign Issues', 'PROJECT', 'Ability to assign issues to other people.'],
  ['17', 'ASSIGNABLE_USER', 'Assignable User', 'PROJECT', 'Users with this permission may be assigned to issues.'],
  ['14', 'RESOLVE_ISSUES', 'Resolve Issues', 'PROJECT', 'Ability to resolve and reopen issues.'],
  ['21', 'LINK_ISSUES', 'Link Issues', 'PROJECT', 'Ability to link issues together.'],
  ['30', 'MODIFY_REPORTER', 'Modify Reporter', 'PROJECT', 'Ability to modify the reporter when creating or editing an issue.'],
  ['15', 'ADD_COMMENTS', 'Add Comments', 'PROJECT', 'Ability to comment on issues.'],
  ['34', 'EDIT_ALL_COMMENTS', 'Edit All Comments', 'PROJECT', 'Ability to edit all comments made on issues.'],
  ['35', 'EDIT_OWN_COMMENTS', 'Edit Own Comments', 'PROJECT', 'Ability to edit own comments made on issues.'],
  ['36', 'DELETE_ALL_COMMENTS', 'Delete All Comments', 'PROJECT', 'Ability to delete all comments made on issues.'],
  ['37', 'DELETE_OWN_COMMENTS', 'Delete Own Comments', 'PROJECT', 'Ability to delete own comments made on issues.'],
  ['19', 'CREATE_ATTACHMENTS', 'Create Attachments', 'PROJECT', 'Users with this permission may create attachments.'],
  ['38', 'DELETE_ALL_ATTACHMENTS', 'Delete All Attachments', 'PROJECT', 'Users with this permission may delete all attachments.'],
  ['39', 'DELETE_OWN_ATTACHMENTS', 'Delete Own Attachments', 'PROJECT', 'Users with this permission may delete own attachments.'],
].map(([id, key, name, type, description]) => ({ id, key, name, type, description }) as PermissionDef);

function havePermission(state: SiteState, caller: Call, permission: PermissionDef, project: ProjectRecord | null): boolean {
  const isApp = caller.caller.kind === 'app';
  const user = state.catalog.user(caller.actor);
  if (permission.key === 'ADMINISTER') return !isApp && user?.siteAdmin === true;
  if (permission.key === 'ADMINISTER_PROJECTS') {
    if (isApp) return true;
    // Without a project, Jira answers whether the permission is held in any project.
    const projects = project ? [project] : state.catalog.projects;
    return projects.some((p) => state.catalog.isProjectAdmin(caller.actor, p));
  }
  return isApp || user?.active === true;
}

function matches(user: UserRecord, query: string): boolean {
  const q = query.toLowerCase();
  const email = user.email?.toLowerCase();
  // A hidden email still finds its owner, but only when given in full.
  return (
    user.displayName.toLowerCase().includes(q) ||
    (email !== undefined && (user.emailVisible ? email.includes(q) : email === q))
  );
}

export function userRoutes(state: SiteState): Route[] {
  const { catalog, ctx } = state;
  const allUsers = (url: URL): Response => {
    const page = paging(url, 50, 1000);
    if ('error' in page) return badRequest(page.error);
    return json(200, catalog.users.slice(page.startAt, page.startAt + page.maxResults).map((u) => userBean(ctx, u)));
  };
  return [
    {
      method: 'GET', path: '/rest/api/3/myself', operationId: 'getCurrentUser',
      handle: ({ actor }) => {
        const user = catalog.user(actor);
        return user ? json(200, userBean(ctx, user)) : jiraError(401, ['You are not authenticated.']);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/user/search', operationId: 'findUsers',
      handle: ({ url }) => {
        const page = paging(url, 50, 1000);
        if ('error' in page) return badRequest(page.error);
        const query = url.searchParams.get('query');
        const accountId = url.searchParams.get('accountId');
        if (!query && !accountId) return badRequest("One of 'query' or 'accountId' query parameters must be provided.");
        const found = catalog.users.filter(
          (u) => (!query || matches(u, query)) && (!accountId || u.accountId === accountId),
        );
        return json(200, found.slice(page.startAt, page.startAt + page.maxResults).map((u) => userBean(ctx, u)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/user/assignable/search', operationId: 'findAssignableUsers',
      handle: ({ url }) => {
        const page = paging(url, 50, 1000);
        if ('error' in page) return badRequest(page.error);
        const projectRef = url.searchParams.get('project');
        const issueRef = url.searchParams.get('issueKey') ?? url.searchParams.get('issueId');
        if (!projectRef && !issueRef) return badRequest("One of 'project', 'issueKey' or 'issueId' must be provided.");
        if (projectRef && !catalog.project(projectRef)) return notFound(`No project could be found with key '${projectRef}'.`);
        if (issueRef && !state.stores.issues.find(issueRef)) {
          return notFound('Issue does not exist or you do not have permission to see it.');
        }
        const query = url.searchParams.get('query');
        const accountId = url.searchParams.get('accountId');
        // Every active person holds Assignable User here; apps are nobody to assign work to.
        const found = catalog.users.filter(
          (u) =>
            u.active && u.accountType === 'atlassian' &&
            (!query || matches(u, query)) && (!accountId || u.accountId === accountId),
        );
        return json(200, found.slice(page.startAt, page.startAt + page.maxResults).map((u) => userBean(ctx, u)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/users/search', operationId: 'getAllUsers',
      handle: ({ url }) => allUsers(url),
    },
    {
      method: 'GET', path: '/rest/api/3/users', operationId: 'getAllUsersDefault',
      handle: ({ url }) => allUsers(url),
    },
    {
      method: 'GET', path: '/rest/api/3/user/bulk', operationId: 'bulkGetUsers',
      handle: ({ url }) => {
        const page = paging(url, 10, 200);
        if ('error' in page) return badRequest(page.error);
        const ids = listParam(url, 'accountId');
        if (ids.length === 0) return badRequest("The 'accountId' query parameter is required.");
        const users = ids.flatMap((id) => {
          const user = catalog.user(id);
          return user ? [userBean(ctx, user)] : [];
        });
        return json(200, pageBean(url, users, page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/user', operationId: 'getUser',
      handle: ({ url }) => {
        const accountId = url.searchParams.get('accountId');
        if (!accountId) return badRequest("The 'accountId' query parameter is required.");
        const user = catalog.user(accountId);
        return user
          ? json(200, userBean(ctx, user))
          : notFound(`Specified user does not exist or you do not have required permissions`);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/mypermissions', operationId: 'getMyPermissions',
      handle: (call) => {
        const { url } = call;
        const keys = listParam(url, 'permissions');
        if (keys.length === 0) return badRequest("The 'permissions' query parameter is required.");
        const unknown = keys.filter((k) => !PERMISSIONS.some((p) => p.key === k));
        if (unknown.length > 0) return jiraError(400, [`Permission keys ${unknown.join(', ')} are not valid.`]);
        let project: ProjectRecord | null = null;
        const projectRef = url.searchParams.get('projectKey') ?? url.searchParams.get('projectId');
        const issueRef = url.searchParams.get('issueKey') ?? url.searchParams.get('issueId');
        if (projectRef) {
          project = catalog.project(projectRef) ?? null;
          if (!project) return jiraError(404, [`No project could be found with key '${projectRef}'.`]);
        } else if (issueRef) {
          const issue = state.stores.issues.find(issueRef);
          if (!issue) return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
          project = catalog.projectWithId(issue.projectId);
        }
        const permissions = Object.fromEntries(
          keys.map((key) => {
            const def = PERMISSIONS.find((p) => p.key === key) as PermissionDef;
            return [key, { ...def, havePermission: havePermission(state, call, def, project) }];
          }),
        );
        return json(200, { permissions });
      },
    },
  ];
}
