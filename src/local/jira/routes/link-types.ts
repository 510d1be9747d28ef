// Issue link types: listed and read by anyone, managed by Jira admins. The
// contract answers 404 where a caller may not manage them.
import { z } from 'zod';
import { readJson } from '../http/body';
import { json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import { linkTypeJson } from '../views/metadata';
import { createLinkType, deleteLinkType, updateLinkType } from '../write/link-types';
import { failure } from './issues';

const LinkTypeBodySchema = z
  .object({ id: z.string().optional(), name: z.string().optional(), inward: z.string().optional(), outward: z.string().optional() })
  .loose();

export function linkTypeRoutes(state: SiteState): Route[] {
  const { catalog, ctx } = state;
  const noType = (id: string | undefined): Response => notFound(`No issue link type with id '${id}' found.`);
  const onlyAdmins = (): Response => notFound('You do not have the permission to manage issue link types.');

  return [
    {
      method: 'GET', path: '/rest/api/3/issueLinkType', operationId: 'getIssueLinkTypes',
      handle: () => json(200, { issueLinkTypes: catalog.linkTypes.map((l) => linkTypeJson(ctx, l)) }),
    },
    {
      method: 'POST', path: '/rest/api/3/issueLinkType', operationId: 'createIssueLinkType',
      handle: async ({ request, actor }) => {
        const body = await readJson(request, LinkTypeBodySchema);
        if (!body.ok) return body.response;
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const created = createLinkType(state, body.value);
        return created.ok ? json(201, linkTypeJson(ctx, created.value)) : failure(created.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issueLinkType/:issueLinkTypeId', operationId: 'getIssueLinkType',
      handle: ({ params }) => {
        const type = catalog.linkType(params.issueLinkTypeId ?? '');
        return type ? json(200, linkTypeJson(ctx, type)) : noType(params.issueLinkTypeId);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issueLinkType/:issueLinkTypeId', operationId: 'updateIssueLinkType',
      handle: async ({ params, request, actor }) => {
        const type = catalog.linkType(params.issueLinkTypeId ?? '');
        if (!type) return noType(params.issueLinkTypeId);
        const body = await readJson(request, LinkTypeBodySchema);
        if (!body.ok) return body.response;
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const updated = updateLinkType(state, type, body.value);
        return updated.ok ? json(200, linkTypeJson(ctx, updated.value)) : failure(updated.failure);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issueLinkType/:issueLinkTypeId', operationId: 'deleteIssueLinkType',
      handle: ({ params, actor }) => {
        const type = catalog.linkType(params.issueLinkTypeId ?? '');
        if (!type) return noType(params.issueLinkTypeId);
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        deleteLinkType(state, type);
        return noContent();
      },
    },
  ];
}
