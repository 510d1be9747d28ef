import type { Replica } from '../../domain/replica';
import type { JiraClient } from '../../jira/client';
import { stableJson } from '../apply';
import type { Twin } from '../twins';

// A run that stops between Jira's write and storage's (the process killed,
// the invocation ended at its time limit) leaves a comment or attachment copy
// in Jira that the twin does not record. The replica is applied again later,
// and without this the copy would be made twice. Before making a copy, the run
// looks for such an orphan on the issue it already read: one the twin does not
// know, with exactly what this copy would hold (a comment's body; an
// attachment's name and bytes), made no earlier than the partner's original,
// by this app. Only when one looks like that is the app's own account asked
// for (one Jira call), so a normal sync costs nothing extra. A person on this
// side writing the very same words, or attaching the very same file, in the
// same minutes is told apart by the author.

/** Jira's clock and the partner's may differ; a copy is never older than its original by more than this. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A comment on the issue as this side read it. */
export interface SeenComment {
  id: string;
  author: { accountId: string };
  body: unknown;
  created: string;
}

/** An attachment on the issue as this side read it (its author from Jira's own answer). */
export interface SeenAttachment {
  id: string;
  filename: string;
  sha256: string;
  created: string;
  authorId: string | undefined;
}

export interface CommentCopy {
  remoteId?: string;
  body: unknown;
}

export interface AttachmentCopy {
  remoteId: string;
  filename: string;
  sha256: string;
}

/** Finds the orphaned copy of a partner comment, if a stopped run left one; each orphan is taken once. */
export type OrphanFinder = (copy: CommentCopy) => Promise<string | undefined>;
/** The same for a partner attachment. */
export type AttachmentOrphanFinder = (copy: AttachmentCopy) => Promise<string | undefined>;

export const noOrphans: OrphanFinder = async () => undefined;
export const noAttachmentOrphans: AttachmentOrphanFinder = async () => undefined;

interface Candidate {
  id: string;
  created: string;
  authorId: string | undefined;
}

/** Who "this app" is here: asked once, and only when a lookalike exists. Not known → make the copy (as before). */
function appAccount(jira: Pick<JiraClient, 'myself'>): () => Promise<string | undefined> {
  let asked: Promise<string | undefined> | undefined;
  return () =>
    (asked ??= jira.myself().then(
      (me) => me.accountId,
      () => undefined,
    ));
}

/** Picks the app's own candidate made no earlier than the original, not taken yet, and marks it taken. */
async function take(candidates: Candidate[], originalCreated: string | undefined, taken: Set<string>, me: () => Promise<string | undefined>): Promise<string | undefined> {
  const notBefore = originalCreated ? Date.parse(originalCreated) - CLOCK_SKEW_MS : Number.NEGATIVE_INFINITY;
  const lookalikes = candidates.filter((c) => !taken.has(c.id) && !(Date.parse(c.created) < notBefore));
  if (lookalikes.length === 0) return undefined;
  const app = await me();
  const orphan = app === undefined ? undefined : lookalikes.find((c) => c.authorId === app);
  if (orphan) taken.add(orphan.id);
  return orphan?.id;
}

export function orphanFinder(args: {
  jira: Pick<JiraClient, 'myself'>;
  twin: Pick<Twin, 'comments' | 'ownComments'>;
  /** The comments as read before applying (none read: nothing to find). */
  comments: readonly SeenComment[];
  replica?: Pick<Partial<Replica>, 'comments'>;
  /** Shared with the attachment finder of the same run, so Jira is asked at most once. */
  me?: () => Promise<string | undefined>;
}): OrphanFinder {
  const taken = new Set([...args.twin.ownComments, ...Object.values(args.twin.comments)]);
  const me = args.me ?? appAccount(args.jira);
  return async (copy) => {
    if (!copy.remoteId || args.comments.length === 0) return undefined;
    const body = stableJson(copy.body);
    const same = args.comments.filter((c) => stableJson(c.body) === body).map((c) => ({ id: c.id, created: c.created, authorId: c.author.accountId }));
    return take(same, args.replica?.comments?.find((c) => c.id === copy.remoteId)?.created, taken, me);
  };
}

export function attachmentOrphanFinder(args: {
  jira: Pick<JiraClient, 'myself'>;
  twin: Pick<Twin, 'attachments' | 'ownAttachments'>;
  attachments: readonly SeenAttachment[];
  replica?: Pick<Partial<Replica>, 'attachments'>;
  me?: () => Promise<string | undefined>;
}): AttachmentOrphanFinder {
  const taken = new Set([...args.twin.ownAttachments, ...Object.values(args.twin.attachments)]);
  const me = args.me ?? appAccount(args.jira);
  return async (copy) => {
    const same = args.attachments.filter((a) => a.sha256 === copy.sha256 && a.filename === copy.filename);
    if (same.length === 0) return undefined;
    return take(same, args.replica?.attachments?.find((a) => a.id === copy.remoteId)?.created, taken, me);
  };
}

/** Both finders of one run, sharing the one question to Jira. */
export function orphanFinders(args: {
  jira: Pick<JiraClient, 'myself'>;
  twin: Pick<Twin, 'comments' | 'ownComments' | 'attachments' | 'ownAttachments'>;
  comments: readonly SeenComment[];
  attachments: readonly SeenAttachment[];
  replica?: Pick<Partial<Replica>, 'comments' | 'attachments'>;
}): { comments: OrphanFinder; attachments: AttachmentOrphanFinder } {
  const me = appAccount(args.jira);
  return { comments: orphanFinder({ ...args, me }), attachments: attachmentOrphanFinder({ ...args, me }) };
}
