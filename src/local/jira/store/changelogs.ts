// The issue history: one changelog per change, with one item per field.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

/** One changed field, in the shape Jira uses in changelogs and `avi:jira:updated:issue`. */
export interface ChangeItem {
  field: string;
  fieldId: string;
  fieldtype: 'jira' | 'custom';
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogRow {
  id: number;
  issueId: number;
  author: string;
  created: number;
  items: ChangeItem[];
}

interface ChangelogColumns {
  id: number;
  issue_id: number;
  author: string;
  created: number;
  items: string;
}

const fromColumns = (r: ChangelogColumns): ChangelogRow => ({
  id: r.id, issueId: r.issue_id, author: r.author, created: r.created, items: JSON.parse(r.items) as ChangeItem[],
});

export class ChangelogStore {
  private readonly listStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT * FROM changelogs WHERE issue_id = ? ORDER BY id');
    this.insertStmt = db.prepare('INSERT INTO changelogs (id, issue_id, author, created, items) VALUES (?, ?, ?, ?, ?)');
    this.deleteForIssueStmt = db.prepare('DELETE FROM changelogs WHERE issue_id = ?');
  }

  /** Oldest first, as `/issue/{key}/changelog` pages them. */
  list(issueId: number): ChangelogRow[] {
    return (this.listStmt.all(issueId) as ChangelogColumns[]).map(fromColumns);
  }

  insert(row: ChangelogRow): void {
    this.insertStmt.run(row.id, row.issueId, row.author, row.created, JSON.stringify(row.items));
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
