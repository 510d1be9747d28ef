// Who watches each issue, in the order they started watching.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export class WatcherStore {
  private readonly listStmt: Statement;
  private readonly addStmt: Statement;
  private readonly removeStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT account_id FROM watchers WHERE issue_id = ? ORDER BY position, account_id');
    this.addStmt = db.prepare(
      `INSERT OR IGNORE INTO watchers (issue_id, account_id, position)
        VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM watchers WHERE issue_id = ?))`,
    );
    this.removeStmt = db.prepare('DELETE FROM watchers WHERE issue_id = ? AND account_id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM watchers WHERE issue_id = ?');
  }

  list(issueId: number): string[] {
    return (this.listStmt.all(issueId) as { account_id: string }[]).map((r) => r.account_id);
  }

  /** Whether the person was added (false when they already watched). */
  add(issueId: number, accountId: string): boolean {
    return this.addStmt.run(issueId, accountId, issueId).changes > 0;
  }

  remove(issueId: number, accountId: string): boolean {
    return this.removeStmt.run(issueId, accountId).changes > 0;
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
