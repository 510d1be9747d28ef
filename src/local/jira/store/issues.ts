// Issue rows. JSON columns hold the description (ADF), labels and custom
// field values; everything a request filters on has its own indexed column.
import type { Db } from '../db/schema';
import type { Statement } from 'better-sqlite3';
import type { AdfDoc } from '../model/adf';

export interface IssueRow {
  id: number;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string | null;
  resolutionId: string | null;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  assignee: string | null;
  reporter: string | null;
  creator: string;
  dueDate: string | null;
  parentId: number | null;
  created: number;
  updated: number;
  resolutionDate: number | null;
  statusCategoryChanged: number;
  /** Values by custom field id, as `write/custom-input.ts` stores them (see there). */
  custom: Record<string, unknown>;
  componentIds: number[];
  fixVersionIds: number[];
  affectsVersionIds: number[];
  environment: AdfDoc | null;
  /** Seconds. */
  originalEstimate: number | null;
  /** Seconds. */
  remainingEstimate: number | null;
}

interface IssueColumns {
  id: number;
  key: string;
  project_id: string;
  issue_type_id: string;
  status_id: string;
  priority_id: string | null;
  resolution_id: string | null;
  summary: string;
  description: string | null;
  labels: string;
  assignee: string | null;
  reporter: string | null;
  creator: string;
  due_date: string | null;
  parent_id: number | null;
  created: number;
  updated: number;
  resolution_date: number | null;
  status_category_changed: number;
  custom: string;
  components: string;
  fix_versions: string;
  affects_versions: string;
  environment: string | null;
  original_estimate: number | null;
  remaining_estimate: number | null;
}

function fromColumns(r: IssueColumns): IssueRow {
  return {
    id: r.id,
    key: r.key,
    projectId: r.project_id,
    issueTypeId: r.issue_type_id,
    statusId: r.status_id,
    priorityId: r.priority_id,
    resolutionId: r.resolution_id,
    summary: r.summary,
    description: r.description === null ? null : (JSON.parse(r.description) as AdfDoc),
    labels: JSON.parse(r.labels) as string[],
    assignee: r.assignee,
    reporter: r.reporter,
    creator: r.creator,
    dueDate: r.due_date,
    parentId: r.parent_id,
    created: r.created,
    updated: r.updated,
    resolutionDate: r.resolution_date,
    statusCategoryChanged: r.status_category_changed,
    custom: JSON.parse(r.custom) as Record<string, unknown>,
    componentIds: JSON.parse(r.components) as number[],
    fixVersionIds: JSON.parse(r.fix_versions) as number[],
    affectsVersionIds: JSON.parse(r.affects_versions) as number[],
    environment: r.environment === null ? null : (JSON.parse(r.environment) as AdfDoc),
    originalEstimate: r.original_estimate,
    remainingEstimate: r.remaining_estimate,
  };
}

function toParams(row: IssueRow): unknown[] {
  return [
    row.key, row.projectId, row.issueTypeId, row.statusId, row.priorityId, row.resolutionId, row.summary,
    row.description === null ? null : JSON.stringify(row.description), JSON.stringify(row.labels),
    row.assignee, row.reporter, row.creator, row.dueDate, row.parentId, row.created, row.updated,
    row.resolutionDate, row.statusCategoryChanged, JSON.stringify(row.custom), JSON.stringify(row.componentIds),
    JSON.stringify(row.fixVersionIds), JSON.stringify(row.affectsVersionIds),
    row.environment === null ? null : JSON.stringify(row.environment), row.originalEstimate, row.remainingEstimate, row.id,
  ];
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9]*-\d+$/;

export class IssueStore {
  private readonly byIdStmt: Statement;
  private readonly byKeyStmt: Statement;
  private readonly childrenStmt: Statement;
  private readonly allStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly nextNumberStmt: Statement;

  constructor(db: Db) {
    this.byIdStmt = db.prepare('SELECT * FROM issues WHERE id = ?');
    this.byKeyStmt = db.prepare('SELECT * FROM issues WHERE key = ?');
    this.childrenStmt = db.prepare('SELECT * FROM issues WHERE parent_id = ? ORDER BY id');
    this.allStmt = db.prepare('SELECT * FROM issues ORDER BY id');
    this.insertStmt = db.prepare(
      `INSERT INTO issues (key, project_id, issue_type_id, status_id, priority_id, resolution_id, summary, description,
        labels, assignee, reporter, creator, due_date, parent_id, created, updated, resolution_date,
        status_category_changed, custom, components, fix_versions, affects_versions, environment, original_estimate,
        remaining_estimate, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE issues SET key = ?, project_id = ?, issue_type_id = ?, status_id = ?, priority_id = ?, resolution_id = ?,
        summary = ?, description = ?, labels = ?, assignee = ?, reporter = ?, creator = ?, due_date = ?, parent_id = ?,
        created = ?, updated = ?, resolution_date = ?, status_category_changed = ?, custom = ?, components = ?,
        fix_versions = ?, affects_versions = ?, environment = ?, original_estimate = ?, remaining_estimate = ? WHERE id = ?`,
    );
    this.deleteStmt = db.prepare('DELETE FROM issues WHERE id = ?');
    this.nextNumberStmt = db.prepare(
      'UPDATE projects SET next_issue_number = next_issue_number + 1 WHERE id = ? RETURNING next_issue_number - 1 AS n',
    );
  }

  /** By id or by key, keys matched case-insensitively as Jira does. */
  find(idOrKey: string): IssueRow | undefined {
    if (/^\d+$/.test(idOrKey)) return this.byId(Number(idOrKey));
    if (!ISSUE_KEY.test(idOrKey)) return undefined;
    const row = this.byKeyStmt.get(idOrKey.toUpperCase()) as IssueColumns | undefined;
    return row && fromColumns(row);
  }

  byId(id: number): IssueRow | undefined {
    const row = this.byIdStmt.get(id) as IssueColumns | undefined;
    return row && fromColumns(row);
  }

  children(parentId: number): IssueRow[] {
    return (this.childrenStmt.all(parentId) as IssueColumns[]).map(fromColumns);
  }

  all(): IssueRow[] {
    return (this.allStmt.all() as IssueColumns[]).map(fromColumns);
  }

  /** The next issue number in a project, for its key. */
  takeNumber(projectId: string): number {
    const row = this.nextNumberStmt.get(projectId) as { n: number } | undefined;
    if (!row) throw new Error(`No project ${projectId}`);
    return row.n;
  }

  insert(row: IssueRow): void {
    this.insertStmt.run(...toParams(row));
  }

  update(row: IssueRow): void {
    this.updateStmt.run(...toParams(row));
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }
}
