import { z } from 'zod';
import type { Caller, JiraSite } from '../contracts';

// The shell reads and writes only through the site's own REST API, in-process,
// so what a person does by hand is exactly what an API client would do
// (events fire, counters count, permissions apply).

export const UserSchema = z.object({
  accountId: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().nullish(),
  accountType: z.string().optional(),
  active: z.boolean().optional(),
});
export type User = z.infer<typeof UserSchema>;

export const ProjectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  lead: UserSchema.nullish(),
});
export type Project = z.infer<typeof ProjectSchema>;

const NamedSchema = z.object({ id: z.string().optional(), name: z.string() });
export const StatusSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  statusCategory: z.object({ key: z.string().optional(), name: z.string().optional(), colorName: z.string().optional() }).optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const CommentSchema = z.object({
  id: z.string(),
  author: UserSchema.nullish(),
  updateAuthor: UserSchema.nullish(),
  body: z.unknown(),
  created: z.string().optional(),
  updated: z.string().optional(),
  jsdPublic: z.boolean().optional(),
});
export type Comment = z.infer<typeof CommentSchema>;

export const AttachmentSchema = z.object({
  id: z.coerce.string(),
  filename: z.string(),
  size: z.number().optional(),
  mimeType: z.string().optional(),
  created: z.string().optional(),
  author: UserSchema.nullish(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const IssueFieldsSchema = z.object({
  summary: z.string().nullish(),
  description: z.unknown().optional(),
  issuetype: NamedSchema.nullish(),
  status: StatusSchema.nullish(),
  priority: NamedSchema.nullish(),
  labels: z.array(z.string()).nullish(),
  assignee: UserSchema.nullish(),
  reporter: UserSchema.nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  project: z.object({ id: z.string().optional(), key: z.string(), name: z.string().optional() }).nullish(),
  comment: z.object({ comments: z.array(CommentSchema) }).nullish(),
  attachment: z.array(AttachmentSchema).nullish(),
});

export const IssueSchema = z.object({ id: z.string(), key: z.string(), fields: IssueFieldsSchema.default({}) });
export type Issue = z.infer<typeof IssueSchema>;

const SearchResultsSchema = z.object({
  issues: z.array(IssueSchema).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
export type SearchResults = z.infer<typeof SearchResultsSchema>;

const TransitionsSchema = z.object({
  transitions: z.array(z.object({ id: z.string(), name: z.string(), to: StatusSchema.optional() })).default([]),
});
export type Transition = z.infer<typeof TransitionsSchema>['transitions'][number];

export const IssueTypeSchema = z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional(), hierarchyLevel: z.number().optional() });
export type IssueType = z.infer<typeof IssueTypeSchema>;
const CreateMetaIssueTypesSchema = z.object({
  issueTypes: z.array(IssueTypeSchema).optional(),
  createMetaIssueType: z.array(IssueTypeSchema).optional(),
});

const PrioritySchema = z.object({ id: z.string(), name: z.string(), isDefault: z.boolean().optional() });
export type Priority = z.infer<typeof PrioritySchema>;

const CreatedIssueSchema = z.object({ id: z.string(), key: z.string() });
const MyPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })),
});
export type Held<K extends string> = Record<K, boolean>;
const ErrorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

/** Why a REST call failed, in Jira's own words. */
export interface JiraFailure {
  ok: false;
  status: number;
  messages: string[];
}
export type JiraResult<T> = { ok: true; value: T } | JiraFailure;

const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ values: z.array(item).default([]), isLast: z.boolean().optional() });

export class ShellJira {
  private readonly origin: string;

  constructor(
    private readonly site: JiraSite,
    private readonly caller: Caller,
  ) {
    this.origin = new URL(site.baseUrl).origin;
  }

  /** A raw REST exchange; `path` starts with `/rest/api/3/`. */
  async call(method: string, path: string, init: { json?: unknown; body?: BodyInit; headers?: HeadersInit } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return this.site.handle(new Request(new URL(path, this.origin), { method, headers, body }), this.caller);
  }

  private async exchange<T extends z.ZodTypeAny>(
    method: string,
    path: string,
    schema: T,
    init?: { json?: unknown; body?: BodyInit; headers?: HeadersInit },
  ): Promise<JiraResult<z.infer<T>>> {
    const response = await this.call(method, path, init);
    if (!response.ok) return { ok: false, status: response.status, messages: await failureMessages(response) };
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { ok: false, status: 502, messages: [`Unexpected answer from ${method} ${path}: ${z.prettifyError(parsed.error)}`] };
    return { ok: true, value: parsed.data };
  }

  /** A call whose answer has no body worth reading (204s). */
  private async command(method: string, path: string, init?: { json?: unknown }): Promise<JiraResult<null>> {
    const response = await this.call(method, path, init);
    if (!response.ok) return { ok: false, status: response.status, messages: await failureMessages(response) };
    await response.body?.cancel();
    return { ok: true, value: null };
  }

  listProjects(): Promise<JiraResult<Project[]>> {
    return this.map(this.exchange('GET', '/rest/api/3/project/search?maxResults=100&orderBy=key', pageOf(ProjectSchema)), (p) => p.values);
  }

  getProject(key: string): Promise<JiraResult<Project>> {
    return this.exchange('GET', `/rest/api/3/project/${encodeURIComponent(key)}`, ProjectSchema);
  }

  search(jql: string, nextPageToken: string | null, maxResults = 50): Promise<JiraResult<SearchResults>> {
    const json: Record<string, unknown> = {
      jql,
      maxResults,
      fields: ['summary', 'issuetype', 'status', 'priority', 'assignee', 'updated', 'labels'],
    };
    if (nextPageToken) json.nextPageToken = nextPageToken;
    return this.exchange('POST', '/rest/api/3/search/jql', SearchResultsSchema, { json });
  }

  getIssue(key: string): Promise<JiraResult<Issue>> {
    return this.exchange('GET', `/rest/api/3/issue/${encodeURIComponent(key)}`, IssueSchema);
  }

  createIssue(fields: Record<string, unknown>): Promise<JiraResult<{ id: string; key: string }>> {
    return this.exchange('POST', '/rest/api/3/issue', CreatedIssueSchema, { json: { fields } });
  }

  editIssue(key: string, fields: Record<string, unknown>): Promise<JiraResult<null>> {
    return this.command('PUT', `/rest/api/3/issue/${encodeURIComponent(key)}`, { json: { fields } });
  }

  transitions(key: string): Promise<JiraResult<Transition[]>> {
    return this.map(this.exchange('GET', `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`, TransitionsSchema), (t) => t.transitions);
  }

  transition(key: string, transitionId: string): Promise<JiraResult<null>> {
    return this.command('POST', `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`, { json: { transition: { id: transitionId } } });
  }

  comments(key: string): Promise<JiraResult<Comment[]>> {
    const schema = z.object({ comments: z.array(CommentSchema).default([]) });
    return this.map(this.exchange('GET', `/rest/api/3/issue/${encodeURIComponent(key)}/comment?maxResults=1000&orderBy=created`, schema), (p) => p.comments);
  }

  getComment(key: string, id: string): Promise<JiraResult<Comment>> {
    return this.exchange('GET', `/rest/api/3/issue/${encodeURIComponent(key)}/comment/${encodeURIComponent(id)}`, CommentSchema);
  }

  addComment(key: string, body: unknown): Promise<JiraResult<Comment>> {
    return this.exchange('POST', `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, CommentSchema, { json: { body } });
  }

  updateComment(key: string, id: string, body: unknown): Promise<JiraResult<Comment>> {
    return this.exchange('PUT', `/rest/api/3/issue/${encodeURIComponent(key)}/comment/${encodeURIComponent(id)}`, CommentSchema, { json: { body } });
  }

  deleteComment(key: string, id: string): Promise<JiraResult<null>> {
    return this.command('DELETE', `/rest/api/3/issue/${encodeURIComponent(key)}/comment/${encodeURIComponent(id)}`);
  }

  addAttachment(key: string, file: File): Promise<JiraResult<Attachment[]>> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.exchange('POST', `/rest/api/3/issue/${encodeURIComponent(key)}/attachments`, z.array(AttachmentSchema), {
      body: form,
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
  }

  getAttachment(id: string): Promise<JiraResult<Attachment>> {
    return this.exchange('GET', `/rest/api/3/attachment/${encodeURIComponent(id)}`, AttachmentSchema);
  }

  deleteAttachment(id: string): Promise<JiraResult<null>> {
    return this.command('DELETE', `/rest/api/3/attachment/${encodeURIComponent(id)}`);
  }

  /** The attachment's bytes as Jira answers them (`redirect=false`: the content itself, not a 303). */
  attachmentContent(id: string): Promise<Response> {
    return this.call('GET', `/rest/api/3/attachment/content/${encodeURIComponent(id)}?redirect=false`);
  }

  issueTypesFor(projectKey: string): Promise<JiraResult<IssueType[]>> {
    return this.map(
      this.exchange('GET', `/rest/api/3/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes?maxResults=200`, CreateMetaIssueTypesSchema),
      (page) => (page.issueTypes ?? page.createMetaIssueType ?? []).filter((t) => !t.subtask),
    );
  }

  priorities(): Promise<JiraResult<Priority[]>> {
    return this.map(this.exchange('GET', '/rest/api/3/priority/search?maxResults=100', pageOf(PrioritySchema)), (p) => p.values);
  }

  assignableUsers(projectKey: string): Promise<JiraResult<User[]>> {
    return this.exchange('GET', `/rest/api/3/user/assignable/search?project=${encodeURIComponent(projectKey)}&maxResults=1000`, z.array(UserSchema));
  }

  /**
   * Which of `keys` the acting person holds, for one issue or project (or
   * anywhere, with neither), so pages offer only what Jira will accept.
   */
  async myPermissions<K extends string>(keys: readonly K[], context: { issueKey?: string; projectKey?: string } = {}): Promise<JiraResult<Held<K>>> {
    const params = new URLSearchParams({ permissions: keys.join(',') });
    if (context.issueKey) params.set('issueKey', context.issueKey);
    if (context.projectKey) params.set('projectKey', context.projectKey);
    return this.map(this.exchange('GET', `/rest/api/3/mypermissions?${params}`, MyPermissionsSchema), (answer) => {
      const held = {} as Held<K>;
      for (const key of keys) held[key] = answer.permissions[key]?.havePermission === true;
      return held;
    });
  }

  /** Everyone on the site (Jira's "Get all users"). */
  allUsers(): Promise<JiraResult<User[]>> {
    return this.exchange('GET', '/rest/api/3/users/search?maxResults=1000', z.array(UserSchema));
  }

  private async map<A, B>(pending: Promise<JiraResult<A>>, f: (a: A) => B): Promise<JiraResult<B>> {
    const result = await pending;
    return result.ok ? { ok: true, value: f(result.value) } : result;
  }
}

/** Jira's messages from an error answer: `errorMessages` first, then per-field `errors`. */
export async function failureMessages(response: Response): Promise<string[]> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [text.trim() || `Jira answered ${response.status} ${response.statusText}`.trim()];
  }
  const parsed = ErrorCollectionSchema.safeParse(json);
  const messages = parsed.success
    ? [...(parsed.data.errorMessages ?? []), ...Object.entries(parsed.data.errors ?? {}).map(([field, message]) => `${field}: ${message}`)]
    : [];
  return messages.length > 0 ? messages : [`Jira answered ${response.status}`];
}
