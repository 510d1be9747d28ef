// People: who is calling, look-ups and searches.
import type { ProjectRecord, UserRecord } from '../catalog';
import { badRequest, jiraError, json, notFound } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import { userBean } from '../views/users';
import { pageBean } from '../views/page';

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
      handle: ({ url, actor }) => {
        const page = paging(url, 50, 1000);
        if ('error' in page) return badRequest(page.error);
        const projectRef = url.searchParams.get('project');
        const issueRef = url.searchParams.get('issueKey') ?? url.searchParams.get('issueId');
        if (!projectRef && !issueRef) return badRequest("One of 'project', 'issueKey' or 'issueId' must be provided.");
        // Projects and issues the caller cannot see answer as missing ones do.
        const access = state.access(actor);
        let project: ProjectRecord | undefined;
        if (issueRef) {
          const issue = access.issue(issueRef);
          if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
          project = access.projectOf(issue);
        } else if (projectRef) {
          project = access.project(projectRef);
          if (!project) return notFound(`No project could be found with key '${projectRef}'.`);
        }
        if (!project) return badRequest("One of 'project', 'issueKey' or 'issueId' must be provided.");
        const query = url.searchParams.get('query');
        const accountId = url.searchParams.get('accountId');
        // Those who hold Assignable User in the project; apps are nobody to assign work to.
        const found = state.permissions.holders('ASSIGNABLE_USER', project).filter(
          (u) => u.accountType === 'atlassian' && (!query || matches(u, query)) && (!accountId || u.accountId === accountId),
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
        return json(200, pageBean(ctx, url, users, page.startAt, page.maxResults));
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
  ];
}
