// Comments on an issue: list, add, read, edit, delete.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, json, noContent, notFound } from '../http/respond';
import { listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import type { ProjectRecord } from '../catalog';
import { isAdfDoc } from '../model/adf';
import type { SiteState } from '../state';
import type { CommentRow } from '../store/comments';
import type { IssueRow } from '../store/issues';
import type { Access } from '../permissions/access';
import { refusals } from '../permissions/refusals';
import { addComment, deleteComment, updateComment, type CommentInput } from '../write/comments';
import { withRenderedBody } from '../views/rendered';
import { failure } from './issues';

const CommentBodySchema = z
  .object({
    body: z.unknown().optional(),
    visibility: z
      .object({ type: z.enum(['group', 'role']), value: z.string().optional(), identifier: z.string().optional() })
      .nullable()
      .optional(),
    properties: z.array(z.object({ key: z.string().min(1).max(255), value: z.unknown() })).optional(),
  })
  .loose();

type CommentBody = z.infer<typeof CommentBodySchema>;

/** Jira v3 takes comment bodies as ADF only. */
function commentInput(body: CommentBody): CommentInput | Response {
  if (body.body === undefined || body.body === null) return fieldErrors({ comment: 'Comment body can not be empty!' });
  if (!isAdfDoc(body.body)) {
    return fieldErrors({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
  }
  return {
    body: body.body,
    ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
    ...(body.properties !== undefined ? { properties: body.properties } : {}),
  };
}

/** Edit Own / Edit All Comments, as Jira's comment service decides. */
function mayEdit(access: Access, project: ProjectRecord, comment: CommentRow): boolean {
  return access.has('EDIT_ALL_COMMENTS', project) || (access.has('EDIT_OWN_COMMENTS', project) && comment.author === access.accountId);
}

/** Delete Own / Delete All Comments. */
function mayDelete(access: Access, project: ProjectRecord, comment: CommentRow): boolean {
  return access.has('DELETE_ALL_COMMENTS', project) || (access.has('DELETE_OWN_COMMENTS', project) && comment.author === access.accountId);
}

export function commentRoutes(state: SiteState): Route[] {
  const { stores, view } = state;
  const findComment = (issue: IssueRow, ref: string | undefined): CommentRow | undefined => {
    if (!ref || !/^\d+$/.test(ref)) return undefined;
    const comment = stores.comments.get(Number(ref));
    return comment && comment.issueId === issue.id ? comment : undefined;
  };
  const noComment = (ref: string | undefined): Response => notFound(`Can not find a comment for the id: ${ref}.`);
  /** A comment as the request's `expand` asks for it: with its properties, with its body rendered as HTML. */
  const shown = (url: URL) => {
    const expand = listParam(url, 'expand');
    return (c: CommentRow): Record<string, unknown> => {
      const json = view.comment(c, expand.includes('properties'));
      return expand.includes('renderedBody') ? withRenderedBody(json) : json;
    };
  };

  return [
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/comment', operationId: 'getComments',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const page = paging(url, 100, 5000);
        if ('error' in page) return badRequest(page.error);
        const comments = stores.comments.list(issue.id);
        if (url.searchParams.get('orderBy') === '-created') comments.reverse();
        const show = shown(url);
        return json(200, {
          startAt: page.startAt,
          maxResults: page.maxResults,
          total: comments.length,
          comments: comments
            .slice(page.startAt, page.startAt + page.maxResults)
            .map(show),
        });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/comment', operationId: 'addComment',
      handle: async ({ params, request, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, CommentBodySchema);
        if (!body.ok) return body.response;
        if (!access.has('ADD_COMMENTS', access.projectOf(issue))) return refusals.addComment(access.displayName());
        const input = commentInput(body.value);
        if (input instanceof Response) return input;
        const result = addComment(state, issue, input, actor);
        return result.ok ? json(201, shown(url)(result.value)) : failure(result.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/comment/:id', operationId: 'getComment',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const comment = findComment(issue, params.id);
        return comment ? json(200, shown(url)(comment)) : noComment(params.id);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/comment/:id', operationId: 'updateComment',
      handle: async ({ params, request, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const comment = findComment(issue, params.id);
        if (!comment) return noComment(params.id);
        const body = await readJson(request, CommentBodySchema);
        if (!body.ok) return body.response;
        if (!mayEdit(access, access.projectOf(issue), comment)) return refusals.editComment(access.displayName());
        const input = commentInput(body.value);
        if (input instanceof Response) return input;
        const result = updateComment(state, issue, comment, input, actor);
        return result.ok ? json(200, shown(url)(result.value)) : failure(result.failure);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/comment/:id', operationId: 'deleteComment',
      handle: ({ params, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const comment = findComment(issue, params.id);
        if (!comment) return noComment(params.id);
        if (!mayDelete(access, access.projectOf(issue), comment)) return refusals.deleteComment(String(comment.id));
        const result = deleteComment(state, issue, comment, actor);
        return result.ok ? noContent() : failure(result.failure);
      },
    },
  ];
}
