// Issue search: `/search/jql` (GET and POST, paged by nextPageToken, ids only
// unless fields are asked for) and `/search/approximate-count`.
import { z } from 'zod';
import type { Caller } from '../../contracts';
import { readJson } from '../http/body';
import { badRequest, jiraError, json } from '../http/respond';
import { intParam, listParam } from '../http/params';
import type { Route } from '../http/route';
import { selectFields } from '../model/field-selection';
import { pageToken, readPageToken, search } from '../search/run';
import type { SiteState } from '../state';

const SearchRequestSchema = z
  .object({
    jql: z.string().optional(),
    nextPageToken: z.string().nullable().optional(),
    maxResults: z.number().int().optional(),
    fields: z.array(z.string()).optional(),
    expand: z.string().optional(),
    properties: z.array(z.string()).max(5).optional(),
    fieldsByKeys: z.boolean().optional(),
    failFast: z.boolean().optional(),
    reconcileIssues: z.array(z.number().int()).max(50).optional(),
  })
  .strict();

const CountRequestSchema = z.object({ jql: z.string().optional() }).strict();

interface SearchRequest {
  jql: string;
  nextPageToken: string | null;
  maxResults: number | undefined;
  fields: string[];
  expand: string[];
  properties: string[];
}

// With fields, Jira pages at most 100 issues; ids alone come 5,000 at a time.
const MAX_WITH_FIELDS = 100;
const MAX_IDS_ONLY = 5000;
const MAX_RESULTS_RANGE = 'The max results parameter has to be between 1 and 5,000.';

function runSearch(state: SiteState, request: SearchRequest, actor: string, caller: Caller): Response {
  const access = state.access(actor);
  const selection = selectFields(request.fields, 'none');
  const cap = selection.empty ? MAX_IDS_ONLY : MAX_WITH_FIELDS;
  const requested = request.maxResults ?? 50;
  // Jira refuses a page size outside 1..5,000 (a huge number included) and
  // then silently caps it to what the answer can carry.
  if (Number.isNaN(requested) || requested < 1 || requested > MAX_IDS_ONLY) return badRequest(MAX_RESULTS_RANGE);
  const maxResults = Math.min(requested, cap);
  let offset = 0;
  if (request.nextPageToken) {
    const read = readPageToken(request.jql, request.nextPageToken);
    if (read === undefined) return badRequest('The provided next page token is invalid or does not belong to this query.');
    offset = read;
  }
  const outcome = search(state, request.jql, access, caller);
  if (!outcome.ok) return jiraError(400, outcome.errorMessages);
  const page = outcome.matches.slice(offset, offset + maxResults);
  const isLast = offset + page.length >= outcome.matches.length;
  const options = {
    fields: selection,
    expand: new Set(request.expand),
    properties: request.properties,
    canSee: (issue: { projectId: string }) => access.canSee(issue),
    viewer: access.accountId,
  };
  const issues = page.map((record) => {
    if (selection.empty && request.properties.length === 0 && request.expand.length === 0) return { id: record.id };
    const issue = state.stores.issues.byId(Number(record.id));
    return issue ? state.view.bean(issue, options) : { id: record.id };
  });
  return json(200, {
    issues,
    isLast,
    ...(isLast ? {} : { nextPageToken: pageToken(request.jql, offset + page.length) }),
  });
}

export function searchRoutes(state: SiteState): Route[] {
  return [
    {
      method: 'GET', path: '/rest/api/3/search/jql', operationId: 'searchAndReconsileIssuesUsingJql',
      handle: ({ url, actor, caller }) =>
        runSearch(state, {
          jql: url.searchParams.get('jql') ?? '',
          nextPageToken: url.searchParams.get('nextPageToken'),
          maxResults: intParam(url, 'maxResults'),
          fields: listParam(url, 'fields'),
          expand: listParam(url, 'expand'),
          properties: listParam(url, 'properties'),
        }, actor, caller),
    },
    {
      method: 'POST', path: '/rest/api/3/search/jql', operationId: 'searchAndReconsileIssuesUsingJqlPost',
      handle: async ({ request, actor, caller }) => {
        const body = await readJson(request, SearchRequestSchema);
        if (!body.ok) return body.response;
        const b = body.value;
        return runSearch(state, {
          jql: b.jql ?? '',
          nextPageToken: b.nextPageToken ?? null,
          maxResults: b.maxResults,
          fields: b.fields ?? [],
          expand: (b.expand ?? '').split(',').map((e) => e.trim()).filter((e) => e.length > 0),
          properties: b.properties ?? [],
        }, actor, caller);
      },
    },
    {
      method: 'POST', path: '/rest/api/3/search/approximate-count', operationId: 'countIssues',
      handle: async ({ request, actor, caller }) => {
        const body = await readJson(request, CountRequestSchema);
        if (!body.ok) return body.response;
        const outcome = search(state, body.value.jql ?? '', state.access(actor), caller);
        return outcome.ok ? json(200, { count: outcome.matches.length }) : jiraError(400, outcome.errorMessages);
      },
    },
  ];
}
