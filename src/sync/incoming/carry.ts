import { z } from 'zod';
import type { JiraClient } from '../../jira/client';
import { isJiraError } from '../../jira/errors';
import type { Twin } from '../twins';

// What an incoming run had made in Jira when storage refused to record it (a
// rate limit; see LaterWithCarry in ../later.ts): the issue it created, the
// comment and attachment copies. Copies storage will not record are taken
// back from Jira, so the next run makes them once; what Jira will not take
// back rides along in the queued work, and the retry takes it up.

export const IncomingCarry = z.object({
  created: z.object({ localIssueId: z.string(), localKey: z.string(), localUrl: z.string().optional() }).optional(),
  comments: z.record(z.string(), z.string()).default({}),
  ownComments: z.array(z.string()).default([]),
  attachments: z.record(z.string(), z.string()).default({}),
  ownAttachments: z.array(z.string()).default([]),
});
export type IncomingCarry = z.infer<typeof IncomingCarry>;

/**
 * A twin the first-sync path made here for a partner issue, whose first replica has not been recorded as
 * applied: its issue was created for it. (A twin made by Connect is synchronized from the start.)
 */
export function madeHereNotYetApplied(twin: Twin): boolean {
  return twin.origin === 'remote' && twin.inSeq === 0 && twin.lastSyncAt === null;
}

/** The copies a twin records as they are now (copied: applying changes the twin's own), to compare or carry. */
export function carryOf(twin: Twin): IncomingCarry {
  return { comments: { ...twin.comments }, ownComments: [...twin.ownComments], attachments: { ...twin.attachments }, ownAttachments: [...twin.ownAttachments] };
}

/** Whether the twin records copies made since `before` (none when copying had not begun). */
export function madeSince(twin: Twin, before: IncomingCarry | undefined): boolean {
  if (!before) return false;
  return twin.ownComments.some((c) => !before.ownComments.includes(c)) || twin.ownAttachments.some((a) => !before.ownAttachments.includes(a));
}

/**
 * Delete the comment and attachment copies made here since `before`; the twin comes back without those
 * Jira took back (one already gone counts as taken back) and with those it would not.
 */
export async function takeBackCopies(jira: JiraClient, twin: Twin, before: IncomingCarry | undefined): Promise<Twin> {
  if (!before) return twin;
  const takenBack = (e: unknown) => isJiraError(e) && e.kind === 'not-found';
  const left = { ...twin, comments: { ...twin.comments }, attachments: { ...twin.attachments } };
  for (const id of twin.ownComments.filter((c) => !before.ownComments.includes(c))) {
    if (!(await jira.comments.delete(twin.localKey, id).then(() => true, takenBack))) continue;
    left.ownComments = left.ownComments.filter((c) => c !== id);
    for (const [remoteId, localId] of Object.entries(left.comments)) if (localId === id) delete left.comments[remoteId];
  }
  for (const id of twin.ownAttachments.filter((a) => !before.ownAttachments.includes(a))) {
    if (!(await jira.attachments.delete(id).then(() => true, takenBack))) continue;
    left.ownAttachments = left.ownAttachments.filter((a) => a !== id);
    for (const [remoteId, localId] of Object.entries(left.attachments)) if (localId === id) delete left.attachments[remoteId];
  }
  return left;
}

/** The twin with the copies an earlier, refused run made. */
export function withCarry(twin: Twin, carry: IncomingCarry): Twin {
  return {
    ...twin,
    comments: { ...carry.comments, ...twin.comments },
    ownComments: [...new Set([...twin.ownComments, ...carry.ownComments])],
    attachments: { ...carry.attachments, ...twin.attachments },
    ownAttachments: [...new Set([...twin.ownAttachments, ...carry.ownAttachments])],
  };
}
