// Issue entity properties: JSON values by key, per issue.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export class PropertyStore {
  private readonly keysStmt: Statement;
  private readonly allStmt: Statement;
  private readonly getStmt: Statement;
  private readonly upsertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.keysStmt = db.prepare('SELECT key FROM issue_properties WHERE issue_id = ? ORDER BY key');
    this.allStmt = db.prepare('SELECT key, value FROM issue_properties WHERE issue_id = ? ORDER BY key');
    this.getStmt = db.prepare('SELECT value FROM issue_properties WHERE issue_id = ? AND key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO issue_properties (issue_id, key, value) VALUES (?, ?, ?)
       ON CONFLICT (issue_id, key) DO UPDATE SET value = excluded.value`,
    );
    this.deleteStmt = db.prepare('DELETE FROM issue_properties WHERE issue_id = ? AND key = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM issue_properties WHERE issue_id = ?');
  }

  keys(issueId: number): string[] {
    return (this.keysStmt.all(issueId) as { key: string }[]).map((r) => r.key);
  }

  all(issueId: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const row of this.allStmt.all(issueId) as { key: string; value: string }[]) result[row.key] = JSON.parse(row.value);
    return result;
  }

  /** The stored JSON text, or undefined when the issue has no such property. */
  getRaw(issueId: number, key: string): string | undefined {
    return (this.getStmt.get(issueId, key) as { value: string } | undefined)?.value;
  }

  set(issueId: number, key: string, json: string): void {
    this.upsertStmt.run(issueId, key, json);
  }

  delete(issueId: number, key: string): boolean {
    return this.deleteStmt.run(issueId, key).changes > 0;
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
