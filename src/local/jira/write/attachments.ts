// Attachments: each upload fires `avi:jira:created:attachment` and, as Jira
// records attachments in the issue history, `avi:jira:updated:issue` with an
// "Attachment" changelog item; deletion mirrors both.
import { attachmentCreated, attachmentDeleted, issueUpdated } from '../events/payloads';
import type { SiteState } from '../state';
import type { AttachmentRow } from '../store/attachments';
import type { ChangeItem } from '../store/changelogs';
import type { IssueRow } from '../store/issues';
import { appendChangelog } from './changelog';

export interface UploadedFile {
  filename: string;
  mimeType: string;
  content: Uint8Array;
}

export function addAttachments(state: SiteState, issue: IssueRow, files: UploadedFile[], actor: string): AttachmentRow[] {
  return state.write((tx) => {
    const rows = files.map((file) => {
      const row: AttachmentRow = {
        id: state.stores.sequences.take('attachment'),
        issueId: issue.id,
        filename: file.filename,
        mimeType: file.mimeType,
        size: file.content.byteLength,
        author: actor,
        created: tx.now,
      };
      state.stores.attachments.insert(row, file.content);
      return row;
    });
    const touched = { ...issue, updated: tx.now };
    state.stores.issues.update(touched);
    const items: ChangeItem[] = rows.map((row) => ({
      field: 'Attachment', fieldId: 'attachment', fieldtype: 'jira',
      from: null, fromString: null, to: String(row.id), toString: row.filename,
    }));
    const changelog = appendChangelog(state, tx, touched, items, actor);
    tx.touch(issue.id);
    for (const row of rows) tx.emit(attachmentCreated(touched, row, actor));
    tx.emit(issueUpdated(state.view, touched, actor, changelog));
    return rows;
  });
}

export function deleteAttachment(state: SiteState, issue: IssueRow, attachment: AttachmentRow, actor: string): void {
  state.write((tx) => {
    state.stores.attachments.delete(attachment.id);
    const touched = { ...issue, updated: tx.now };
    state.stores.issues.update(touched);
    const changelog = appendChangelog(state, tx, touched, [{
      field: 'Attachment', fieldId: 'attachment', fieldtype: 'jira',
      from: String(attachment.id), fromString: attachment.filename, to: null, toString: null,
    }], actor);
    tx.touch(issue.id);
    tx.emit(attachmentDeleted(touched, attachment, actor));
    tx.emit(issueUpdated(state.view, touched, actor, changelog));
  });
}
