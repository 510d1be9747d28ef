// Issue entity properties: raw JSON values of at most 32,768 characters.
import { badRequest, issueNotFound, json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import { api } from '../views/context';
import { refusals } from '../permissions/refusals';

const MAX_VALUE_LENGTH = 32768;
const MAX_KEY_LENGTH = 255;

export function propertyRoutes(state: SiteState): Route[] {
  const { stores, ctx } = state;
  const self = (issue: IssueRow, key: string): string => api(ctx, `/issue/${issue.id}/properties/${encodeURIComponent(key)}`);
  const noProperty = (key: string): Response => notFound(`The property with key '${key}' does not exist.`);

  return [
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/properties', operationId: 'getIssuePropertyKeys',
      handle: ({ params, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        return json(200, { keys: stores.properties.keys(issue.id).map((key) => ({ self: self(issue, key), key })) });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', operationId: 'getIssueProperty',
      handle: ({ params, actor }) => {
        const issue = state.access(actor).issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        const key = params.propertyKey ?? '';
        const raw = stores.properties.getRaw(issue.id, key);
        return raw === undefined ? noProperty(key) : json(200, { key, value: JSON.parse(raw) as unknown });
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', operationId: 'setIssueProperty',
      handle: async ({ params, request, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('EDIT_ISSUES', access.projectOf(issue))) return refusals.editIssues(403);
        const key = params.propertyKey ?? '';
        if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
          return badRequest(`The property key must be between 1 and ${MAX_KEY_LENGTH} characters long.`);
        }
        const text = await request.text();
        if (text.length > MAX_VALUE_LENGTH) {
          return badRequest(`The property value is too long. The maximum length is ${MAX_VALUE_LENGTH} characters.`);
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return badRequest('The property value must be valid, non-empty JSON.');
        }
        const created = stores.properties.getRaw(issue.id, key) === undefined;
        state.write((tx) => {
          stores.properties.set(issue.id, key, JSON.stringify(value));
          tx.touch(issue.id);
        });
        return new Response(null, { status: created ? 201 : 200 });
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', operationId: 'deleteIssueProperty',
      handle: ({ params, actor }) => {
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        // The contract answers 404 here for a caller who may not edit the issue.
        if (!access.has('EDIT_ISSUES', access.projectOf(issue))) return refusals.editIssues(404);
        const key = params.propertyKey ?? '';
        const deleted = state.write((tx) => {
          tx.touch(issue.id);
          return stores.properties.delete(issue.id, key);
        });
        return deleted ? noContent() : noProperty(key);
      },
    },
  ];
}
