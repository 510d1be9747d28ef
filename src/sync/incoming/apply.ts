import type { IncomingResult, LocalIssue } from '../../domain/replica';
import type { JiraClient } from '../../jira/client';
import { applyAttachments, applyComments, fieldsToWrite, transitionTo, type AppliedChange } from '../apply';
import type { FieldCatalog } from '../issue-reader';
import type { Twin } from '../twins';
import { withoutOlderEdits } from './concurrency';

// What an incoming script decided, applied to the local issue: only the
// difference, and only what the partner wins (./concurrency.ts). One edit call
// for every changed field, a transition toward the wished status, one call per
// comment or attachment change.

export interface IncomingApply {
  jira: JiraClient;
  /** The twin; its comment and attachment maps record every copy made here, as it is made. */
  twin: Twin;
  /** The issue as read before the script ran; null when it was just created from the desired fields (a first sync). */
  current: LocalIssue | null;
  result: IncomingResult;
  /** Whether the partner's value of a replica field may be written here (on a first sync, every field). */
  wins: (field: string) => boolean;
  catalog: FieldCatalog;
  /** The bytes the partner sent for one of its attachments, when every chunk has arrived. */
  content: (remoteAttachmentId: string, sha256: string) => Promise<Uint8Array | undefined>;
}

export async function applyIncomingResult(input: IncomingApply): Promise<{ changes: AppliedChange[]; warnings: string[] }> {
  const { jira, twin, current, result } = input;
  const changes: AppliedChange[] = [];
  const warnings: string[] = [];
  if (current) {
    const { fields, changes: fieldChanges, warnings: fieldWarnings } = fieldsToWrite(withoutOlderEdits(result.issue, input.wins), current, input.catalog);
    warnings.push(...fieldWarnings);
    if (Object.keys(fields).length) {
      await jira.issues.edit(twin.localKey, { fields });
      changes.push(...fieldChanges);
    }
  }
  if (result.status && input.wins('status')) {
    const statusNow = current?.status.name ?? (await jira.issues.get(twin.localKey, { fields: ['status'] })).fields.status?.name ?? '';
    const moved = await transitionTo(jira, twin.localKey, statusNow, result.status);
    if (moved.moved) changes.push({ field: 'status', from: statusNow, to: result.status });
    if (moved.warning) warnings.push(moved.warning);
  }
  changes.push(...(await applyComments(jira, twin.localKey, result.comments, twin)).changes);
  const attachments = await applyAttachments(jira, twin.localKey, result.attachments, twin, input.content);
  changes.push(...attachments.changes);
  for (const filename of attachments.missing) warnings.push(`The content of "${filename}" did not arrive; it will be added with the next change.`);
  return { changes, warnings };
}
