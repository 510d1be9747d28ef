// Comments: add, edit and delete, each firing its Forge event. Jira Service
// Management's internal-note flag rides on the `sd.public.comment` property.
import { commentDeleted, commented } from '../events/payloads';
import type { AdfDoc } from '../model/adf';
import type { SiteState } from '../state';
import type { CommentRow, CommentVisibility, EntityPropertyValue } from '../store/comments';
import type { IssueRow } from '../store/issues';
import { succeed, type WriteResult } from './result';

export interface CommentInput {
  body: AdfDoc;
  visibility?: CommentVisibility | null;
  properties?: EntityPropertyValue[];
}

export const INTERNAL_PROPERTY = 'sd.public.comment';

function internalFlag(properties: EntityPropertyValue[]): boolean | undefined {
  const property = properties.find((p) => p.key === INTERNAL_PROPERTY);
  if (!property || typeof property.value !== 'object' || property.value === null) return undefined;
  return (property.value as { internal?: unknown }).internal === true;
}

export function addComment(state: SiteState, issue: IssueRow, input: CommentInput, actor: string): WriteResult<CommentRow> {
  return succeed(
    state.write((tx) => {
      const properties = input.properties ?? [];
      const comment: CommentRow = {
        id: state.stores.sequences.take('comment'),
        issueId: issue.id,
        author: actor,
        updateAuthor: actor,
        body: input.body,
        created: tx.now,
        updated: tx.now,
        internal: internalFlag(properties) ?? false,
        properties,
        visibility: input.visibility ?? null,
      };
      state.stores.comments.insert(comment);
      const touched = { ...issue, updated: tx.now };
      state.stores.issues.update(touched);
      tx.touch(issue.id);
      tx.emit(commented(state.view, touched, comment, actor));
      return comment;
    }),
  );
}

export function updateComment(
  state: SiteState,
  issue: IssueRow,
  comment: CommentRow,
  input: CommentInput,
  actor: string,
): WriteResult<CommentRow> {
  return succeed(
    state.write((tx) => {
      const properties = input.properties === undefined ? comment.properties : mergeProperties(comment.properties, input.properties);
      const updated: CommentRow = {
        ...comment,
        body: input.body,
        updateAuthor: actor,
        updated: tx.now,
        properties,
        internal: internalFlag(properties) ?? comment.internal,
        visibility: input.visibility === undefined ? comment.visibility : input.visibility,
      };
      state.stores.comments.update(updated);
      const touched = { ...issue, updated: tx.now };
      state.stores.issues.update(touched);
      tx.touch(issue.id);
      tx.emit(commented(state.view, touched, updated, actor));
      return updated;
    }),
  );
}

export function deleteComment(state: SiteState, issue: IssueRow, comment: CommentRow, actor: string): WriteResult<void> {
  state.write((tx) => {
    state.stores.comments.delete(comment.id);
    const touched = { ...issue, updated: tx.now };
    state.stores.issues.update(touched);
    tx.touch(issue.id);
    tx.emit(commentDeleted(state.view, touched, comment, actor));
  });
  return succeed(undefined);
}

function mergeProperties(current: EntityPropertyValue[], changes: EntityPropertyValue[]): EntityPropertyValue[] {
  const byKey = new Map(current.map((p) => [p.key, p]));
  for (const change of changes) byKey.set(change.key, change);
  return [...byKey.values()];
}
