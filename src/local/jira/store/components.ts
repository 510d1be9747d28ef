// Project components. Jira lists a project's components by name.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';

export type AssigneeType = 'PROJECT_DEFAULT' | 'COMPONENT_LEAD' | 'PROJECT_LEAD' | 'UNASSIGNED';

export interface ComponentRow {
  id: number;
  projectId: string;
  name: string;
  description: string;
  leadAccountId: string | null;
  assigneeType: AssigneeType;
}

interface ComponentColumns {
  id: number;
  project_id: string;
  name: string;
  description: string;
  lead_account_id: string | null;
  assignee_type: string;
}

const fromColumns = (r: ComponentColumns): ComponentRow => ({
  id: r.id, projectId: r.project_id, name: r.name, description: r.description, leadAccountId: r.lead_account_id,
  assigneeType: r.assignee_type as AssigneeType,
});

export class ComponentStore {
  private readonly forProjectStmt: Statement;
  private readonly getStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;

  constructor(db: Db) {
    this.forProjectStmt = db.prepare('SELECT * FROM components WHERE project_id = ? ORDER BY name COLLATE NOCASE, id');
    this.getStmt = db.prepare('SELECT * FROM components WHERE id = ?');
    this.insertStmt = db.prepare(
      'INSERT INTO components (project_id, name, description, lead_account_id, assignee_type, id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateStmt = db.prepare(
      'UPDATE components SET project_id = ?, name = ?, description = ?, lead_account_id = ?, assignee_type = ? WHERE id = ?',
    );
    this.deleteStmt = db.prepare('DELETE FROM components WHERE id = ?');
  }

  forProject(projectId: string): ComponentRow[] {
    return (this.forProjectStmt.all(projectId) as ComponentColumns[]).map(fromColumns);
  }

  get(id: number): ComponentRow | undefined {
    const row = this.getStmt.get(id) as ComponentColumns | undefined;
    return row && fromColumns(row);
  }

  insert(c: ComponentRow): void {
    this.insertStmt.run(c.projectId, c.name, c.description, c.leadAccountId, c.assigneeType, c.id);
  }

  update(c: ComponentRow): void {
    this.updateStmt.run(c.projectId, c.name, c.description, c.leadAccountId, c.assigneeType, c.id);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }
}
