// Worklogs: list, add, read, edit and delete on an issue, and the bulk read
// by ids. Logging work needs Work On Issues; editing and deleting need Edit
// or Delete Own (or All) Worklogs, refused with 400 as the contract describes.
import { z } from 'zod';
import type { ProjectRecord } from '../catalog';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, jiraError, json, noContent, notFound } from '../http/respond';
import { intParam, listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import { parseDuration } from '../model/duration';
import type { Access } from '../permissions/access';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import type { WorklogRow } from '../store/worklogs';
import { worklogJson } from '../views/worklogs';
import { parseWorklog } from '../write/worklog-input';
import { addWorklog, deleteWorklog, updateWorklog, type EstimateAdjustment } from '../write/worklogs';

const WorklogBodySchema = z.record(z.string(), z.unknown());
const IdsSchema = z.object({ ids: z.array(z.number().int()) }).strict();

/** Jira reads at most 1,000 worklogs by id at once. */
const MAX_IDS = 1000;

/**
 * `adjustEstimate` with the amount it needs (`newEstimate`, `reduceBy` or
 * `increaseBy`), or the field error Jira answers when the amount is missing.
 */
function adjustment(url: URL, manualParam: 'reduceBy' | 'increaseBy'): EstimateAdjustment | Response {
  const mode = url.searchParams.get('adjustEstimate') ?? 'auto';
  const amount = (name: string) => {
    const raw = url.searchParams.get(name);
    return raw === null ? undefined : parseDuration(raw);
  };
  switch (mode) {
    case 'auto':
    case 'leave':
      return { mode };
    case 'new': {
      const seconds = amount('newEstimate');
      return seconds === undefined ? fieldErrors({ newEstimate: 'You must supply a valid new estimate.' }) : { mode, seconds };
    }
    case 'manual': {
      const seconds = amount(manualParam);
      const message = manualParam === 'reduceBy'
        ? 'You must supply a valid amount of time to reduce the estimate by.'
        : 'You must supply a valid amount of time to increase the estimate by.';
      return seconds === undefined ? fieldErrors({ [manualParam]: message }) : { mode, seconds };
    }
    default:
      return badRequest(`Invalid value for 'adjustEstimate': ${mode}. Valid values are new, leave, manual and auto.`);
  }
}

const withProperties = (url: URL): boolean => listParam(url, 'expand').includes('properties');

function mayEdit(access: Access, project: ProjectRecord, w: WorklogRow): boolean {
  return access.has('EDIT_ALL_WORKLOGS', project) || (access.has('EDIT_OWN_WORKLOGS', project) && w.author === access.accountId);
}

function mayDelete(access: Access, project: ProjectRecord, w: WorklogRow): boolean {
  return access.has('DELETE_ALL_WORKLOGS', project) || (access.has('DELETE_OWN_WORKLOGS', project) && w.author === access.accountId);
}

export function worklogRoutes(state: SiteState): Route[] {
  const { stores, ctx } = state;
  const findWorklog = (issue: IssueRow, ref: string | undefined): WorklogRow | undefined => {
    const worklog = ref && /^\d+$/.test(ref) ? stores.worklogs.get(Number(ref)) : undefined;
    return worklog && worklog.issueId === issue.id ? worklog : undefined;
  };
  const noWorklog = (ref: string | undefined): Response => notFound(`Cannot find worklog with id: '${ref}'.`);

  return [
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/worklog', operationId: 'getIssueWorklog',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const page = paging(url, 5000, 5000);
        if ('error' in page) return notFound(page.error);
        const after = intParam(url, 'startedAfter');
        const before = intParam(url, 'startedBefore');
        if (Number.isNaN(after) || Number.isNaN(before)) return badRequest("'startedAfter' and 'startedBefore' must be epoch milliseconds.");
        const worklogs = stores.worklogs.list(issue.id).filter((w) =>
          (after === undefined || w.started >= after) && (before === undefined || w.started <= before));
        const expand = withProperties(url);
        return json(200, {
          startAt: page.startAt,
          maxResults: page.maxResults,
          total: worklogs.length,
          worklogs: worklogs.slice(page.startAt, page.startAt + page.maxResults).map((w) => worklogJson(ctx, w, expand)),
        });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/worklog', operationId: 'addWorklog',
      handle: async ({ params, request, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, WorklogBodySchema);
        if (!body.ok) return body.response;
        if (!access.has('WORK_ON_ISSUES', access.projectOf(issue))) {
          return jiraError(400, ['You do not have the permission to associate a worklog to this issue.']);
        }
        const adjust = adjustment(url, 'reduceBy');
        if (adjust instanceof Response) return adjust;
        const parsed = parseWorklog(body.value, true);
        if (!parsed.ok) return fieldErrors(parsed.errors);
        const row = addWorklog(state, issue, parsed.value, actor, adjust);
        return json(201, worklogJson(ctx, row, withProperties(url)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/worklog/:id', operationId: 'getWorklog',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const worklog = findWorklog(issue, params.id);
        return worklog ? json(200, worklogJson(ctx, worklog, withProperties(url))) : noWorklog(params.id);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/worklog/:id', operationId: 'updateWorklog',
      handle: async ({ params, request, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const worklog = findWorklog(issue, params.id);
        if (!worklog) return noWorklog(params.id);
        const body = await readJson(request, WorklogBodySchema);
        if (!body.ok) return body.response;
        if (!mayEdit(access, access.projectOf(issue), worklog)) return jiraError(400, ['You do not have the permission to update this worklog.']);
        const adjust = adjustment(url, 'reduceBy');
        if (adjust instanceof Response) return adjust;
        const parsed = parseWorklog(body.value, false);
        if (!parsed.ok) return fieldErrors(parsed.errors);
        const row = updateWorklog(state, issue, worklog, parsed.value, actor, adjust);
        return json(200, worklogJson(ctx, row, withProperties(url)));
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/worklog/:id', operationId: 'deleteWorklog',
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const worklog = findWorklog(issue, params.id);
        if (!worklog) return noWorklog(params.id);
        if (!mayDelete(access, access.projectOf(issue), worklog)) return jiraError(400, ['You do not have the permission to delete this worklog.']);
        const adjust = adjustment(url, 'increaseBy');
        if (adjust instanceof Response) return adjust;
        deleteWorklog(state, issue, worklog, actor, adjust);
        return noContent();
      },
    },
    {
      method: 'POST', path: '/rest/api/3/worklog/list', operationId: 'getWorklogsForIds',
      handle: async ({ request, url, actor }) => {
        const body = await readJson(request, IdsSchema);
        if (!body.ok) return body.response;
        const { ids } = body.value;
        if (ids.length === 0 || ids.length > MAX_IDS) return badRequest(`Between 1 and ${MAX_IDS} worklog ids must be given.`);
        // Worklogs on issues the caller cannot see, and unknown ids, are left out.
        const access = state.access(actor);
        const expand = withProperties(url);
        const found = [...new Set(ids)].flatMap((id) => {
          const worklog = stores.worklogs.get(id);
          const issue = worklog && stores.issues.byId(worklog.issueId);
          return worklog && issue && access.canSee(issue) ? [worklogJson(ctx, worklog, expand)] : [];
        });
        return json(200, found);
      },
    },
  ];
}
