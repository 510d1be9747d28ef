import { z } from 'zod';
import { describeZodError } from '../domain/zod-error';

// The product events manifest.yml subscribes to, in the shapes Forge documents
// (https://developer.atlassian.com/platform/forge/events-reference/jira/; what
// each carries and what the app reads of it: docs/forge-limits.md, "Product
// events"). Each payload is read here, at the app's boundary, before anything
// routes it; fields the app does not read are let through unchecked, so a
// field Forge adds later does not break it. What every event comes down to is
// the issues it changed: the sync reads each one fresh from Jira.

const IssueId = z.string().regex(/^\d+$/, 'an issue id is a number in a string');

/** `issue` of issue and comment events: only its id is needed; key and project help trigger routing. */
const EventIssue = z.looseObject({
  id: IssueId,
  key: z.string().optional(),
  // Only a hint for trigger routing: an issue without it still routes (the trigger asks Jira).
  fields: z.looseObject({ project: z.looseObject({ key: z.string() }).nullish() }).optional().catch(undefined),
});

/** One changelog item: Forge sends `from`/`to` and their strings, `null` for an empty value. */
const ChangeItem = z.looseObject({
  field: z.string(),
  fieldtype: z.string(),
  fieldId: z.string().optional(),
  from: z.string().nullable(),
  fromString: z.string().nullable(),
  to: z.string().nullable(),
  toString: z.string().nullable(),
});

const issueEvent = <T extends string>(eventType: T) => z.looseObject({ eventType: z.literal(eventType), issue: EventIssue, atlassianId: z.string().optional() });

const IssueCreated = issueEvent('avi:jira:created:issue');
const IssueUpdated = issueEvent('avi:jira:updated:issue').extend({ changelog: z.looseObject({ id: z.string().optional(), items: z.array(ChangeItem) }) });
const IssueDeleted = issueEvent('avi:jira:deleted:issue');
/** Fired when a comment is added and when it is edited (Forge has no separate edit event). */
const Commented = issueEvent('avi:jira:commented:issue').extend({ comment: z.looseObject({ id: z.string() }) });
const CommentDeleted = issueEvent('avi:jira:deleted:comment').extend({ comment: z.looseObject({ id: z.string() }) });

/**
 * Forge documents only `attachment`, not its fields; apps on Forge read the issue from `attachment.issueId`.
 * Without one the event is of no use (the issue's updated event carries the same change in its changelog).
 */
const attachmentEvent = <T extends string>(eventType: T) =>
  z.looseObject({ eventType: z.literal(eventType), attachment: z.looseObject({ id: z.string(), issueId: IssueId.optional() }) });
const AttachmentCreated = attachmentEvent('avi:jira:created:attachment');
const AttachmentDeleted = attachmentEvent('avi:jira:deleted:attachment');

/** The link, not an issue: its id, both ends' ids and its type. */
const linkEvent = <T extends string>(eventType: T) =>
  z.looseObject({
    eventType: z.literal(eventType),
    id: z.string(),
    sourceIssueId: IssueId,
    destinationIssueId: IssueId,
    issueLinkType: z.looseObject({ id: z.string(), name: z.string() }),
  });
/** Worklog events carry the worklog with its issue's id (https://developer.atlassian.com/platform/forge/events-reference/jira/, "Issue worklogs"). */
const worklogEvent = <T extends string>(eventType: T) =>
  z.looseObject({ eventType: z.literal(eventType), worklog: z.looseObject({ id: z.string(), issueId: IssueId }) });
const WorklogCreated = worklogEvent('avi:jira:created:worklog');
const WorklogUpdated = worklogEvent('avi:jira:updated:worklog');
const WorklogDeleted = worklogEvent('avi:jira:deleted:worklog');

const IssueLinkCreated = linkEvent('avi:jira:created:issuelink');
const IssueLinkDeleted = linkEvent('avi:jira:deleted:issuelink');

export const ProductEvent = z.discriminatedUnion('eventType', [
  IssueCreated,
  IssueUpdated,
  IssueDeleted,
  Commented,
  CommentDeleted,
  AttachmentCreated,
  AttachmentDeleted,
  IssueLinkCreated,
  IssueLinkDeleted,
  WorklogCreated,
  WorklogUpdated,
  WorklogDeleted,
]);
export type ProductEvent = z.infer<typeof ProductEvent>;

/** The event types the app handles: exactly those manifest.yml subscribes to (test/manifest checks it). */
export const HANDLED_EVENT_TYPES: readonly string[] = ProductEvent.options.map((o) => o.shape.eventType.value);

/** An issue an event changed, with what trigger routing may use without asking Jira. */
export interface ChangedIssue {
  id: string;
  key?: string;
  projectKey?: string;
}

export type ReadEvent = { ok: true; event: ProductEvent } | { ok: false; reason: string };

/** Reads a payload as Forge delivers it; a refusal says what does not fit. */
export function readProductEvent(payload: unknown): ReadEvent {
  const parsed = ProductEvent.safeParse(payload);
  if (parsed.success) return { ok: true, event: parsed.data };
  const eventType = typeof payload === 'object' && payload !== null ? (payload as { eventType?: unknown }).eventType : undefined;
  if (typeof eventType === 'string' && !HANDLED_EVENT_TYPES.includes(eventType)) {
    return { ok: false, reason: `the app does not subscribe to "${eventType}"` };
  }
  return { ok: false, reason: `its payload is not what Forge sends for it (${describeZodError(parsed.error)})` };
}

/** The issues an event changed: one for issue, comment and attachment events, both ends for a link. */
export function changedIssues(event: ProductEvent): ChangedIssue[] {
  switch (event.eventType) {
    case 'avi:jira:created:attachment':
    case 'avi:jira:deleted:attachment':
      return event.attachment.issueId ? [{ id: event.attachment.issueId }] : [];
    case 'avi:jira:created:worklog':
    case 'avi:jira:updated:worklog':
    case 'avi:jira:deleted:worklog':
      return [{ id: event.worklog.issueId }];
    case 'avi:jira:created:issuelink':
    case 'avi:jira:deleted:issuelink':
      // Jira does not link an issue to itself; a set keeps it one route if it ever did.
      return [...new Set([event.sourceIssueId, event.destinationIssueId])].map((id) => ({ id }));
    default: {
      const projectKey = event.issue.fields?.project?.key;
      return [{ id: event.issue.id, ...(event.issue.key ? { key: event.issue.key } : {}), ...(projectKey ? { projectKey } : {}) }];
    }
  }
}
