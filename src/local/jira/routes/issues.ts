// Issues: create, read (one and in bulk), edit, delete, transitions and history.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, jiraError, json, noContent } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import { selectFields } from '../model/field-selection';
import type { SiteState } from '../state';
import type { Access } from '../permissions/access';
import type { IssueReadOptions } from '../views/issue';
import { createRefusal, editRefusal, transitionRefusal } from '../permissions/issue-guards';
import { refusals } from '../permissions/refusals';
import { createIssue, deleteIssue, editIssue, findProject, transitionIssue } from '../write/issues';
import type { WriteFailure } from '../write/result';
import { pageBean } from '../views/page';

export const IssueBodySchema = z
  .object({
    fields: z.record(z.string(), z.unknown()).optional(),
    update: z.record(z.string(), z.unknown()).optional(),
    transition: z
      .object({ id: z.union([z.string(), z.number()]).transform(String).optional() })
      .loose()
      .optional(),
    properties: z.array(z.object({ key: z.string().min(1).max(255), value: z.unknown() })).optional(),
    historyMetadata: z.unknown().optional(),
  })
  .loose();

const BulkFetchSchema = z.object({
  issueIdsOrKeys: z.array(z.string()).min(1),
  fields: z.array(z.string()).optional(),
  expand: z.array(z.string()).optional(),
  properties: z.array(z.string()).max(5).optional(),
  fieldsByKeys: z.boolean().optional(),
});

export function failure(f: WriteFailure): Response {
  return Object.keys(f.errors).length > 0 && f.errorMessages.length === 0
    ? fieldErrors(f.errors)
    : jiraError(f.status, f.errorMessages, f.errors);
}

export function readOptions(url: URL, defaultFields: '*all' | '*navigable', access: Access): IssueReadOptions {
  return {
    fields: selectFields(listParam(url, 'fields'), defaultFields),
    expand: new Set(listParam(url, 'expand')),
    properties: listParam(url, 'properties'),
    canSee: (issue) => access.canSee(issue),
    viewer: access.accountId,
  };
}

export function issueRoutes(state: SiteState): Route[] {
  const { stores, view } = state;

  return [
    {
      method: 'POST', path: '/rest/api/3/issue', operationId: 'createIssue',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const access = state.access(actor);
        const project = findProject(state, body.value.fields?.project);
        // An unknown project is left to the writer, which names every problem of the body.
        const refused = project && createRefusal(access, project, body.value);
        if (refused) return refused;
        const result = createIssue(state, body.value, actor);
        if (!result.ok) return failure(result.failure);
        return json(201, { id: String(result.value.id), key: result.value.key, self: view.self(result.value) });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/bulkfetch', operationId: 'bulkFetchIssues',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, BulkFetchSchema);
        if (!body.ok) return body.response;
        const { issueIdsOrKeys, fields, expand, properties } = body.value;
        if (issueIdsOrKeys.length > 100) return badRequest('The number of issue ids or keys must not exceed 100.');
        const access = state.access(actor);
        const options: IssueReadOptions = {
          fields: selectFields(fields ?? [], '*navigable'),
          expand: new Set(expand ?? []),
          properties: properties ?? [],
          canSee: (other) => access.canSee(other),
          viewer: access.accountId,
        };
        const seen = new Set<number>();
        const issues: Record<string, unknown>[] = [];
        // Issues the caller cannot see are left out, as missing ones are.
        for (const ref of issueIdsOrKeys) {
          const issue = access.issue(ref);
          if (!issue || seen.has(issue.id)) continue;
          seen.add(issue.id);
          issues.push(view.bean(issue, options));
        }
        return json(200, { issues, issueErrors: [] });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'getIssue',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        return issue ? json(200, view.bean(issue, readOptions(url, '*all', access))) : issueNotFound();
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'editIssue',
      handle: async ({ params, request, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const refused = editRefusal(access, issue, body.value);
        if (refused) return refused;
        const result = editIssue(state, issue, body.value, actor);
        if (!result.ok) return failure(result.failure);
        if (url.searchParams.get('returnIssue') === 'true') {
          return json(200, view.bean(stores.issues.byId(issue.id) ?? result.value, readOptions(url, '*all', access)));
        }
        return noContent();
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'deleteIssue',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('DELETE_ISSUES', access.projectOf(issue))) return refusals.deleteIssues();
        const result = deleteIssue(state, issue, url.searchParams.get('deleteSubtasks') === 'true', actor);
        return result.ok ? noContent() : failure(result.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/transitions', operationId: 'getTransitions',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const only = url.searchParams.get('transitionId');
        // Without Transition Issues the list is empty, as the contract describes.
        const allowed = access.has('TRANSITION_ISSUES', access.projectOf(issue));
        const withFields = listParam(url, 'expand').includes('transitions.fields');
        const transitions = allowed ? view.transitions(issue, withFields).filter((t) => only === null || t.id === only) : [];
        return json(200, { expand: 'transitions', transitions });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/transitions', operationId: 'doTransition',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const refused = transitionRefusal(access, issue, body.value);
        if (refused) return refused;
        const result = transitionIssue(state, issue, body.value, actor);
        return result.ok ? noContent() : failure(result.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/changelog', operationId: 'getChangeLogs',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const page = paging(url, 100, 100);
        if ('error' in page) return badRequest(page.error);
        const histories = stores.changelogs.list(issue.id).map((h) => view.changelog(h));
        return json(200, pageBean(state.ctx, url, histories, page.startAt, page.maxResults));
      },
    },
  ];
}
