// Comments on issues. `internal` is Jira Service Management's "internal note"
// flag: set through the `sd.public.comment` property, reported as `jsdPublic`.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';
import type { AdfDoc } from '../model/adf';

export interface EntityPropertyValue {
  key: string;
  value: unknown;
}

export interface CommentVisibility {
  type: 'group' | 'role';
  value?: string;
  identifier?: string;
}

export interface CommentRow {
  id: number;
  issueId: number;
  author: string;
  updateAuthor: string;
  body: AdfDoc;
  created: number;
  updated: number;
  internal: boolean;
  properties: EntityPropertyValue[];
  visibility: CommentVisibility | null;
}

interface CommentColumns {
  id: number;
  issue_id: number;
  author: string;
  update_author: string;
  body: string;
  created: number;
  updated: number;
  internal: number;
  properties: string;
  visibility: string | null;
}

function fromColumns(r: CommentColumns): CommentRow {
  return {
    id: r.id,
    issueId: r.issue_id,
    author: r.author,
    updateAuthor: r.update_author,
    body: JSON.parse(r.body) as AdfDoc,
    created: r.created,
    updated: r.updated,
    internal: r.internal === 1,
    properties: JSON.parse(r.properties) as EntityPropertyValue[],
    visibility: r.visibility === null ? null : (JSON.parse(r.visibility) as CommentVisibility),
  };
}

export class CommentStore {
  private readonly listStmt: Statement;
  private readonly getStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT * FROM comments WHERE issue_id = ? ORDER BY id');
    this.getStmt = db.prepare('SELECT * FROM comments WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO comments (id, issue_id, author, update_author, body, created, updated, internal, properties, visibility)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE comments SET update_author = ?, body = ?, updated = ?, internal = ?, properties = ?, visibility = ? WHERE id = ?`,
    );
    this.deleteStmt = db.prepare('DELETE FROM comments WHERE id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM comments WHERE issue_id = ?');
  }

  /** In creation order (ids only grow). */
  list(issueId: number): CommentRow[] {
    return (this.listStmt.all(issueId) as CommentColumns[]).map(fromColumns);
  }

  get(id: number): CommentRow | undefined {
    const row = this.getStmt.get(id) as CommentColumns | undefined;
    return row && fromColumns(row);
  }

  insert(c: CommentRow): void {
    this.insertStmt.run(
      c.id, c.issueId, c.author, c.updateAuthor, JSON.stringify(c.body), c.created, c.updated, c.internal ? 1 : 0,
      JSON.stringify(c.properties), c.visibility === null ? null : JSON.stringify(c.visibility),
    );
  }

  update(c: CommentRow): void {
    this.updateStmt.run(
      c.updateAuthor, JSON.stringify(c.body), c.updated, c.internal ? 1 : 0, JSON.stringify(c.properties),
      c.visibility === null ? null : JSON.stringify(c.visibility), c.id,
    );
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
