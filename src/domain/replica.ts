import { z } from 'zod';

// The replica is the "hub issue" one side sends the other: what the outgoing
// script chose to share, in a shape both sides agree on. Every field except the
// identity is optional: a field left out means "not shared" (the receiver
// leaves it alone), while null means "empty on the sending side".

/** An Atlassian Document Format document. Deep validation is Jira's job; this
 *  checks the envelope so a script that assigns a number fails here, not there.
 *  A plain string is accepted and becomes paragraphs, as admins tend to write
 *  `replica.description = "…"`. */
const AdfNode = z.looseObject({ type: z.string() });
const AdfDocObject = z.looseObject({
  type: z.literal('doc'),
  version: z.number(),
  content: z.array(AdfNode),
});
export const AdfDoc = z.union([AdfDocObject, z.string().transform(textToAdf)]);
export type AdfDoc = z.output<typeof AdfDocObject>;

export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.split(/\r?\n\s*\r?\n/).filter((p) => p.length > 0);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p.split(/\r?\n/).flatMap((line, i) => [
        ...(i > 0 ? [{ type: 'hardBreak' }] : []),
        ...(line ? [{ type: 'text', text: line }] : []),
      ]),
    })),
  };
}

const Id = z.string().min(1);
/** Jira's timestamps carry offsets like `+0000`, which strict ISO parsers refuse. */
const Timestamp = z.string().min(1);

export const ReplicaUser = z.object({
  accountId: Id,
  displayName: z.string(),
  /** Present only where the user's privacy settings show it. */
  email: z.string().nullish(),
});
export type ReplicaUser = z.output<typeof ReplicaUser>;

export const Named = z.object({ name: z.string().min(1) });
export type Named = z.output<typeof Named>;

export const StatusCategory = z.enum(['new', 'indeterminate', 'done']);

export const ReplicaStatus = z.object({
  name: z.string().min(1),
  category: StatusCategory.optional(),
});

export const ReplicaProject = z.object({ key: z.string().min(1), name: z.string() });

/** A cascading select's choice: the parent option's value and, when chosen, the child's. */
export const CascadeChoice = z.object({ parent: z.string().min(1), child: z.string().min(1).nullable() });

/** A custom field's value with its type, so the receiver writes it the way its own field of that name takes it.
 *  Options travel by their value (ids differ per site); people by account id (one per person across sites). */
export const CustomFieldValue = z.discriminatedUnion('type', [
  /** Single-line text and URL fields. */
  z.object({ type: z.literal('text'), value: z.string().nullable() }),
  /** Paragraph fields: an ADF document (a plain string is accepted and becomes paragraphs). */
  z.object({ type: z.literal('richtext'), value: AdfDoc.nullable() }),
  z.object({ type: z.literal('number'), value: z.number().nullable() }),
  /** Single select. */
  z.object({ type: z.literal('option'), value: z.string().nullable() }),
  /** Multi-select and checkboxes. */
  z.object({ type: z.literal('options'), value: z.array(z.string()) }),
  z.object({ type: z.literal('cascade'), value: CascadeChoice.nullable() }),
  z.object({ type: z.literal('user'), value: ReplicaUser.nullable() }),
  z.object({ type: z.literal('users'), value: z.array(ReplicaUser) }),
  z.object({ type: z.literal('labels'), value: z.array(z.string()) }),
  z.object({ type: z.literal('date'), value: z.iso.date().nullable() }),
  /** Jira's timestamp form (`2026-11-23T10:00:00.000+0000`) or ISO 8601. */
  z.object({ type: z.literal('datetime'), value: z.string().min(1).nullable() }),
]);
export type CustomFieldValue = z.output<typeof CustomFieldValue>;

export const ReplicaComment = z.object({
  id: Id,
  author: ReplicaUser,
  body: AdfDoc,
  created: Timestamp,
  updated: Timestamp,
  internal: z.boolean(),
});
export type ReplicaComment = z.output<typeof ReplicaComment>;

export const ReplicaAttachment = z.object({
  id: Id,
  filename: z.string().min(1),
  mimeType: z.string().min(1),
  size: z.number().int().nonnegative(),
  created: Timestamp,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256'),
  /** Opaque to scripts and the engine; the transport resolves it to bytes. */
  contentRef: z.string().min(1),
});
export type ReplicaAttachment = z.output<typeof ReplicaAttachment>;

export const ReplicaIssueLink = z.object({
  id: Id,
  /** The link type's name, e.g. "Blocks". */
  type: z.string().min(1),
  direction: z.enum(['inward', 'outward']),
  otherIssueId: Id,
  /** The type's descriptions ("is blocked by", "blocks"), for a side that has to create the type. */
  inward: z.string().optional(),
  outward: z.string().optional(),
});
export type ReplicaIssueLink = z.output<typeof ReplicaIssueLink>;

export const ReplicaWorklog = z.object({
  id: Id,
  author: ReplicaUser,
  timeSpentSeconds: z.number().int().nonnegative(),
  started: Timestamp,
  comment: AdfDoc.nullish(),
});
export type ReplicaWorklog = z.output<typeof ReplicaWorklog>;

/** Component and version names: ids differ per site, names are what people share. */
const ItemNames = z.array(z.string().min(1));

/** JSON values for `replica.customKeys`: free-form data one script hands to the other. */
const Json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);

// Strict at the top level so a typo such as `replica.sumary` is reported
// instead of silently dropped.
export const Replica = z.strictObject({
  id: Id,
  key: z.string().min(1),
  url: z.string().optional(),
  project: ReplicaProject.optional(),
  type: Named.optional(),
  summary: z.string().optional(),
  description: AdfDoc.nullish(),
  status: ReplicaStatus.optional(),
  priority: Named.nullish(),
  labels: z.array(z.string()).optional(),
  assignee: ReplicaUser.nullish(),
  reporter: ReplicaUser.nullish(),
  dueDate: z.iso.date().nullish(),
  resolution: Named.nullish(),
  /** The sending side's id of the parent issue. */
  parentId: Id.nullish(),
  customFields: z.record(z.string(), CustomFieldValue).optional(),
  comments: z.array(ReplicaComment).optional(),
  attachments: z.array(ReplicaAttachment).optional(),
  issueLinks: z.array(ReplicaIssueLink).optional(),
  worklogs: z.array(ReplicaWorklog).optional(),
  components: ItemNames.optional(),
  fixVersions: ItemNames.optional(),
  customKeys: z.record(z.string(), Json).optional(),
});
export type Replica = z.output<typeof Replica>;

// ---------------------------------------------------------------------------
// The local issue as scripts see it (`issue`): the replica's names where they
// overlap, plus what only the local side knows.

export const LocalComment = ReplicaComment.extend({
  /** Set on copies this connection made: the remote comment's id. */
  remoteId: Id.optional(),
});
export type LocalComment = z.output<typeof LocalComment>;

export const LocalAttachment = ReplicaAttachment.extend({
  /** Set on copies this connection made: the remote attachment's id. */
  remoteId: Id.optional(),
});
export type LocalAttachment = z.output<typeof LocalAttachment>;

export const LocalWorklog = ReplicaWorklog.extend({
  /** Set on copies this connection made: the remote worklog's id. */
  remoteId: Id.optional(),
});
export type LocalWorklog = z.output<typeof LocalWorklog>;

export const LocalIssue = z.object({
  id: Id,
  key: z.string().min(1),
  url: z.string().optional(),
  projectKey: z.string().min(1),
  project: ReplicaProject,
  typeName: z.string().min(1),
  type: Named,
  summary: z.string(),
  description: AdfDoc.nullable(),
  status: ReplicaStatus,
  priority: Named.nullable(),
  labels: z.array(z.string()),
  assignee: ReplicaUser.nullable(),
  reporter: ReplicaUser.nullable(),
  dueDate: z.iso.date().nullable(),
  resolution: Named.nullable(),
  /** The local id of the parent issue. */
  parentId: Id.nullable(),
  customFields: z.record(z.string(), CustomFieldValue),
  comments: z.array(LocalComment),
  attachments: z.array(LocalAttachment),
  issueLinks: z.array(ReplicaIssueLink),
  worklogs: z.array(LocalWorklog),
  components: ItemNames,
  fixVersions: ItemNames,
});
export type LocalIssue = z.output<typeof LocalIssue>;

/** What the incoming script starts from: the twin as read from Jira, or, on the
 *  first sync, next to nothing (the script sets `projectKey` and `typeName`). */
export const IncomingIssue = LocalIssue.partial();
export type IncomingIssue = z.output<typeof IncomingIssue>;

// ---------------------------------------------------------------------------
// Lookups the engine prefetches so helpers such as `nodeHelper.getPriority`
// stay synchronous inside the sandbox.

const LookupEntry = z.object({ id: Id, name: z.string().min(1) });

export const RuleLookups = z.object({
  issueTypesByProject: z
    .record(z.string(), z.array(LookupEntry.extend({ default: z.boolean().optional(), subtask: z.boolean().optional() })))
    .default({}),
  priorities: z.array(LookupEntry).default([]),
  statuses: z.array(LookupEntry.extend({ category: StatusCategory.optional() })).default([]),
  resolutions: z.array(LookupEntry).default([]),
  users: z
    .array(z.object({ accountId: Id, displayName: z.string(), email: z.string().nullish(), active: z.boolean().optional() }))
    .default([]),
  /** The connection's account table rows for the partner's people on this replica, and its fallback person (src/sync/people.ts). */
  people: z
    .object({
      fallback: z.object({ accountId: Id, displayName: z.string() }).nullable(),
      accounts: z.record(z.string(), z.object({ accountId: Id, displayName: z.string() })),
    })
    .default({ fallback: null, accounts: {} }),
  /** Remote issue id → the local twin. */
  twinsByRemoteId: z.record(z.string(), z.object({ id: Id, key: z.string().min(1) })).default({}),
});
export type RuleLookups = z.output<typeof RuleLookups>;
export type RuleLookupsInput = z.input<typeof RuleLookups>;

// ---------------------------------------------------------------------------
// What the engine gets back from an incoming script.

/** The fields the incoming script wants on the local issue. A field left
 *  undefined is left alone; the engine diffs the rest against Jira. */
export const DesiredIssue = z.object({
  projectKey: z.string().min(1).optional(),
  typeName: z.string().min(1).optional(),
  summary: z.string().optional(),
  description: AdfDoc.nullish(),
  priority: Named.nullish(),
  labels: z.array(z.string()).optional(),
  assignee: ReplicaUser.nullish(),
  reporter: ReplicaUser.nullish(),
  dueDate: z.iso.date().nullish(),
  resolution: Named.nullish(),
  parentId: Id.nullish(),
  customFields: z.record(z.string(), CustomFieldValue).optional(),
  components: ItemNames.optional(),
  fixVersions: ItemNames.optional(),
  /**
   * The partner's links (`issue.issueLinks = replica.issueLinks`), other ends named by the partner's ids: the
   * engine mirrors those whose other end is synced here and records the rest. Left as the script found it
   * (this side's links), it is no wish at all.
   */
  issueLinks: z.array(ReplicaIssueLink.partial({ id: true })).optional(),
});
export type DesiredIssue = z.output<typeof DesiredIssue>;

export const CommentOp = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('add'),
    /** The remote comment this copies; absent for a comment the script wrote itself. */
    remoteId: Id.optional(),
    body: AdfDoc,
    internal: z.boolean(),
  }),
  z.object({ op: z.literal('update'), id: Id, remoteId: Id, body: AdfDoc, internal: z.boolean() }),
  z.object({ op: z.literal('delete'), id: Id, remoteId: Id }),
]);
export type CommentOp = z.output<typeof CommentOp>;

export const AttachmentOp = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('add'),
    remoteId: Id,
    filename: z.string().min(1),
    mimeType: z.string().min(1),
    size: z.number().int().nonnegative(),
    sha256: z.string(),
    contentRef: z.string().min(1),
  }),
  z.object({ op: z.literal('delete'), id: Id, remoteId: Id }),
]);
export type AttachmentOp = z.output<typeof AttachmentOp>;

export const WorklogOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), remoteId: Id, timeSpentSeconds: z.number().int().positive(), started: Timestamp, comment: AdfDoc.nullish() }),
  z.object({ op: z.literal('update'), id: Id, remoteId: Id, timeSpentSeconds: z.number().int().positive(), started: Timestamp, comment: AdfDoc.nullish() }),
  z.object({ op: z.literal('delete'), id: Id, remoteId: Id }),
]);
export type WorklogOp = z.output<typeof WorklogOp>;

export const IncomingResult = z.object({
  issue: DesiredIssue,
  comments: z.array(CommentOp),
  attachments: z.array(AttachmentOp),
  /** Absent from results made before worklogs synced. */
  worklogs: z.array(WorklogOp).optional(),
  /** The status the script asked for (`issue.setStatus(name)`); the engine
   *  transitions toward it and warns when no transition leads there. */
  status: z.string().min(1).nullable(),
  /** The script asked to stop syncing this issue (`syncHelper.unExalate()`). */
  unExalate: z.boolean(),
  warnings: z.array(z.string()),
  logs: z.array(z.string()),
  /** The partner's people `nodeHelper.mapUser` found no one here for (fellBack: the fallback person took their place). */
  unmapped: z.array(z.object({ accountId: Id, displayName: z.string(), fellBack: z.boolean() })).optional(),
});
export type IncomingResult = z.output<typeof IncomingResult>;
