// Issue links, link types and remote issue links.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import { isAdfDoc } from '../model/adf';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import type { RemoteLinkRow } from '../store/links';
import { api } from '../views/context';
import { addComment } from '../write/comments';
import { linkIssues, unlinkIssues } from '../write/links';

const IssueRefSchema = z.object({ id: z.string().optional(), key: z.string().optional() }).loose();

const LinkRequestSchema = z.object({
  type: z.object({ id: z.string().optional(), name: z.string().optional() }).loose(),
  inwardIssue: IssueRefSchema,
  outwardIssue: IssueRefSchema,
  comment: z.object({ body: z.unknown() }).loose().optional(),
});

const RemoteLinkRequestSchema = z
  .object({
    globalId: z.string().optional(),
    application: z.record(z.string(), z.unknown()).optional(),
    relationship: z.string().optional(),
    object: z.record(z.string(), z.unknown()),
  })
  .loose();

export function linkRoutes(state: SiteState): Route[] {
  const { stores, view, catalog, ctx } = state;
  const findIssue = (ref: string | undefined): IssueRow | undefined => (ref ? stores.issues.find(ref) : undefined);
  const numeric = (ref: string | undefined): number | undefined => (ref && /^\d+$/.test(ref) ? Number(ref) : undefined);

  const remoteLinkJson = (row: RemoteLinkRow): Record<string, unknown> => ({
    id: row.id,
    self: api(ctx, `/issue/${row.issueId}/remotelink/${row.id}`),
    ...(row.globalId !== null ? { globalId: row.globalId } : {}),
    application: row.body.application ?? {},
    ...(row.body.relationship !== undefined ? { relationship: row.body.relationship } : {}),
    object: row.body.object,
  });
  const remoteLinkErrors = (body: z.infer<typeof RemoteLinkRequestSchema>): Response | undefined => {
    const errors: Record<string, string> = {};
    if (typeof body.object.url !== 'string' || body.object.url.length === 0) errors.url = 'A valid URL is required.';
    if (typeof body.object.title !== 'string' || body.object.title.length === 0) errors.title = 'A title is required.';
    return Object.keys(errors).length > 0 ? fieldErrors(errors) : undefined;
  };
  const remoteBody = (body: z.infer<typeof RemoteLinkRequestSchema>): RemoteLinkRow['body'] => ({
    object: body.object,
    ...(body.application !== undefined ? { application: body.application } : {}),
    ...(body.relationship !== undefined ? { relationship: body.relationship } : {}),
  });
  const findRemote = (issue: IssueRow, ref: string | undefined): RemoteLinkRow | undefined => {
    const id = numeric(ref);
    const row = id === undefined ? undefined : stores.remoteLinks.get(id);
    return row && row.issueId === issue.id ? row : undefined;
  };
  const noRemote = (ref: string | undefined): Response => notFound(`No remote link with id '${ref}' was found.`);

  return [
    {
      method: 'POST', path: '/rest/api/3/issueLink', operationId: 'linkIssues',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, LinkRequestSchema);
        if (!body.ok) return body.response;
        const { type: typeRef, inwardIssue, outwardIssue, comment } = body.value;
        const type = catalog.linkTypes.find((l) => (typeRef.id !== undefined ? l.id === typeRef.id : l.name === typeRef.name));
        if (!type) return notFound(`No issue link type with name '${typeRef.name ?? typeRef.id ?? ''}' found.`);
        const source = findIssue(inwardIssue.id ?? inwardIssue.key);
        const destination = findIssue(outwardIssue.id ?? outwardIssue.key);
        if (!source || !destination) return issueNotFound();
        if (source.id === destination.id) return badRequest('You cannot link an issue to itself.');
        if (comment !== undefined && !isAdfDoc(comment.body)) {
          return fieldErrors({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
        }
        linkIssues(state, type, source, destination, actor);
        // The contract says the comment goes on the "from (outward)" issue.
        if (comment !== undefined && isAdfDoc(comment.body)) addComment(state, destination, { body: comment.body }, actor);
        return new Response(null, { status: 201 });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issueLink/:linkId', operationId: 'getIssueLink',
      handle: ({ params }) => {
        const id = numeric(params.linkId);
        const link = id === undefined ? undefined : stores.links.get(id);
        const body = link && view.issueLink(link);
        return body ? json(200, body) : notFound(`No issue link with id '${params.linkId}' exists.`);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issueLink/:linkId', operationId: 'deleteIssueLink',
      handle: ({ params, actor }) => {
        const id = numeric(params.linkId);
        const link = id === undefined ? undefined : stores.links.get(id);
        if (!link) return notFound(`No issue link with id '${params.linkId}' exists.`);
        unlinkIssues(state, link, actor);
        return noContent();
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/remotelink', operationId: 'getRemoteIssueLinks',
      handle: ({ params, url }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const globalId = url.searchParams.get('globalId');
        if (globalId !== null) {
          const row = stores.remoteLinks.byGlobalId(issue.id, globalId);
          return row ? json(200, remoteLinkJson(row)) : notFound(`No remote link with global id '${globalId}' was found.`);
        }
        return json(200, stores.remoteLinks.list(issue.id).map(remoteLinkJson));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/remotelink', operationId: 'createOrUpdateRemoteIssueLink',
      handle: async ({ params, request }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const body = await readJson(request, RemoteLinkRequestSchema);
        if (!body.ok) return body.response;
        const invalid = remoteLinkErrors(body.value);
        if (invalid) return invalid;
        const globalId = body.value.globalId ?? null;
        const existing = globalId === null ? undefined : stores.remoteLinks.byGlobalId(issue.id, globalId);
        const row: RemoteLinkRow = state.write(() => {
          if (existing) {
            const updated = { ...existing, body: remoteBody(body.value) };
            stores.remoteLinks.update(updated);
            return updated;
          }
          const created = { id: stores.sequences.take('remoteLink'), issueId: issue.id, globalId, body: remoteBody(body.value) };
          stores.remoteLinks.insert(created);
          return created;
        });
        return json(existing ? 200 : 201, { id: row.id, self: api(ctx, `/issue/${issue.id}/remotelink/${row.id}`) });
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/remotelink', operationId: 'deleteRemoteIssueLinkByGlobalId',
      handle: ({ params, url }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const globalId = url.searchParams.get('globalId');
        if (globalId === null) return badRequest("The 'globalId' query parameter is required.");
        const row = stores.remoteLinks.byGlobalId(issue.id, globalId);
        if (!row) return notFound(`No remote link with global id '${globalId}' was found.`);
        state.write(() => stores.remoteLinks.delete(row.id));
        return noContent();
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/remotelink/:linkId', operationId: 'getRemoteIssueLinkById',
      handle: ({ params }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const row = findRemote(issue, params.linkId);
        return row ? json(200, remoteLinkJson(row)) : noRemote(params.linkId);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/remotelink/:linkId', operationId: 'updateRemoteIssueLink',
      handle: async ({ params, request }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const row = findRemote(issue, params.linkId);
        if (!row) return noRemote(params.linkId);
        const body = await readJson(request, RemoteLinkRequestSchema);
        if (!body.ok) return body.response;
        const invalid = remoteLinkErrors(body.value);
        if (invalid) return invalid;
        state.write(() => stores.remoteLinks.update({ ...row, globalId: body.value.globalId ?? null, body: remoteBody(body.value) }));
        return noContent();
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/remotelink/:linkId', operationId: 'deleteRemoteIssueLinkById',
      handle: ({ params }) => {
        const issue = findIssue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const row = findRemote(issue, params.linkId);
        if (!row) return noRemote(params.linkId);
        state.write(() => stores.remoteLinks.delete(row.id));
        return noContent();
      },
    },
  ];
}
