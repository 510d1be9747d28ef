// `PUT /issue/{key}/assignee`: assign to a person, to nobody (null), or
// automatically ("-1"). Needs Assign Issues (not Edit Issues), and the
// assignee must hold Assignable User in the issue's project.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, jiraError, noContent } from '../http/respond';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import { assignIssue } from '../write/assignee';
import { defaultAssignee } from '../write/default-assignee';

const AssigneeBodySchema = z
  .object({ accountId: z.string().max(128).nullable().optional() })
  .loose();

export function assigneeRoutes(state: SiteState): Route[] {
  return [
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/assignee', operationId: 'assignIssue',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, AssigneeBodySchema);
        if (!body.ok) return body.response;
        if (body.value.accountId === undefined) return badRequest("The 'accountId' of the assignee must be given (null to unassign).");
        const project = access.projectOf(issue);
        if (!access.has('ASSIGN_ISSUES', project)) return jiraError(403, ['You do not have permission to assign issues.']);
        const requested = body.value.accountId;
        let assignee: string | null = null;
        if (requested === '-1') {
          assignee = defaultAssignee(state, project.id, issue.componentIds);
        } else if (requested !== null) {
          const user = state.catalog.user(requested);
          if (!user?.active) return fieldErrors({ assignee: `User '${requested}' does not exist.` });
          if (!state.permissions.holds(user.accountId, 'ASSIGNABLE_USER', project)) {
            return fieldErrors({ assignee: `User '${user.displayName}' cannot be assigned issues.` });
          }
          assignee = user.accountId;
        }
        assignIssue(state, issue, assignee, actor);
        return noContent();
      },
    },
  ];
}
