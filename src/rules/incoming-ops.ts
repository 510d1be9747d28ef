import { z } from 'zod';
import {
  AdfDoc,
  ReplicaAttachment,
  type AttachmentOp,
  type CommentOp,
  type LocalAttachment,
  type LocalComment,
  type LocalWorklog,
  type WorklogOp,
} from '../domain/replica';
import { outputError } from './output-error';
import type { ScriptError } from './script-error';

// The incoming script leaves `issue.comments` and `issue.attachments` as the
// lists it wants; the engine needs operations. Only this connection's copies
// (items with a remoteId) may be changed or removed: anything else the script
// did to other people's comments becomes a warning, never a Jira call.

export const ScriptComment = z.object({
  id: z.string().min(1).optional(),
  remoteId: z.coerce.string().min(1).optional(),
  body: AdfDoc,
  internal: z.boolean().default(false),
});
export type ScriptComment = z.output<typeof ScriptComment>;

/** Attachments already on the issue only need their id; new ones must carry
 *  everything the transport needs to fetch the bytes. */
export const ScriptAttachment = z.looseObject({ id: z.string().min(1).optional() });
const NewAttachment = ReplicaAttachment.omit({ id: true, created: true }).extend({ remoteId: z.coerce.string().min(1) });

export interface Diff<Op> {
  ops: Op[];
  warnings: string[];
}

export function diffComments(before: readonly LocalComment[], after: readonly ScriptComment[]): Diff<CommentOp> {
  const ops: CommentOp[] = [];
  const warnings: string[] = [];
  const byId = new Map(before.map((c) => [c.id, c]));
  const kept = new Set<string>();
  const keptRemoteIds = remoteIdsKept(byId, after);

  for (const comment of after) {
    if (comment.id === undefined) {
      if (comment.remoteId !== undefined && keptRemoteIds.has(comment.remoteId)) {
        warnings.push(`Remote comment ${comment.remoteId} already has a copy here; the second copy was not added.`);
        continue;
      }
      if (comment.remoteId !== undefined) keptRemoteIds.add(comment.remoteId);
      ops.push({ op: 'add', ...(comment.remoteId !== undefined && { remoteId: comment.remoteId }), body: comment.body, internal: comment.internal });
      continue;
    }
    const old = byId.get(comment.id);
    if (!old) {
      warnings.push(`Comment ${comment.id} is not on this issue; the script's entry for it was ignored.`);
      continue;
    }
    kept.add(comment.id);
    if (sameJson(old.body, comment.body) && old.internal === comment.internal) continue;
    if (old.remoteId === undefined) {
      warnings.push(`Comment ${comment.id} was not made by this connection; the script's change to it was not applied.`);
      continue;
    }
    ops.push({ op: 'update', id: old.id, remoteId: old.remoteId, body: comment.body, internal: comment.internal });
  }

  for (const old of before) {
    if (kept.has(old.id)) continue;
    if (old.remoteId === undefined) {
      warnings.push(`Comment ${old.id} was not made by this connection; it was kept although the script removed it.`);
      continue;
    }
    ops.push({ op: 'delete', id: old.id, remoteId: old.remoteId });
  }
  return { ops, warnings };
}

export function diffAttachments(
  before: readonly LocalAttachment[],
  after: readonly z.output<typeof ScriptAttachment>[],
): Diff<AttachmentOp> | { error: ScriptError } {
  const ops: AttachmentOp[] = [];
  const warnings: string[] = [];
  const byId = new Map(before.map((a) => [a.id, a]));
  const kept = new Set<string>();

  const keptRemoteIds = remoteIdsKept(byId, after);

  for (const [index, attachment] of after.entries()) {
    if (attachment.id !== undefined) {
      if (byId.has(attachment.id)) kept.add(attachment.id);
      else warnings.push(`Attachment ${attachment.id} is not on this issue; the script's entry for it was ignored.`);
      continue;
    }
    const parsed = NewAttachment.safeParse(attachment);
    if (!parsed.success) return { error: outputError(`issue.attachments[${index}]`, parsed.error, 'attachment') };
    if (keptRemoteIds.has(parsed.data.remoteId)) {
      warnings.push(`Remote attachment ${parsed.data.remoteId} already has a copy here; the second copy was not added.`);
      continue;
    }
    keptRemoteIds.add(parsed.data.remoteId);
    ops.push({ op: 'add', ...parsed.data });
  }

  for (const old of before) {
    if (kept.has(old.id)) continue;
    if (old.remoteId === undefined) {
      warnings.push(`Attachment ${old.filename} (${old.id}) was not made by this connection; it was kept although the script removed it.`);
      continue;
    }
    ops.push({ op: 'delete', id: old.id, remoteId: old.remoteId });
  }
  return { ops, warnings };
}

/** A worklog as the script leaves it: this connection's copies carry the remote worklog's id. */
export const ScriptWorklog = z.looseObject({
  id: z.string().min(1).optional(),
  remoteId: z.coerce.string().min(1).optional(),
  timeSpentSeconds: z.number().int().nonnegative(),
  started: z.string().min(1),
  comment: AdfDoc.nullish(),
});
export type ScriptWorklog = z.output<typeof ScriptWorklog>;

/** Worklogs: only copies of the partner's (with a remoteId) are added, changed or removed; a worklog of 0 s cannot exist in Jira and is left out. */
export function diffWorklogs(before: readonly LocalWorklog[], after: readonly ScriptWorklog[]): Diff<WorklogOp> {
  const ops: WorklogOp[] = [];
  const warnings: string[] = [];
  const byId = new Map(before.map((w) => [w.id, w]));
  const kept = new Set<string>();
  const keptRemoteIds = remoteIdsKept(byId, after);
  for (const worklog of after) {
    const content = { timeSpentSeconds: worklog.timeSpentSeconds, started: worklog.started, comment: worklog.comment ?? null };
    if (worklog.id === undefined) {
      if (worklog.remoteId === undefined) {
        warnings.push('A worklog without the remote worklog it copies was not added; only the other side\'s worklogs are copied.');
        continue;
      }
      if (keptRemoteIds.has(worklog.remoteId) || worklog.timeSpentSeconds < 1) continue;
      keptRemoteIds.add(worklog.remoteId);
      ops.push({ op: 'add', remoteId: worklog.remoteId, ...content });
      continue;
    }
    const old = byId.get(worklog.id);
    if (!old) {
      warnings.push(`Worklog ${worklog.id} is not on this issue; the script's entry for it was ignored.`);
      continue;
    }
    kept.add(worklog.id);
    if (old.timeSpentSeconds === content.timeSpentSeconds && sameInstant(old.started, content.started) && sameJson(old.comment ?? null, content.comment)) continue;
    if (old.remoteId === undefined) {
      warnings.push(`Worklog ${worklog.id} was not made by this connection; the script's change to it was not applied.`);
      continue;
    }
    if (content.timeSpentSeconds < 1) continue;
    ops.push({ op: 'update', id: old.id, remoteId: old.remoteId, ...content });
  }
  for (const old of before) {
    if (kept.has(old.id) || old.remoteId === undefined) continue;
    ops.push({ op: 'delete', id: old.id, remoteId: old.remoteId });
  }
  return { ops, warnings };
}

/** Jira writes timestamps with a `+0000` offset; compared as instants, whatever the offset's form. */
function sameInstant(a: string, b: string): boolean {
  const at = (t: string) => Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return a === b || (!Number.isNaN(at(a)) && at(a) === at(b));
}

/** Remote ids of the copies the script's list keeps. */
function remoteIdsKept(byId: ReadonlyMap<string, { remoteId?: string }>, after: readonly { id?: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const item of after) {
    const remoteId = item.id === undefined ? undefined : byId.get(item.id)?.remoteId;
    if (remoteId !== undefined) ids.add(remoteId);
  }
  return ids;
}

/** Deep equality of JSON values, ignoring key order (Jira and the helpers
 *  write ADF keys in different orders). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && sameJson(ra[k], rb[k]));
}
