// Attachment metadata and content. Content stays in SQLite as a BLOB and is
// only read when someone downloads it.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export interface AttachmentRow {
  id: number;
  issueId: number;
  filename: string;
  mimeType: string;
  size: number;
  author: string;
  created: number;
}

interface AttachmentColumns {
  id: number;
  issue_id: number;
  filename: string;
  mime_type: string;
  size: number;
  author: string;
  created: number;
}

const COLUMNS = 'id, issue_id, filename, mime_type, size, author, created';

function fromColumns(r: AttachmentColumns): AttachmentRow {
  return {
    id: r.id, issueId: r.issue_id, filename: r.filename, mimeType: r.mime_type, size: r.size, author: r.author, created: r.created,
  };
}

export class AttachmentStore {
  private readonly listStmt: Statement;
  private readonly getStmt: Statement;
  private readonly contentStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE issue_id = ? ORDER BY id`);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE id = ?`);
    this.contentStmt = db.prepare('SELECT content FROM attachments WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO attachments (id, issue_id, filename, mime_type, size, author, created, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteStmt = db.prepare('DELETE FROM attachments WHERE id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM attachments WHERE issue_id = ?');
  }

  list(issueId: number): AttachmentRow[] {
    return (this.listStmt.all(issueId) as AttachmentColumns[]).map(fromColumns);
  }

  get(id: number): AttachmentRow | undefined {
    const row = this.getStmt.get(id) as AttachmentColumns | undefined;
    return row && fromColumns(row);
  }

  content(id: number): Buffer | undefined {
    return (this.contentStmt.get(id) as { content: Buffer } | undefined)?.content;
  }

  insert(row: AttachmentRow, content: Uint8Array): void {
    this.insertStmt.run(row.id, row.issueId, row.filename, row.mimeType, row.size, row.author, row.created, Buffer.from(content));
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
