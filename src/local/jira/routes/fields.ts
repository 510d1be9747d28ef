// Fields: the list and the paged search, and custom field contexts with
// their options (read by anyone who administers Jira, as the contract says;
// options are created, changed and deleted there too).
import { z } from 'zod';
import type { CustomFieldRecord, FieldContextRecord } from '../catalog';
import { readJson } from '../http/body';
import { badRequest, jiraError, json, noContent, notFound } from '../http/respond';
import { boolParam, listParam, paging } from '../http/params';
import type { Route } from '../http/route';
import { SYSTEM_FIELDS } from '../model/fields';
import type { SiteState } from '../state';
import { api } from '../views/context';
import {
  contextJson, contextOptionJson, customFieldDetails, customFieldSearchJson, systemFieldDetails, systemFieldSearchJson,
} from '../views/fields';
import { pageBean } from '../views/page';
import { createOptions, deleteOption, updateOptions } from '../write/field-options';
import { failure } from './issues';

const CreateOptionsSchema = z
  .object({
    options: z.array(z.object({ value: z.string(), optionId: z.string().optional(), disabled: z.boolean().optional() }).strict()).min(1).max(1000),
  })
  .strict();

const UpdateOptionsSchema = z
  .object({
    options: z.array(z.object({ id: z.string(), value: z.string().optional(), disabled: z.boolean().optional() }).strict()).min(1).max(1000),
  })
  .strict();

const onlyAdmins = (): Response => jiraError(403, ['Only Jira administrators can access custom field contexts.']);

export function fieldRoutes(state: SiteState): Route[] {
  const { catalog, ctx } = state;
  const noField = (id: string): Response => notFound(`The custom field was not found: ${id}`);
  const noContext = (id: string): Response => notFound(`The context was not found: ${id}`);
  /** The field and one of its contexts, or Jira's answer when either is missing. */
  const fieldContext = (fieldId: string, contextId: string): { field: CustomFieldRecord; context: FieldContextRecord } | Response => {
    const field = catalog.customField(fieldId);
    if (!field) return noField(fieldId);
    const context = field.contexts.find((c) => c.id === contextId);
    return context ? { field, context } : noContext(contextId);
  };

  return [
    {
      method: 'GET', path: '/rest/api/3/field', operationId: 'getFields',
      handle: () => json(200, [...SYSTEM_FIELDS.map(systemFieldDetails), ...catalog.customFields.map(customFieldDetails)]),
    },
    {
      method: 'GET', path: '/rest/api/3/field/search', operationId: 'getFieldsPaginated',
      handle: ({ url }) => {
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const types = listParam(url, 'type');
        const ids = listParam(url, 'id');
        const query = url.searchParams.get('query')?.toLowerCase();
        const expand = new Set(listParam(url, 'expand'));
        const wanted = (id: string, name: string, description: string) =>
          (ids.length === 0 || ids.includes(id)) &&
          (!query || name.toLowerCase().includes(query) || description.toLowerCase().includes(query));
        let values: Record<string, unknown>[] = [
          ...(types.length === 0 || types.includes('system')
            ? SYSTEM_FIELDS.filter((f) => wanted(f.id, f.name, '')).flatMap((f): Record<string, unknown>[] => { const found = systemFieldSearchJson(f, expand); return found ? [found] : []; })
            : []),
          ...(types.length === 0 || types.includes('custom')
            ? catalog.customFields.filter((f) => wanted(f.id, f.name, f.description)).map((f) => customFieldSearchJson(f, expand))
            : []),
        ];
        const orderBy = url.searchParams.get('orderBy');
        if (orderBy?.replace(/^[+-]/, '') === 'name') {
          values = [...values].sort((a, b) => String(a.name).localeCompare(String(b.name)));
          if (orderBy.startsWith('-')) values.reverse();
        }
        return json(200, pageBean(ctx, url, values, page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/field/:fieldId/context', operationId: 'getContextsForField',
      handle: ({ params, url, actor }) => {
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const field = catalog.customField(params.fieldId ?? '');
        if (!field) return noField(params.fieldId ?? '');
        const page = paging(url, 50, 50);
        if ('error' in page) return badRequest(page.error);
        const ids = listParam(url, 'contextId');
        const global = boolParam(url, 'isGlobalContext');
        const anyType = boolParam(url, 'isAnyIssueType');
        const contexts = field.contexts.filter((c) =>
          (ids.length === 0 || ids.includes(c.id)) &&
          (global === undefined || (c.projectIds.length === 0) === global) &&
          (anyType === undefined || (c.issueTypeIds.length === 0) === anyType));
        return json(200, pageBean(ctx, url, contexts.map(contextJson), page.startAt, page.maxResults));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/field/:fieldId/context/:contextId/option', operationId: 'getOptionsForContext',
      handle: ({ params, url, actor }) => {
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const found = fieldContext(params.fieldId ?? '', params.contextId ?? '');
        if (found instanceof Response) return found;
        const page = paging(url, 100, 100);
        if ('error' in page) return badRequest(page.error);
        const optionId = url.searchParams.get('optionId');
        const onlyOptions = boolParam(url, 'onlyOptions') === true;
        const options = found.context.options.filter((o) =>
          (optionId === null || o.id === optionId) && (!onlyOptions || o.parentId === null));
        return json(200, pageBean(ctx, url, options.map(contextOptionJson), page.startAt, page.maxResults));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/field/:fieldId/context/:contextId/option', operationId: 'createCustomFieldOption',
      handle: async ({ params, request, actor }) => {
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const found = fieldContext(params.fieldId ?? '', params.contextId ?? '');
        if (found instanceof Response) return found;
        const body = await readJson(request, CreateOptionsSchema);
        if (!body.ok) return body.response;
        const created = createOptions(state, found.field, found.context, body.value.options);
        return created.ok ? json(200, { options: created.value.map(contextOptionJson) }) : failure(created.failure);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/field/:fieldId/context/:contextId/option', operationId: 'updateCustomFieldOption',
      handle: async ({ params, request, actor }) => {
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const found = fieldContext(params.fieldId ?? '', params.contextId ?? '');
        if (found instanceof Response) return found;
        const body = await readJson(request, UpdateOptionsSchema);
        if (!body.ok) return body.response;
        const updated = updateOptions(state, found.context, body.value.options);
        return updated.ok ? json(200, { options: updated.value }) : failure(updated.failure);
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/field/:fieldId/context/:contextId/option/:optionId', operationId: 'deleteCustomFieldOption',
      handle: ({ params, actor }) => {
        if (!state.access(actor).isJiraAdmin()) return onlyAdmins();
        const found = fieldContext(params.fieldId ?? '', params.contextId ?? '');
        if (found instanceof Response) return found;
        const option = found.context.options.find((o) => o.id === params.optionId);
        if (!option) return notFound(`The option ${params.optionId} was not found.`);
        const deleted = deleteOption(state, found.field, found.context, option);
        return deleted.ok ? noContent() : failure(deleted.failure);
      },
    },
    {
      method: 'GET', path: '/rest/api/3/customFieldOption/:id', operationId: 'getCustomFieldOption',
      handle: ({ params, actor }) => {
        const found = catalog.fieldOption(params.id ?? '');
        // Seen by Jira admins, and by those who may browse a project the option's context applies to.
        const access = state.access(actor);
        const visible = found && (access.isJiraAdmin() || catalog.projects.some((p) =>
          access.canBrowse(p) && (found.context.projectIds.length === 0 || found.context.projectIds.includes(p.id))));
        if (!found || !visible) return notFound(`The custom field option with id '${params.id}' does not exist.`);
        return json(200, { self: api(ctx, `/customFieldOption/${found.option.id}`), value: found.option.value });
      },
    },
  ];
}
