// One SQLite database per site. Metadata tables are written once, when the
// site is seeded; issue data changes through the REST API.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  account_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, email TEXT, email_visible INTEGER NOT NULL,
  account_type TEXT NOT NULL, active INTEGER NOT NULL, time_zone TEXT NOT NULL, site_admin INTEGER NOT NULL,
  position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS statuses (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS issue_types (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, subtask INTEGER NOT NULL,
  hierarchy_level INTEGER NOT NULL, avatar_id INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS priorities (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, status_color TEXT NOT NULL,
  is_default INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS resolutions (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, is_default INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS custom_fields (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS field_contexts (
  id TEXT PRIMARY KEY, field_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  project_ids TEXT NOT NULL, issue_type_ids TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS field_options (
  id TEXT PRIMARY KEY, field_id TEXT NOT NULL, context_id TEXT NOT NULL, parent_id TEXT, value TEXT NOT NULL,
  disabled INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS field_options_context ON field_options (context_id, position);
CREATE TABLE IF NOT EXISTS link_types (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, inward TEXT NOT NULL, outward TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT NOT NULL,
  lead_account_id TEXT NOT NULL, default_issue_type_id TEXT, next_issue_number INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS project_issue_types (
  project_id TEXT NOT NULL, issue_type_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (project_id, issue_type_id));
CREATE TABLE IF NOT EXISTS workflows (
  project_id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, simplified INTEGER NOT NULL,
  initial_status_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS workflow_statuses (
  project_id TEXT NOT NULL, status_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (project_id, status_id));
CREATE TABLE IF NOT EXISTS workflow_transitions (
  project_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, to_status_id TEXT NOT NULL, from_status_ids TEXT,
  screen TEXT, position INTEGER NOT NULL, PRIMARY KEY (project_id, id));
CREATE TABLE IF NOT EXISTS components (
  id INTEGER PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  lead_account_id TEXT, assignee_type TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS components_project ON components (project_id);
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  archived INTEGER NOT NULL, released INTEGER NOT NULL, start_date TEXT, release_date TEXT, sequence INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS versions_project ON versions (project_id, sequence);
CREATE TABLE IF NOT EXISTS user_groups (
  account_id TEXT NOT NULL, group_name TEXT NOT NULL, PRIMARY KEY (account_id, group_name));
CREATE TABLE IF NOT EXISTS project_roles (
  project_id TEXT NOT NULL, role TEXT NOT NULL, account_id TEXT NOT NULL, PRIMARY KEY (project_id, role, account_id));
CREATE TABLE IF NOT EXISTS permission_grants (
  permission TEXT NOT NULL, holder_type TEXT NOT NULL, holder TEXT NOT NULL, PRIMARY KEY (permission, holder_type, holder));
CREATE TABLE IF NOT EXISTS issues (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL, issue_type_id TEXT NOT NULL,
  status_id TEXT NOT NULL, priority_id TEXT, resolution_id TEXT, summary TEXT NOT NULL, description TEXT,
  labels TEXT NOT NULL, assignee TEXT, reporter TEXT, creator TEXT NOT NULL, due_date TEXT, parent_id INTEGER,
  created INTEGER NOT NULL, updated INTEGER NOT NULL, resolution_date INTEGER, status_category_changed INTEGER NOT NULL,
  custom TEXT NOT NULL, components TEXT NOT NULL DEFAULT '[]', fix_versions TEXT NOT NULL DEFAULT '[]',
  affects_versions TEXT NOT NULL DEFAULT '[]', environment TEXT, original_estimate INTEGER, remaining_estimate INTEGER);
CREATE INDEX IF NOT EXISTS issues_project ON issues (project_id);
CREATE INDEX IF NOT EXISTS issues_parent ON issues (parent_id);
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, author TEXT NOT NULL, update_author TEXT NOT NULL,
  body TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL, internal INTEGER NOT NULL,
  properties TEXT NOT NULL, visibility TEXT);
CREATE INDEX IF NOT EXISTS comments_issue ON comments (issue_id, id);
CREATE TABLE IF NOT EXISTS attachments (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, filename TEXT NOT NULL, mime_type TEXT NOT NULL,
  size INTEGER NOT NULL, author TEXT NOT NULL, created INTEGER NOT NULL, content BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS attachments_issue ON attachments (issue_id, id);
CREATE TABLE IF NOT EXISTS issue_links (
  id INTEGER PRIMARY KEY, type_id TEXT NOT NULL, source_id INTEGER NOT NULL, destination_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS issue_links_source ON issue_links (source_id);
CREATE INDEX IF NOT EXISTS issue_links_destination ON issue_links (destination_id);
CREATE TABLE IF NOT EXISTS remote_links (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, global_id TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS remote_links_issue ON remote_links (issue_id, global_id);
CREATE TABLE IF NOT EXISTS issue_properties (
  issue_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (issue_id, key));
CREATE TABLE IF NOT EXISTS worklogs (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, author TEXT NOT NULL, update_author TEXT NOT NULL, comment TEXT,
  started INTEGER NOT NULL, time_spent INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
  visibility TEXT, properties TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS worklogs_issue ON worklogs (issue_id, id);
CREATE TABLE IF NOT EXISTS watchers (
  issue_id INTEGER NOT NULL, account_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (issue_id, account_id));
CREATE TABLE IF NOT EXISTS changelogs (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, author TEXT NOT NULL, created INTEGER NOT NULL, items TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS changelogs_issue ON changelogs (issue_id, id);
`;

/** Open (creating if needed) a site's database: a file path, or ':memory:'. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  // Every write is committed before the response leaves; NORMAL keeps WAL
  // durable across process crashes, which is what the fault tests exercise.
  db.pragma('synchronous = NORMAL');
  db.exec(DDL);
  addMissingColumns(db);
  return db;
}

/**
 * Columns added to tables after sites were first seeded; a database from
 * before gets them with their defaults, so existing local data keeps working.
 */
const LATER_COLUMNS: Record<string, Record<string, string>> = {
  issues: {
    components: "TEXT NOT NULL DEFAULT '[]'",
    fix_versions: "TEXT NOT NULL DEFAULT '[]'",
    affects_versions: "TEXT NOT NULL DEFAULT '[]'",
    environment: 'TEXT',
    original_estimate: 'INTEGER',
    remaining_estimate: 'INTEGER',
  },
};

function addMissingColumns(db: Db): void {
  for (const [table, columns] of Object.entries(LATER_COLUMNS)) {
    const present = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
    for (const [column, type] of Object.entries(columns)) {
      if (!present.has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }
}

/** Whether the database has a table (tables of older layouts are read once, when upgrading). */
export function hasTable(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}
