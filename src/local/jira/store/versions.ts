// Project versions, in the project's own order (`sequence`), as Jira lists them.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export interface VersionRow {
  id: number;
  projectId: string;
  name: string;
  description: string;
  archived: boolean;
  released: boolean;
  /** `YYYY-MM-DD` or null. */
  startDate: string | null;
  releaseDate: string | null;
  sequence: number;
}

interface VersionColumns {
  id: number;
  project_id: string;
  name: string;
  description: string;
  archived: number;
  released: number;
  start_date: string | null;
  release_date: string | null;
  sequence: number;
}

const fromColumns = (r: VersionColumns): VersionRow => ({
  id: r.id, projectId: r.project_id, name: r.name, description: r.description, archived: r.archived === 1,
  released: r.released === 1, startDate: r.start_date, releaseDate: r.release_date, sequence: r.sequence,
});

const params = (v: VersionRow): unknown[] => [
  v.projectId, v.name, v.description, v.archived ? 1 : 0, v.released ? 1 : 0, v.startDate, v.releaseDate, v.sequence, v.id,
];

export class VersionStore {
  private readonly forProjectStmt: Statement;
  private readonly getStmt: Statement;
  private readonly lastSequenceStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;

  constructor(db: Db) {
    this.forProjectStmt = db.prepare('SELECT * FROM versions WHERE project_id = ? ORDER BY sequence, id');
    this.getStmt = db.prepare('SELECT * FROM versions WHERE id = ?');
    this.lastSequenceStmt = db.prepare('SELECT COALESCE(MAX(sequence), 0) AS last FROM versions WHERE project_id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO versions (project_id, name, description, archived, released, start_date, release_date, sequence, id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE versions SET project_id = ?, name = ?, description = ?, archived = ?, released = ?, start_date = ?,
        release_date = ?, sequence = ? WHERE id = ?`,
    );
    this.deleteStmt = db.prepare('DELETE FROM versions WHERE id = ?');
  }

  forProject(projectId: string): VersionRow[] {
    return (this.forProjectStmt.all(projectId) as VersionColumns[]).map(fromColumns);
  }

  get(id: number): VersionRow | undefined {
    const row = this.getStmt.get(id) as VersionColumns | undefined;
    return row && fromColumns(row);
  }

  /** The sequence a new version of the project takes: after all others. */
  nextSequence(projectId: string): number {
    return (this.lastSequenceStmt.get(projectId) as { last: number }).last + 1;
  }

  insert(v: VersionRow): void {
    this.insertStmt.run(...params(v));
  }

  update(v: VersionRow): void {
    this.updateStmt.run(...params(v));
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }
}
