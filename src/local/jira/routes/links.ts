// Issue links, link types and remote issue links.
import { z } from 'zod';
import { readJson } from '../http/body';
import { badRequest, fieldErrors, issueNotFound, json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import { isAdfDoc } from '../model/adf';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import type { LinkRow, RemoteLinkRow } from '../store/links';
import type { Access } from '../permissions/access';
import { api } from '../views/context';
import { addComment } from '../write/comments';
import { linkIssues, unlinkIssues } from '../write/links';
import { refusals } from '../permissions/refusals';

const IssueRefSchema = z.object({ id: z.string().optional(), key: z.string().optional() }).loose();

const LinkRequestSchema = z.object({
  type: z.object({ id: z.string().optional(), name: z.string().optional() }).loose(),
  inwardIssue: IssueRefSchema,
  outwardIssue: IssueRefSchema,
  comment: z.object({ body: z.unknown() }).loose().optional(),
});

// Typed as the contract types `RemoteIssueLinkRequest`: every known property
// has its type, so a bad value is refused with 400 and never stored (to come
// back later as an answer that breaks the contract). Unknown properties are
// allowed, as the contract allows them. `url` and `title` are checked for
// presence by `remoteLinkErrors`, which answers with Jira's field messages.
const IconSchema = z
  .object({ url16x16: z.string().optional(), title: z.string().optional(), link: z.string().optional() })
  .loose();

const RemoteLinkRequestSchema = z
  .object({
    globalId: z.string().max(255).optional(),
    application: z.object({ type: z.string().optional(), name: z.string().optional() }).loose().optional(),
    relationship: z.string().optional(),
    object: z
      .object({
        url: z.string().optional(),
        title: z.string().optional(),
        summary: z.string().optional(),
        icon: IconSchema.optional(),
        status: z.object({ resolved: z.boolean().optional(), icon: IconSchema.optional() }).loose().optional(),
      })
      .loose(),
  })
  .loose();

function absoluteUrl(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

export function linkRoutes(state: SiteState): Route[] {
  const { stores, view, catalog, ctx } = state;
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
    if (typeof body.object.url !== 'string' || !absoluteUrl(body.object.url)) errors.url = 'A valid URL is required.';
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
  /** A link whose two issues the caller may both see; others do not exist for them. */
  const visibleLink = (access: Access, ref: string | undefined): LinkRow | undefined => {
    const id = numeric(ref);
    const link = id === undefined ? undefined : stores.links.get(id);
    const ends = link ? [link.sourceId, link.destinationId].map((issueId) => stores.issues.byId(issueId)) : [];
    return link && ends.every((issue) => issue !== undefined && access.canSee(issue)) ? link : undefined;
  };

  return [
    {
      method: 'POST', path: '/rest/api/3/issueLink', operationId: 'linkIssues',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, LinkRequestSchema);
        if (!body.ok) return body.response;
        const { type: typeRef, inwardIssue, outwardIssue, comment } = body.value;
        const type = catalog.linkTypes.find((l) => (typeRef.id !== undefined ? l.id === typeRef.id : l.name === typeRef.name));
        if (!type) return notFound(`No issue link type with name '${typeRef.name ?? typeRef.id ?? ''}' found.`);
        const access = state.access(actor);
        const source = access.issue(inwardIssue.id ?? inwardIssue.key);
        const destination = access.issue(outwardIssue.id ?? outwardIssue.key);
        if (!source || !destination) return issueNotFound();
        if (source.id === destination.id) return badRequest('You cannot link an issue to itself.');
        // Link Issues is needed on both ends; the from (outward) issue is named first.
        const unlinkable = [destination, source].find((issue) => !access.has('LINK_ISSUES', access.projectOf(issue)));
        if (unlinkable) return refusals.linkIssue(unlinkable.key);
        if (comment !== undefined && !isAdfDoc(comment.body)) {
          return fieldErrors({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
        }
        if (comment !== undefined && !access.has('ADD_COMMENTS', access.projectOf(destination))) {
          return refusals.addComment(access.displayName());
        }
        linkIssues(state, type, source, destination, actor);
        // The contract says the comment goes on the "from (outward)" issue.
        if (comment !== undefined && isAdfDoc(comment.body)) addComment(state, destination, { body: comment.body }, actor);
        return new Response(null, { status: 201 });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issueLink/:linkId', operationId: 'getIssueLink',
      handle: ({ params, actor }) => {
        const link = visibleLink(state.access(actor), params.linkId);
        const body = link && view.issueLink(link);
        return body ? json(200, body) : notFound(`No issue link with id '${params.linkId}' exists.`);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issueLink/:linkId', operationId: 'deleteIssueLink',
      handle: ({ params, actor }) => {
        const access = state.access(actor);
        const link = visibleLink(access, params.linkId);
        // Link Issues in at least one of the two projects; the contract answers 404 otherwise.
        const ends = link ? [link.sourceId, link.destinationId].flatMap((id) => stores.issues.byId(id) ?? []) : [];
        if (!link || !ends.some((issue) => access.has('LINK_ISSUES', access.projectOf(issue)))) {
          return notFound(`No issue link with id '${params.linkId}' exists.`);
        }
        unlinkIssues(state, link, actor);
        return noContent();
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/remotelink', operationId: 'getRemoteIssueLinks',
      handle: ({ params, url, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
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
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('LINK_ISSUES', access.projectOf(issue))) return refusals.linkIssues();
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
      handle: ({ params, url, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('LINK_ISSUES', access.projectOf(issue))) return refusals.linkIssues();
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
      handle: ({ params, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const row = findRemote(issue, params.linkId);
        return row ? json(200, remoteLinkJson(row)) : noRemote(params.linkId);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/remotelink/:linkId', operationId: 'updateRemoteIssueLink',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('LINK_ISSUES', access.projectOf(issue))) return refusals.linkIssues();
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
      handle: ({ params, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        // This one needs Edit Issues as well as Link Issues, as its contract says.
        if (!access.has('LINK_ISSUES', access.projectOf(issue))) return refusals.linkIssues();
        if (!access.has('EDIT_ISSUES', access.projectOf(issue))) return refusals.editIssues(403);
        const row = findRemote(issue, params.linkId);
        if (!row) return noRemote(params.linkId);
        state.write(() => stores.remoteLinks.delete(row.id));
        return noContent();
      },
    },
  ];
}
