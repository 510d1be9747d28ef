import type { Replica } from '../../domain/replica';
import type { JiraClient } from '../../jira/client';
import { stableJson } from '../apply';
import type { Twin } from '../twins';

// A run that stops between Jira's write and storage's (the process killed,
// the invocation ended at its time limit) leaves a comment copy in Jira that
// the twin does not record. The replica is applied again later, and without
// this the copy would be made twice. Before making a copy, the run looks for
// such an orphan on the issue it already read: a comment the twin does not
// know, with exactly the body this copy would get, made no earlier than the
// partner's comment it copies, by this app. Only when one looks like that is
// the app's own account asked for (one Jira call), so a normal sync costs
// nothing extra. A person on this side writing the very same words in the
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

export interface CommentCopy {
  remoteId?: string;
  body: unknown;
}

/** Finds the orphaned copy of a partner comment, if a stopped run left one; each orphan is taken once. */
export type OrphanFinder = (copy: CommentCopy) => Promise<string | undefined>;

export const noOrphans: OrphanFinder = async () => undefined;

export function orphanFinder(args: {
  jira: Pick<JiraClient, 'myself'>;
  twin: Pick<Twin, 'comments' | 'ownComments'>;
  /** The comments as read before applying (none read: nothing to find). */
  comments: readonly SeenComment[];
  replica?: Pick<Partial<Replica>, 'comments'>;
}): OrphanFinder {
  const taken = new Set([...args.twin.ownComments, ...Object.values(args.twin.comments)]);
  let appAccountId: Promise<string | undefined> | undefined;
  return async (copy) => {
    if (!copy.remoteId || args.comments.length === 0) return undefined;
    const original = args.replica?.comments?.find((c) => c.id === copy.remoteId);
    const notBefore = original ? Date.parse(original.created) - CLOCK_SKEW_MS : Number.NEGATIVE_INFINITY;
    const body = stableJson(copy.body);
    const lookalikes = args.comments.filter((c) => !taken.has(c.id) && stableJson(c.body) === body && !(Date.parse(c.created) < notBefore));
    if (lookalikes.length === 0) return undefined;
    // Who "this app" is here: asked once per run, and only now. Not known → make the copy (as before).
    appAccountId ??= args.jira.myself().then(
      (me) => me.accountId,
      () => undefined,
    );
    const me = await appAccountId;
    const orphan = me === undefined ? undefined : lookalikes.find((c) => c.author.accountId === me);
    if (orphan) taken.add(orphan.id);
    return orphan?.id;
  };
}
