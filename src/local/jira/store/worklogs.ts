// Work logged on issues: who, when it started, how long, and a comment (ADF).
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';
import type { AdfDoc } from '../model/adf';
import type { CommentVisibility, EntityPropertyValue } from './comments';

export interface WorklogRow {
  id: number;
  issueId: number;
  author: string;
  updateAuthor: string;
  comment: AdfDoc | null;
  /** Epoch milliseconds. */
  started: number;
  /** Seconds. */
  timeSpent: number;
  created: number;
  updated: number;
  visibility: CommentVisibility | null;
  properties: EntityPropertyValue[];
}

interface WorklogColumns {
  id: number;
  issue_id: number;
  author: string;
  update_author: string;
  comment: string | null;
  started: number;
  time_spent: number;
  created: number;
  updated: number;
  visibility: string | null;
  properties: string;
}

const fromColumns = (r: WorklogColumns): WorklogRow => ({
  id: r.id,
  issueId: r.issue_id,
  author: r.author,
  updateAuthor: r.update_author,
  comment: r.comment === null ? null : (JSON.parse(r.comment) as AdfDoc),
  started: r.started,
  timeSpent: r.time_spent,
  created: r.created,
  updated: r.updated,
  visibility: r.visibility === null ? null : (JSON.parse(r.visibility) as CommentVisibility),
  properties: JSON.parse(r.properties) as EntityPropertyValue[],
});

const params = (w: WorklogRow): unknown[] => [
  w.issueId, w.author, w.updateAuthor, w.comment === null ? null : JSON.stringify(w.comment), w.started, w.timeSpent,
  w.created, w.updated, w.visibility === null ? null : JSON.stringify(w.visibility), JSON.stringify(w.properties), w.id,
];

export class WorklogStore {
  private readonly listStmt: Statement;
  private readonly getStmt: Statement;
  private readonly totalStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT * FROM worklogs WHERE issue_id = ? ORDER BY started, id');
    this.getStmt = db.prepare('SELECT * FROM worklogs WHERE id = ?');
    this.totalStmt = db.prepare('SELECT COALESCE(SUM(time_spent), 0) AS total, COUNT(*) AS n FROM worklogs WHERE issue_id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO worklogs (issue_id, author, update_author, comment, started, time_spent, created, updated, visibility,
        properties, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE worklogs SET issue_id = ?, author = ?, update_author = ?, comment = ?, started = ?, time_spent = ?, created = ?,
        updated = ?, visibility = ?, properties = ? WHERE id = ?`,
    );
    this.deleteStmt = db.prepare('DELETE FROM worklogs WHERE id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM worklogs WHERE issue_id = ?');
  }

  /** In the order Jira lists them: by when the work started. */
  list(issueId: number): WorklogRow[] {
    return (this.listStmt.all(issueId) as WorklogColumns[]).map(fromColumns);
  }

  get(id: number): WorklogRow | undefined {
    const row = this.getStmt.get(id) as WorklogColumns | undefined;
    return row && fromColumns(row);
  }

  /** Seconds logged on an issue, and how many worklogs; null seconds when there are none, as Jira shows it. */
  timeSpent(issueId: number): number | null {
    const row = this.totalStmt.get(issueId) as { total: number; n: number };
    return row.n === 0 ? null : row.total;
  }

  insert(w: WorklogRow): void {
    this.insertStmt.run(...params(w));
  }

  update(w: WorklogRow): void {
    this.updateStmt.run(...params(w));
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
