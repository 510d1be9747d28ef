import { z } from 'zod';
import type { HttpRequest, JiraHttp } from '../ports';
import { JiraError, retryAfterMsOf } from './errors';
import * as S from './schemas';

// One typed call per Jira REST v3 operation the app uses, grouped by API
// area as jira.js does; the only place that speaks HTTP to Jira.

export interface JiraClientOptions {
  /** Act on behalf of this user (`asUser`); the app user otherwise. */
  asUser?: string;
}

export type IssueUpdate = { fields?: Record<string, unknown>; update?: Record<string, unknown[]>; properties?: { key: string; value: unknown }[] };

const enc = encodeURIComponent;

export function createJiraClient(http: JiraHttp, options: JiraClientOptions = {}) {
  async function call<T extends z.ZodType>(operation: string, request: HttpRequest, schema: T): Promise<z.infer<T>>;
  async function call(operation: string, request: HttpRequest): Promise<undefined>;
  async function call(operation: string, request: HttpRequest, schema?: z.ZodType): Promise<unknown> {
    let response;
    try {
      response = await http.request({ ...request, headers: { Accept: 'application/json', ...request.headers } }, options.asUser ? { asUser: options.asUser } : undefined);
    } catch (e) {
      // A refused connection or a platform proxy error: Jira is unreachable for now.
      throw new JiraError({ operation, status: 0, errorMessages: [e instanceof Error ? e.message : String(e)] });
    }
    if (response.status >= 400) throw await toJiraError(operation, response);
    if (!schema) return undefined;
    const text = await response.text();
    const parsed = schema.safeParse(text ? JSON.parse(text) : undefined);
    if (!parsed.success) {
      throw new JiraError({ operation, status: 502, errorMessages: [`Unexpected answer from Jira: ${parsed.error.issues[0]?.message ?? 'invalid'}`] });
    }
    return parsed.data;
  }

  const json = (method: HttpRequest['method'], path: string, body: unknown): HttpRequest => ({
    method,
    path,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

  return {
    myself: () => call('getCurrentUser', { method: 'GET', path: '/rest/api/3/myself' }, S.JiraUser),

    issues: {
      get: (key: string, query: { fields?: string[]; expand?: string[]; properties?: string[] } = {}) => {
        const params = new URLSearchParams();
        if (query.fields) params.set('fields', query.fields.join(','));
        if (query.expand) params.set('expand', query.expand.join(','));
        if (query.properties) params.set('properties', query.properties.join(','));
        const qs = params.toString();
        return call('getIssue', { method: 'GET', path: `/rest/api/3/issue/${enc(key)}${qs ? `?${qs}` : ''}` }, S.JiraIssue);
      },
      /** Up to 100 issues in one call. */
      bulkFetch: (idsOrKeys: string[], fields: string[]) =>
        call('bulkFetchIssues', json('POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: idsOrKeys, fields }), S.SearchPage.pick({ issues: true })),
      create: (body: IssueUpdate) => call('createIssue', json('POST', '/rest/api/3/issue', body), S.CreatedIssue),
      edit: (key: string, body: IssueUpdate) => call('editIssue', json('PUT', `/rest/api/3/issue/${enc(key)}?notifyUsers=false`, body)),
      delete: (key: string) => call('deleteIssue', { method: 'DELETE', path: `/rest/api/3/issue/${enc(key)}?deleteSubtasks=true` }),
      transitions: (key: string) => call('getTransitions', { method: 'GET', path: `/rest/api/3/issue/${enc(key)}/transitions` }, S.Transitions),
      transition: (key: string, transitionId: string) =>
        call('doTransition', json('POST', `/rest/api/3/issue/${enc(key)}/transitions`, { transition: { id: transitionId } })),
    },

    comments: {
      add: (key: string, body: unknown, internal = false) =>
        call(
          'addComment',
          json('POST', `/rest/api/3/issue/${enc(key)}/comment`, {
            body,
            ...(internal ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}),
          }),
          S.JiraComment,
        ),
      update: (key: string, commentId: string, body: unknown) =>
        call('updateComment', json('PUT', `/rest/api/3/issue/${enc(key)}/comment/${enc(commentId)}?notifyUsers=false`, { body }), S.JiraComment),
      delete: (key: string, commentId: string) =>
        call('deleteComment', { method: 'DELETE', path: `/rest/api/3/issue/${enc(key)}/comment/${enc(commentId)}` }),
    },

    attachments: {
      add: async (key: string, file: { filename: string; mimeType: string; bytes: Uint8Array }) => {
        const { body, contentType } = multipartFile(file);
        const added = await call(
          'addAttachment',
          { method: 'POST', path: `/rest/api/3/issue/${enc(key)}/attachments`, headers: { 'Content-Type': contentType, 'X-Atlassian-Token': 'no-check' }, body },
          S.JiraAttachment.array(),
        );
        return added[0]!;
      },
      content: async (attachmentId: string): Promise<Uint8Array> => {
        const response = await http.request({ method: 'GET', path: `/rest/api/3/attachment/content/${enc(attachmentId)}?redirect=false` }, options.asUser ? { asUser: options.asUser } : undefined);
        if (response.status >= 400) throw await toJiraError('getAttachmentContent', response);
        return response.bytes();
      },
      delete: (attachmentId: string) => call('removeAttachment', { method: 'DELETE', path: `/rest/api/3/attachment/${enc(attachmentId)}` }),
    },

    search: {
      /** One page of `/search/jql`; pass the previous page's `nextPageToken` for the next. */
      jql: (jql: string, query: { fields?: string[]; maxResults?: number; nextPageToken?: string } = {}) =>
        call(
          'searchAndReconsileIssuesUsingJqlPost',
          json('POST', '/rest/api/3/search/jql', {
            jql,
            ...(query.fields ? { fields: query.fields } : {}),
            maxResults: query.maxResults ?? 100,
            ...(query.nextPageToken ? { nextPageToken: query.nextPageToken } : {}),
          }),
          S.SearchPage,
        ),
      approximateCount: (jql: string) =>
        call('countIssues', json('POST', '/rest/api/3/search/approximate-count', { jql }), z.looseObject({ count: z.number() })).then((r) => r.count),
    },

    projects: {
      get: (key: string) => call('getProject', { method: 'GET', path: `/rest/api/3/project/${enc(key)}` }, S.JiraProject),
      search: (startAt = 0) => call('searchProjects', { method: 'GET', path: `/rest/api/3/project/search?maxResults=100&startAt=${startAt}` }, S.ProjectPage),
      /** The project's default issue type, from its issue type scheme (null when none is set). */
      defaultIssueTypeId: async (projectId: string): Promise<string | null> => {
        const answer = await call(
          'getIssueTypeSchemeForProjects',
          { method: 'GET', path: `/rest/api/3/issuetypescheme/project?projectId=${enc(projectId)}` },
          z.looseObject({ values: z.array(z.looseObject({ issueTypeScheme: z.looseObject({ defaultIssueTypeId: z.string().nullish() }) })) }),
        );
        return answer.values[0]?.issueTypeScheme.defaultIssueTypeId ?? null;
      },
      /** The statuses of the project's workflows, per issue type. */
      statuses: (key: string) =>
        call(
          'getAllStatuses',
          { method: 'GET', path: `/rest/api/3/project/${enc(key)}/statuses` },
          z.array(z.looseObject({ id: z.string(), name: z.string(), statuses: z.array(S.JiraStatus) })),
        ),
      issueTypes: (projectId: string) =>
        call('getIssueTypesForProject', { method: 'GET', path: `/rest/api/3/issuetype/project?projectId=${enc(projectId)}` }, S.JiraIssueType.array()),
    },

    metadata: {
      priorities: () => call('getPriorities', { method: 'GET', path: '/rest/api/3/priority' }, S.JiraPriority.array()),
      resolutions: () => call('getResolutions', { method: 'GET', path: '/rest/api/3/resolution' }, S.JiraResolution.array()),
      statuses: () => call('getStatuses', { method: 'GET', path: '/rest/api/3/status' }, S.JiraStatus.array()),
      fields: () => call('getFields', { method: 'GET', path: '/rest/api/3/field' }, S.JiraField.array()),
      /** A custom field's contexts (first page: a field has a handful). */
      fieldContexts: (fieldId: string) =>
        call('getContextsForField', { method: 'GET', path: `/rest/api/3/field/${enc(fieldId)}/context` }, z.looseObject({ values: z.array(z.looseObject({ id: z.string() })) })),
      /** A context's options, top level only (first page of 100). */
      fieldOptions: (fieldId: string, contextId: string) =>
        call(
          'getOptionsForContext',
          { method: 'GET', path: `/rest/api/3/field/${enc(fieldId)}/context/${enc(contextId)}/option?onlyOptions=true&maxResults=100` },
          z.looseObject({ values: z.array(z.looseObject({ id: z.string(), value: z.string(), disabled: z.boolean().optional() })) }),
        ),
    },

    users: {
      get: (accountId: string) => call('getUser', { method: 'GET', path: `/rest/api/3/user?accountId=${enc(accountId)}` }, S.JiraUser),
      search: (query: string) => call('findUsers', { method: 'GET', path: `/rest/api/3/user/search?query=${enc(query)}&maxResults=50` }, S.JiraUser.array()),
    },

    properties: {
      get: async (key: string, propertyKey: string): Promise<unknown> => {
        try {
          const got = await call(
            'getIssueProperty',
            { method: 'GET', path: `/rest/api/3/issue/${enc(key)}/properties/${enc(propertyKey)}` },
            z.looseObject({ key: z.string(), value: z.unknown() }),
          );
          return got.value;
        } catch (e) {
          if (e instanceof JiraError && e.kind === 'not-found') return undefined;
          throw e;
        }
      },
      set: (key: string, propertyKey: string, value: unknown) =>
        call('setIssueProperty', json('PUT', `/rest/api/3/issue/${enc(key)}/properties/${enc(propertyKey)}`, value)),
      delete: (key: string, propertyKey: string) =>
        call('deleteIssueProperty', { method: 'DELETE', path: `/rest/api/3/issue/${enc(key)}/properties/${enc(propertyKey)}` }),
    },

    worklogs: {
      /** One page of an issue's worklogs (the issue's own `worklog` field holds only the first 20). */
      page: (key: string, startAt: number) =>
        call('getIssueWorklog', { method: 'GET', path: `/rest/api/3/issue/${enc(key)}/worklog?startAt=${startAt}&maxResults=5000` }, S.WorklogPage),
      add: (key: string, worklog: S.WorklogInput) =>
        call('addWorklog', json('POST', `/rest/api/3/issue/${enc(key)}/worklog?notifyUsers=false&adjustEstimate=auto`, worklog), S.JiraWorklog),
      update: (key: string, worklogId: string, worklog: S.WorklogInput) =>
        call('updateWorklog', json('PUT', `/rest/api/3/issue/${enc(key)}/worklog/${enc(worklogId)}?notifyUsers=false&adjustEstimate=auto`, worklog), S.JiraWorklog),
      delete: (key: string, worklogId: string) =>
        call('deleteWorklog', { method: 'DELETE', path: `/rest/api/3/issue/${enc(key)}/worklog/${enc(worklogId)}?notifyUsers=false&adjustEstimate=auto` }),
    },

    issueLinks: {
      /** Jira's naming: `inwardIssue` is the link's source ("blocks"), `outwardIssue` the issue it points at. */
      create: (typeName: string, sourceIssueId: string, destinationIssueId: string) =>
        call('linkIssues', json('POST', '/rest/api/3/issueLink', { type: { name: typeName }, inwardIssue: { id: sourceIssueId }, outwardIssue: { id: destinationIssueId } })),
      delete: (linkId: string) => call('deleteIssueLink', { method: 'DELETE', path: `/rest/api/3/issueLink/${enc(linkId)}` }),
      types: () => call('getIssueLinkTypes', { method: 'GET', path: '/rest/api/3/issueLinkType' }, S.LinkTypeList),
      /** Needs Administer Jira. */
      createType: (type: { name: string; inward: string; outward: string }) => call('createIssueLinkType', json('POST', '/rest/api/3/issueLinkType', type), S.JiraLinkType),
    },

    projectItems: {
      components: (projectKey: string) => call('getProjectComponents', { method: 'GET', path: `/rest/api/3/project/${enc(projectKey)}/components` }, S.ProjectItemList),
      versions: (projectKey: string) => call('getProjectVersions', { method: 'GET', path: `/rest/api/3/project/${enc(projectKey)}/versions` }, S.ProjectItemList),
      /** Needs Administer Projects on the project. */
      createComponent: (projectKey: string, name: string) => call('createComponent', json('POST', '/rest/api/3/component', { project: projectKey, name }), S.ProjectItem),
      createVersion: (projectKey: string, name: string) => call('createVersion', json('POST', '/rest/api/3/version', { project: projectKey, name }), S.ProjectItem),
    },

    remoteLinks: {
      upsert: (key: string, link: { globalId: string; url: string; title: string; summary?: string }) =>
        call(
          'createOrUpdateRemoteIssueLink',
          json('POST', `/rest/api/3/issue/${enc(key)}/remotelink`, {
            globalId: link.globalId,
            object: { url: link.url, title: link.title, ...(link.summary ? { summary: link.summary } : {}) },
          }),
        ),
    },

    permissions: {
      /**
       * Which of `permissions` the caller holds: globally, in a project (a key), or on one issue
       * (`{ issueKey }`). Jira answers 404 for a project or issue the caller cannot see.
       */
      mine: async (permissions: string[], where?: string | { projectKey?: string; issueKey?: string }): Promise<Record<string, boolean>> => {
        const params = new URLSearchParams({ permissions: permissions.join(',') });
        const scope = typeof where === 'string' ? { projectKey: where } : (where ?? {});
        if (scope.projectKey) params.set('projectKey', scope.projectKey);
        if (scope.issueKey) params.set('issueKey', scope.issueKey);
        const answer = await call(
          'getMyPermissions',
          { method: 'GET', path: `/rest/api/3/mypermissions?${params}` },
          z.looseObject({ permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })) }),
        );
        return Object.fromEntries(permissions.map((p) => [p, answer.permissions[p]?.havePermission ?? false]));
      },
    },
  };
}

export type JiraClient = ReturnType<typeof createJiraClient>;

async function toJiraError(operation: string, response: { status: number; headers: Headers; text(): Promise<string> }): Promise<JiraError> {
  let errorMessages: string[] = [];
  let errors: Record<string, string> = {};
  const text = await response.text().catch(() => '');
  try {
    const parsed = S.ErrorCollection.safeParse(JSON.parse(text));
    if (parsed.success) {
      errorMessages = parsed.data.errorMessages ?? [];
      errors = parsed.data.errors ?? {};
    }
  } catch {
    if (text) errorMessages = [text.slice(0, 300)];
  }
  return new JiraError({ operation, status: response.status, errorMessages, errors, retryAfterMs: retryAfterMsOf(response.headers.get('retry-after')) });
}

/** A multipart/form-data body with one part named `file`, as Jira's attachment API requires. */
function multipartFile(file: { filename: string; mimeType: string; bytes: Uint8Array }): { body: Uint8Array; contentType: string } {
  const boundary = `----exalate-${globalThis.crypto.randomUUID()}`;
  const safeName = file.filename.replace(/["\r\n]/g, '_');
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${file.mimeType || 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + file.bytes.length + tail.length);
  body.set(head, 0);
  body.set(file.bytes, head.length);
  body.set(tail, head.length + file.bytes.length);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
