import { z } from 'zod';

// The parts of Jira's answers the app reads, per the REST v3 contract
// (jira-platform-openapi.json). Loose objects: Jira adds fields freely, and
// the contract tests hold the emulator and this client to the full schemas.

export const JiraUser = z.looseObject({
  accountId: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  accountType: z.string().optional(),
  active: z.boolean().optional(),
});
export type JiraUser = z.infer<typeof JiraUser>;

const Named = z.looseObject({ id: z.string().optional(), name: z.string() });

export const JiraStatus = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string().optional(), name: z.string().optional() }).optional(),
});

export const JiraComment = z.looseObject({
  id: z.string(),
  author: JiraUser.optional(),
  body: z.unknown(),
  created: z.string().optional(),
  updated: z.string().optional(),
  jsdPublic: z.boolean().optional(),
  properties: z.array(z.looseObject({ key: z.string(), value: z.unknown() })).optional(),
});
export type JiraComment = z.infer<typeof JiraComment>;

export const JiraAttachment = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  filename: z.string(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
  created: z.string().optional(),
  author: JiraUser.optional(),
});
export type JiraAttachment = z.infer<typeof JiraAttachment>;

export const JiraIssueLink = z.looseObject({
  id: z.string(),
  type: z.looseObject({ name: z.string(), inward: z.string().optional(), outward: z.string().optional() }),
  inwardIssue: z.looseObject({ id: z.string(), key: z.string() }).optional(),
  outwardIssue: z.looseObject({ id: z.string(), key: z.string() }).optional(),
});

export const JiraIssueFields = z.looseObject({
  summary: z.string().optional(),
  description: z.unknown().optional(),
  issuetype: Named.optional(),
  project: z.looseObject({ id: z.string(), key: z.string(), name: z.string().optional() }).optional(),
  status: JiraStatus.optional(),
  priority: Named.nullable().optional(),
  labels: z.array(z.string()).optional(),
  assignee: JiraUser.nullable().optional(),
  reporter: JiraUser.nullable().optional(),
  duedate: z.string().nullable().optional(),
  resolution: Named.nullable().optional(),
  parent: z.looseObject({ id: z.string(), key: z.string() }).optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  comment: z.looseObject({ comments: z.array(JiraComment), total: z.number().optional() }).optional(),
  attachment: z.array(JiraAttachment).optional(),
  issuelinks: z.array(JiraIssueLink).optional(),
});

/** One entry of an issue's history (`expand=changelog`): who changed which fields, and when. */
export const JiraChangelogEntry = z.looseObject({
  id: z.string().optional(),
  author: JiraUser.optional(),
  created: z.string(),
  items: z.array(z.looseObject({ field: z.string(), fieldId: z.string().optional() })),
});
export type JiraChangelogEntry = z.infer<typeof JiraChangelogEntry>;

export const JiraIssue = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: JiraIssueFields,
  properties: z.record(z.string(), z.unknown()).optional(),
  /** Recent history, newest first, when asked for with `expand=changelog`. */
  changelog: z.looseObject({ histories: z.array(JiraChangelogEntry) }).optional(),
});
export type JiraIssue = z.infer<typeof JiraIssue>;

export const CreatedIssue = z.looseObject({ id: z.string(), key: z.string(), self: z.string().optional() });

export const JiraTransition = z.looseObject({ id: z.string(), name: z.string(), to: JiraStatus });
export const Transitions = z.looseObject({ transitions: z.array(JiraTransition) });

export const JiraProject = z.looseObject({ id: z.string(), key: z.string(), name: z.string() });
export type JiraProject = z.infer<typeof JiraProject>;
export const ProjectPage = z.looseObject({ values: z.array(JiraProject), isLast: z.boolean().optional(), startAt: z.number().optional(), total: z.number().optional() });

export const JiraIssueType = z.looseObject({ id: z.string(), name: z.string(), subtask: z.boolean().optional() });
export const JiraPriority = z.looseObject({ id: z.string(), name: z.string() });
export const JiraResolution = z.looseObject({ id: z.string(), name: z.string() });
export const JiraField = z.looseObject({
  id: z.string(),
  name: z.string(),
  custom: z.boolean().optional(),
  schema: z.looseObject({ type: z.string(), items: z.string().optional(), custom: z.string().optional() }).optional(),
});
export type JiraField = z.infer<typeof JiraField>;

export const SearchPage = z.looseObject({
  issues: z.array(z.looseObject({ id: z.string(), key: z.string().optional(), fields: z.record(z.string(), z.unknown()).optional() })),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

export const ErrorCollection = z.looseObject({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});
