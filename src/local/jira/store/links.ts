// Issue links and remote issue links. A link runs from its source to its
// destination: the source shows the type's outward phrase ("blocks"), the
// destination the inward one ("is blocked by").
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export interface LinkRow {
  id: number;
  typeId: string;
  sourceId: number;
  destinationId: number;
}

interface LinkColumns {
  id: number;
  type_id: string;
  source_id: number;
  destination_id: number;
}

const fromLink = (r: LinkColumns): LinkRow => ({ id: r.id, typeId: r.type_id, sourceId: r.source_id, destinationId: r.destination_id });

export class LinkStore {
  private readonly forIssueStmt: Statement;
  private readonly getStmt: Statement;
  private readonly findStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;
  private readonly ofTypeStmt: Statement;
  private readonly deleteOfTypeStmt: Statement;

  constructor(db: Db) {
    this.ofTypeStmt = db.prepare('SELECT * FROM issue_links WHERE type_id = ? ORDER BY id');
    this.deleteOfTypeStmt = db.prepare('DELETE FROM issue_links WHERE type_id = ?');
    this.forIssueStmt = db.prepare(
      'SELECT * FROM issue_links WHERE source_id = ? UNION SELECT * FROM issue_links WHERE destination_id = ? ORDER BY id',
    );
    this.getStmt = db.prepare('SELECT * FROM issue_links WHERE id = ?');
    this.findStmt = db.prepare('SELECT * FROM issue_links WHERE type_id = ? AND source_id = ? AND destination_id = ?');
    this.insertStmt = db.prepare('INSERT INTO issue_links (id, type_id, source_id, destination_id) VALUES (?, ?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM issue_links WHERE id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM issue_links WHERE source_id = ? OR destination_id = ?');
  }

  forIssue(issueId: number): LinkRow[] {
    return (this.forIssueStmt.all(issueId, issueId) as LinkColumns[]).map(fromLink);
  }

  get(id: number): LinkRow | undefined {
    const row = this.getStmt.get(id) as LinkColumns | undefined;
    return row && fromLink(row);
  }

  find(typeId: string, sourceId: number, destinationId: number): LinkRow | undefined {
    const row = this.findStmt.get(typeId, sourceId, destinationId) as LinkColumns | undefined;
    return row && fromLink(row);
  }

  insert(row: LinkRow): void {
    this.insertStmt.run(row.id, row.typeId, row.sourceId, row.destinationId);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId, issueId);
  }

  ofType(typeId: string): LinkRow[] {
    return (this.ofTypeStmt.all(typeId) as LinkColumns[]).map(fromLink);
  }

  deleteOfType(typeId: string): void {
    this.deleteOfTypeStmt.run(typeId);
  }
}

/** What a remote link points at, as the caller described it. */
export interface RemoteLinkBody {
  application?: Record<string, unknown>;
  relationship?: string;
  object: Record<string, unknown>;
}

export interface RemoteLinkRow {
  id: number;
  issueId: number;
  globalId: string | null;
  body: RemoteLinkBody;
}

interface RemoteLinkColumns {
  id: number;
  issue_id: number;
  global_id: string | null;
  body: string;
}

const fromRemote = (r: RemoteLinkColumns): RemoteLinkRow => ({
  id: r.id, issueId: r.issue_id, globalId: r.global_id, body: JSON.parse(r.body) as RemoteLinkBody,
});

export class RemoteLinkStore {
  private readonly listStmt: Statement;
  private readonly getStmt: Statement;
  private readonly byGlobalIdStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteForIssueStmt: Statement;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT * FROM remote_links WHERE issue_id = ? ORDER BY id');
    this.getStmt = db.prepare('SELECT * FROM remote_links WHERE id = ?');
    this.byGlobalIdStmt = db.prepare('SELECT * FROM remote_links WHERE issue_id = ? AND global_id = ?');
    this.insertStmt = db.prepare('INSERT INTO remote_links (id, issue_id, global_id, body) VALUES (?, ?, ?, ?)');
    this.updateStmt = db.prepare('UPDATE remote_links SET global_id = ?, body = ? WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM remote_links WHERE id = ?');
    this.deleteForIssueStmt = db.prepare('DELETE FROM remote_links WHERE issue_id = ?');
  }

  list(issueId: number): RemoteLinkRow[] {
    return (this.listStmt.all(issueId) as RemoteLinkColumns[]).map(fromRemote);
  }

  get(id: number): RemoteLinkRow | undefined {
    const row = this.getStmt.get(id) as RemoteLinkColumns | undefined;
    return row && fromRemote(row);
  }

  byGlobalId(issueId: number, globalId: string): RemoteLinkRow | undefined {
    const row = this.byGlobalIdStmt.get(issueId, globalId) as RemoteLinkColumns | undefined;
    return row && fromRemote(row);
  }

  insert(row: RemoteLinkRow): void {
    this.insertStmt.run(row.id, row.issueId, row.globalId, JSON.stringify(row.body));
  }

  update(row: RemoteLinkRow): void {
    this.updateStmt.run(row.globalId, JSON.stringify(row.body), row.id);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  deleteForIssue(issueId: number): void {
    this.deleteForIssueStmt.run(issueId);
  }
}
