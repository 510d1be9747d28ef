import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { JiraClient } from '../jira/client';
import { JiraField, type JiraIssue, type JiraUser } from '../jira/schemas';
import type { CustomFieldValue, LocalIssue, ReplicaUser } from '../domain/replica';
import { recordKind, type Storage } from '../domain/stored-record';
import { readCustomValue } from './custom-fields';
import { editTimesOf, type EditTimes } from './edit-times';

export { customFieldKind } from './custom-fields';

// Reads a Jira issue into the shape rule scripts see (`issue`), in one REST
// call for the issue itself. Field metadata and attachment hashes are cached
// in storage: fields change rarely and attachments never change.

const FIELDS_TTL_MS = 10 * 60_000;

const STANDARD_FIELDS = [
  'summary', 'description', 'issuetype', 'project', 'status', 'priority', 'labels', 'assignee', 'reporter',
  'duedate', 'resolution', 'parent', 'created', 'updated', 'comment', 'attachment', 'issuelinks',
  // In the same one call: no extra request per edit (an issue's first 20 worklogs come with it).
  'components', 'fixVersions', 'worklog',
];

export interface FieldCatalog {
  /** Custom fields by id. */
  custom: Map<string, JiraField>;
  byName: Map<string, JiraField>;
}

/** The site's custom fields, as last read from Jira; an unreadable copy is logged and read again. */
const fieldsCache = recordKind({
  name: 'custom field metadata',
  version: 1,
  schema: z.object({ at: z.number(), fields: z.array(JiraField) }),
  key: () => 'meta:fields',
});
/** Jira attachments never change, so a hash computed once is good forever. */
const attachmentShaCache = recordKind({ name: 'attachment hash', version: 1, schema: z.string(), key: (attachmentId: string) => `attsha:${attachmentId}` });

export async function fieldCatalog(jira: JiraClient, storage: Storage, now: number): Promise<FieldCatalog> {
  const cached = await fieldsCache.find(storage);
  let fields = cached && now - cached.at < FIELDS_TTL_MS ? cached.fields : undefined;
  if (!fields) {
    fields = (await jira.metadata.fields()).filter((f) => f.custom);
    await storage.kvs.set(fieldsCache.key(), { at: now, fields });
  }
  return { custom: new Map(fields.map((f) => [f.id, f])), byName: new Map(fields.map((f) => [f.name, f])) };
}

export const attachmentContentRef = (attachmentId: string) => `att:${attachmentId}`;

/** Remote ids of this side's copies, so scripts and merges can tell them apart. */
export interface CopyMaps {
  /** Local comment id → remote comment id. */
  comments: Map<string, string>;
  /** Local attachment id → remote attachment id. */
  attachments: Map<string, string>;
  /** Local worklog id → remote worklog id. */
  worklogs?: Map<string, string>;
}

/** A twin's maps (remote id → local copy id), turned around: local copy id → the partner's id. */
export function copyMapsOf(twin: { comments: Record<string, string>; attachments: Record<string, string>; worklogs?: Record<string, string> } | undefined): CopyMaps {
  const comments = new Map<string, string>();
  const attachments = new Map<string, string>();
  const worklogs = new Map<string, string>();
  for (const [remote, local] of Object.entries(twin?.comments ?? {})) comments.set(local, remote);
  for (const [remote, local] of Object.entries(twin?.attachments ?? {})) attachments.set(local, remote);
  for (const [remote, local] of Object.entries(twin?.worklogs ?? {})) worklogs.set(local, remote);
  return { comments, attachments, worklogs };
}

/** What the sync path knows of an issue's file hashes before it reads the issue (`knownHashesOf`). */
export interface KnownHashes {
  /** By local attachment id. */
  known: ReadonlyMap<string, string>;
  /** When the twin last synced (null: never): a file added since cannot have a stored hash worth reading. */
  syncedAt: number | null;
}

/**
 * The hashes of an issue's files that the twin already holds, with no read: this side's files as last sent,
 * and its copies as the partner last sent them (the same bytes, so the same hash). A replica the twin keeps
 * under its own key is not read for this; those files are hashed the usual way.
 */
export function knownHashesOf(twin: { sent?: unknown; applied?: unknown; attachments: Record<string, string>; lastSyncAt: number | null } | undefined): KnownHashes {
  const known = new Map<string, string>();
  const filesOf = (kept: unknown) => (kept && typeof kept === 'object' ? ((kept as { attachments?: { id: string; sha256: string }[] }).attachments ?? []) : []);
  for (const a of filesOf(twin?.sent)) known.set(a.id, a.sha256);
  for (const a of filesOf(twin?.applied)) {
    const local = twin?.attachments[a.id];
    if (local) known.set(local, a.sha256);
  }
  return { known, syncedAt: twin?.lastSyncAt ?? null };
}

export async function readLocalIssue(args: {
  jira: JiraClient;
  storage: Storage;
  issueIdOrKey: string;
  catalog: FieldCatalog;
  copies?: CopyMaps;
  /**
   * Hashes known already (`knownHashesOf`): a file among them is not downloaded, and one added since the
   * twin last synced is downloaded without looking in the stored hash cache (`attsha:`), where it cannot be
   * yet; a sync that sends it has the bytes in hand, and the twin keeps its hash from then on. Other files
   * go through the cache.
   */
  knownHashes?: KnownHashes;
}): Promise<{
  issue: LocalIssue;
  raw: JiraIssue;
  /** Attachment bytes downloaded to hash them on this read, so a sender need not fetch them again. */
  downloaded: Map<string, Uint8Array>;
  /** When each part of the issue was changed, and when a person last did (./edit-times.ts). */
  edits: EditTimes;
}> {
  const { jira, storage, catalog } = args;
  // The recent history comes in the same call: changes are stamped with when they were made (./edit-times.ts).
  const raw = await jira.issues.get(args.issueIdOrKey, { fields: [...STANDARD_FIELDS, ...catalog.custom.keys()], expand: ['changelog'] });
  const f = raw.fields;
  const copies = args.copies ?? { comments: new Map(), attachments: new Map() };

  const downloaded = new Map<string, Uint8Array>();
  const attachments = await readAttachments(jira, storage, raw, copies, downloaded, args.knownHashes);

  const issue: LocalIssue = {
    id: raw.id,
    key: raw.key,
    url: raw.self ? issueBrowseUrl(raw.self, raw.key) : undefined,
    projectKey: f.project?.key ?? '',
    project: { key: f.project?.key ?? '', name: f.project?.name ?? '' },
    typeName: f.issuetype?.name ?? 'Task',
    type: { name: f.issuetype?.name ?? 'Task' },
    summary: f.summary ?? '',
    description: (f.description as LocalIssue['description']) ?? null,
    status: { name: f.status?.name ?? '', ...(statusCategory(f.status?.statusCategory?.key) ? { category: statusCategory(f.status?.statusCategory?.key)! } : {}) },
    priority: f.priority ? { name: f.priority.name } : null,
    labels: f.labels ?? [],
    assignee: toUser(f.assignee),
    reporter: toUser(f.reporter),
    dueDate: f.duedate ?? null,
    resolution: f.resolution ? { name: f.resolution.name } : null,
    parentId: f.parent?.id ?? null,
    customFields: readCustomFields(raw, catalog),
    comments: readComments(raw, copies),
    attachments,
    issueLinks: (f.issuelinks ?? []).map((l) => ({
      id: l.id,
      type: l.type.name,
      direction: l.inwardIssue ? ('inward' as const) : ('outward' as const),
      otherIssueId: (l.inwardIssue ?? l.outwardIssue)?.id ?? '',
      ...(l.type.inward ? { inward: l.type.inward } : {}),
      ...(l.type.outward ? { outward: l.type.outward } : {}),
    })),
    worklogs: await readWorklogs(jira, raw, copies),
    components: (f.components ?? []).map((c) => c.name),
    fixVersions: (f.fixVersions ?? []).map((v) => v.name),
  };
  const customIds = new Map([...catalog.custom.values()].map((f) => [f.name, f.id]));
  return { issue, raw, downloaded, edits: editTimesOf(raw, customIds) };
}

/** The worklogs the issue came with; the rest page by page only when it has more than Jira puts there. */
async function readWorklogs(jira: JiraClient, raw: JiraIssue, copies: CopyMaps): Promise<LocalIssue['worklogs']> {
  const inIssue = raw.fields.worklog;
  let worklogs = inIssue?.worklogs ?? [];
  if (inIssue && (inIssue.total ?? 0) > worklogs.length) {
    worklogs = [];
    let page;
    do {
      page = (await jira.worklogs.page(raw.id, worklogs.length)).worklogs;
      worklogs.push(...page);
    } while (page.length > 0 && worklogs.length < (inIssue.total ?? 0));
  }
  return worklogs.map((w) => ({
    id: w.id,
    author: toUser(w.author) ?? { accountId: 'unknown', displayName: 'Unknown user' },
    timeSpentSeconds: w.timeSpentSeconds ?? 0,
    started: w.started ?? '',
    comment: (w.comment as LocalIssue['worklogs'][number]['comment']) ?? null,
    ...(copies.worklogs?.has(w.id) ? { remoteId: copies.worklogs.get(w.id)! } : {}),
  }));
}

function readComments(raw: JiraIssue, copies: CopyMaps): LocalIssue['comments'] {
  return (raw.fields.comment?.comments ?? []).map((c) => ({
    id: c.id,
    author: toUser(c.author) ?? { accountId: 'unknown', displayName: 'Unknown user' },
    body: (c.body as LocalIssue['comments'][number]['body']) ?? { type: 'doc', version: 1, content: [] },
    created: c.created ?? '',
    updated: c.updated ?? c.created ?? '',
    internal: c.jsdPublic === false || (c.properties ?? []).some((p) => p.key === 'sd.public.comment' && (p.value as { internal?: boolean })?.internal === true),
    ...(copies.comments.has(c.id) ? { remoteId: copies.comments.get(c.id)! } : {}),
  }));
}

/** Each attachment with its SHA-256 (cached; `downloaded` keeps the bytes fetched to hash it). */
async function readAttachments(
  jira: JiraClient,
  storage: Storage,
  raw: JiraIssue,
  copies: CopyMaps,
  downloaded: Map<string, Uint8Array>,
  hashes: KnownHashes | undefined,
): Promise<LocalIssue['attachments']> {
  const addedSinceSync = (created: string | undefined) => hashes !== undefined && (hashes.syncedAt === null || !created || Date.parse(created) > hashes.syncedAt);
  const attachments: LocalIssue['attachments'] = [];
  for (const a of raw.fields.attachment ?? []) {
    attachments.push({
      id: a.id,
      filename: a.filename,
      mimeType: a.mimeType ?? 'application/octet-stream',
      size: a.size ?? 0,
      created: a.created ?? '',
      sha256: hashes?.known.get(a.id) ?? (await attachmentSha256(jira, addedSinceSync(a.created) ? null : storage, a.id, downloaded)),
      contentRef: attachmentContentRef(a.id),
      ...(copies.attachments.has(a.id) ? { remoteId: copies.attachments.get(a.id)! } : {}),
    });
  }
  return attachments;
}

function toUser(user: JiraUser | null | undefined): ReplicaUser | null {
  if (!user) return null;
  return { accountId: user.accountId, displayName: user.displayName ?? user.accountId, ...(user.emailAddress ? { email: user.emailAddress } : {}) };
}

function statusCategory(key: string | undefined): 'new' | 'indeterminate' | 'done' | undefined {
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : undefined;
}

/** `https://site/rest/api/3/issue/10001` → `https://site/browse/KEY-1`. */
export function issueBrowseUrl(self: string, key: string): string {
  const at = self.indexOf('/rest/api/');
  return at >= 0 ? `${self.slice(0, at)}/browse/${key}` : self;
}

function readCustomFields(raw: JiraIssue, catalog: FieldCatalog): Record<string, CustomFieldValue> {
  const out: Record<string, CustomFieldValue> = {};
  for (const [id, field] of catalog.custom) {
    const value = (raw.fields as Record<string, unknown>)[id];
    const typed = readCustomValue(field, value);
    if (typed) out[field.name] = typed;
  }
  return out;
}

/** Downloaded and hashed; through the stored cache when `storage` is given. */
async function attachmentSha256(jira: JiraClient, storage: Storage | null, attachmentId: string, downloaded: Map<string, Uint8Array>): Promise<string> {
  const cached = storage ? await attachmentShaCache.find(storage, attachmentId) : undefined;
  if (cached) return cached;
  const bytes = await jira.attachments.content(attachmentId);
  downloaded.set(attachmentId, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (storage) await storage.kvs.set(attachmentShaCache.key(attachmentId), sha);
  return sha;
}
