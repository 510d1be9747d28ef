// Issues: create, read (one and in bulk), edit, delete, transitions and history.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, jiraError, json, noContent } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import { selectFields } from '../model/field-selection';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import type { IssueReadOptions } from '../views/issue';
import { createIssue, deleteIssue, editIssue, transitionIssue } from '../write/issues';
import type { WriteFailure } from '../write/result';
import { pageBean } from './metadata';

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

export function readOptions(url: URL, defaultFields: '*all' | '*navigable'): IssueReadOptions {
  return {
    fields: selectFields(listParam(url, 'fields'), defaultFields),
    expand: new Set(listParam(url, 'expand')),
    properties: listParam(url, 'properties'),
  };
}

export function issueRoutes(state: SiteState): Route[] {
  const { stores, view } = state;
  const findIssue = (ref: string | undefined): IssueRow | undefined => (ref ? stores.issues.find(ref) : undefined);

  return [
    {
      method: 'POST', path: '/rest/api/3/issue', operationId: 'createIssue',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const result = createIssue(state, body.value, actor);
        if (!result.ok) return failure(result.failure);
        return json(201, { id: String(result.value.id), key: result.value.key, self: view.self(result.value) });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/bulkfetch', operationId: 'bulkFetchIssues',
      handle: async ({ request }) => {
        const body = await readJson(request, BulkFetchSchema);
        if (!body.ok) return body.response;
        const { issueIdsOrKeys, fields, expand, properties } = body.value;
        if (issueIdsOrKeys.length > 100) return badRequest('The number of issue ids or keys must not exceed 100.');
        const options: IssueReadOptions = {
          fields: selectFields(fields ?? [], '*navigable'),
          expand: new Set(expand ?? []),
          properties: properties ?? [],
        };
        const seen = new Set<number>();
        const issues: Record<string, unknown>[] = [];
        for (const ref of issueIdsOrKeys) {
          const issue = findIssue(ref);
          if (!issue || seen.has(issue.id)) continue;
          seen.add(issue.id);
          issues.push(view.bean(issue, options));
        }
        return json(200, { issues, issueErrors: [] });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'getIssue',
      handle: ({ params, url }) => {
        const issue = findIssue(params.issueIdOrKey);
        return issue ? json(200, view.bean(issue, readOptions(url, '*all'))) : issueNotFound();
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'editIssue',
      handle: async ({ params, request, url, actor }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const result = editIssue(state, issue, body.value, actor);
        if (!result.ok) return failure(result.failure);
        if (url.searchParams.get('returnIssue') === 'true') {
          return json(200, view.bean(stores.issues.byId(issue.id) ?? result.value, readOptions(url, '*all')));
        }
        return noContent();
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey', operationId: 'deleteIssue',
      handle: ({ params, url, actor }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const result = deleteIssue(state, issue, url.searchParams.get('deleteSubtasks') === 'true', actor);
        return result.ok ? noContent() : failure(result.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/transitions', operationId: 'getTransitions',
      handle: ({ params, url }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const only = url.searchParams.get('transitionId');
        const transitions = view.transitions(issue).filter((t) => only === null || t.id === only);
        return json(200, { expand: 'transitions', transitions });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/transitions', operationId: 'doTransition',
      handle: async ({ params, request, actor }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, IssueBodySchema);
        if (!body.ok) return body.response;
        const result = transitionIssue(state, issue, body.value, actor);
        return result.ok ? noContent() : failure(result.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/changelog', operationId: 'getChangeLogs',
      handle: ({ params, url }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const page = paging(url, 100, 100);
        if ('error' in page) return badRequest(page.error);
        const histories = stores.changelogs.list(issue.id).map((h) => view.changelog(h));
        return json(200, pageBean(url, histories, page.startAt, page.maxResults));
      },
    },
  ];
}
