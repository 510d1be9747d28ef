// Watchers of an issue. Anyone who may see the issue watches or stops
// watching it themselves; changing who else watches needs Manage Watchers,
// and seeing who watches needs View Voters and Watchers (the count is shown
// to everyone). The body of an add is a JSON string: the account id.
import { badRequest, issueNotFound, jiraError, json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import { api } from '../views/context';
import { userDetails } from '../views/users';
import { addWatcher, removeWatcher } from '../write/watchers';

export function watcherRoutes(state: SiteState): Route[] {
  const { catalog, stores, ctx } = state;
  const noUser = (accountId: string): Response => notFound(`The user with account ID '${accountId}' does not exist.`);
  const mayManage = (): Response => jiraError(403, ['You do not have the permission to manage the watcher list.']);

  return [
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/watchers', operationId: 'getIssueWatchers',
      handle: ({ params, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const watchers = stores.watchers.list(issue.id);
        const mayView = access.has('VIEW_VOTERS_AND_WATCHERS', access.projectOf(issue));
        return json(200, {
          self: api(ctx, `/issue/${issue.key}/watchers`),
          isWatching: watchers.includes(actor),
          watchCount: watchers.length,
          watchers: mayView ? watchers.map((id) => userDetails(ctx, id)) : [],
        });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/watchers', operationId: 'addWatcher',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const text = (await request.text()).trim();
        let accountId = actor;
        if (text !== '') {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return badRequest('The request body must be a JSON string: the account ID of the user to add.');
          }
          if (typeof parsed !== 'string') return badRequest('The request body must be a JSON string: the account ID of the user to add.');
          accountId = parsed;
        }
        const user = catalog.user(accountId);
        if (!user?.active) return noUser(accountId);
        const project = access.projectOf(issue);
        if (accountId !== actor && !access.has('MANAGE_WATCHERS', project)) return mayManage();
        if (!state.access(accountId).canSee(issue)) {
          return badRequest(`The user "${user.displayName}" does not have permission to view this issue. This user will not be added to the watch list.`);
        }
        addWatcher(state, issue, accountId);
        return noContent();
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/watchers', operationId: 'removeWatcher',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const accountId = url.searchParams.get('accountId');
        if (!accountId) return badRequest("The 'accountId' query parameter is required.");
        if (!catalog.user(accountId)) return noUser(accountId);
        if (accountId !== actor && !access.has('MANAGE_WATCHERS', access.projectOf(issue))) return mayManage();
        removeWatcher(state, issue, accountId);
        return noContent();
      },
    },
  ];
}
