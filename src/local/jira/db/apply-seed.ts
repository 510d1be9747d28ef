// Writes a seed's metadata (people, projects, workflows, types, fields) into
// the database. Seed issues are created afterwards through the stores.
//
// Every writer here inserts only what is missing, so the same code seeds an
// empty database and upgrades one seeded by an older layout (see
// `upgradeSeed`): a site's local data survives a new version of the emulator.
import { hasTable, type Db } from './schema';
import type { SiteSeed } from '../seed-schema';

export const SEQUENCES = [
  'issue', 'comment', 'attachment', 'link', 'remoteLink', 'changelog', 'worklog', 'component', 'version', 'option',
  'linkType',
] as const;
export type SequenceName = (typeof SEQUENCES)[number];

/** The layout of seeded metadata this code writes; older databases are upgraded once to it. */
const SEED_LEVEL = 2;

type ProjectSeed = SiteSeed['projects'][number];

export function isSeeded(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM meta WHERE key = 'seeded'`).get() !== undefined;
}

export function writeSeedMetadata(db: Db, seed: SiteSeed): void {
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  meta.run('cloudId', seed.cloudId);
  meta.run('serverTitle', seed.serverTitle);
  meta.run('appAccountId', seed.appAccountId);
  meta.run('adminAccountId', seed.adminAccountId);
  meta.run('attachmentMaxBytes', String(seed.attachmentMaxBytes));

  const user = db.prepare(`INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  seed.users.forEach((u, i) =>
    user.run(u.accountId, u.displayName, u.email, u.emailVisible ? 1 : 0, u.accountType, u.active ? 1 : 0, u.timeZone, u.siteAdmin ? 1 : 0, i));

  const type = db.prepare(`INSERT INTO issue_types VALUES (?, ?, ?, ?, ?, ?, ?)`);
  seed.issueTypes.forEach((t, i) => type.run(t.id, t.name, t.description, t.subtask ? 1 : 0, t.hierarchyLevel, t.avatarId, i));

  const priority = db.prepare(`INSERT INTO priorities VALUES (?, ?, ?, ?, ?, ?)`);
  seed.priorities.forEach((p, i) => priority.run(p.id, p.name, p.description, p.statusColor, p.isDefault ? 1 : 0, i));

  const resolution = db.prepare(`INSERT INTO resolutions VALUES (?, ?, ?, ?, ?)`);
  seed.resolutions.forEach((r, i) => resolution.run(r.id, r.name, r.description, r.isDefault ? 1 : 0, i));

  writeSeedAdditions(db, seed);
}

/**
 * What later layouts added, for a database seeded by an older one (statuses,
 * fields with their contexts and options, drawn workflows, new projects with
 * their components and versions, new permissions), then marks it current.
 * Returns whether anything had to be done.
 */
export function upgradeSeed(db: Db, seed: SiteSeed): boolean {
  const level = db.prepare(`SELECT value FROM meta WHERE key = 'seedLevel'`).get() as { value: string } | undefined;
  if (level && Number(level.value) >= SEED_LEVEL) return false;
  convertLegacyWorkflows(db);
  convertLegacyOptions(db);
  writeSeedAdditions(db, seed);
  return true;
}

function writeSeedAdditions(db: Db, seed: SiteSeed): void {
  const sequence = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  for (const name of SEQUENCES) sequence.run(`seq:${name}`, String(seed.idBase));

  const status = db.prepare(`INSERT OR IGNORE INTO statuses VALUES (?, ?, ?, ?, ?)`);
  seed.statuses.forEach((s, i) => status.run(s.id, s.name, s.category, s.description, i));

  writeFields(db, seed);

  const linkType = db.prepare(`INSERT OR IGNORE INTO link_types VALUES (?, ?, ?, ?, ?)`);
  seed.linkTypes.forEach((l, i) => linkType.run(l.id, l.name, l.inward, l.outward, i));
  raiseSequence(db, 'linkType', Math.max(0, ...seed.linkTypes.map((l) => Number(l.id) + 1).filter(Number.isFinite)));

  const known = new Set((db.prepare('SELECT id FROM projects').all() as { id: string }[]).map((r) => r.id));
  seed.projects.forEach((p, i) => {
    if (!known.has(p.id)) writeProject(db, seed, p, i);
    else if (db.prepare('SELECT 1 FROM workflows WHERE project_id = ?').get(p.id) === undefined) writeWorkflow(db, seed, p);
  });
  writeSeedPermissions(db, seed);
  db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('seedLevel', ?)`).run(String(SEED_LEVEL));
}

function writeFields(db: Db, seed: SiteSeed): void {
  const field = db.prepare(`INSERT OR IGNORE INTO custom_fields VALUES (?, ?, ?, ?, ?)`);
  const context = db.prepare(`INSERT OR IGNORE INTO field_contexts VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const option = db.prepare(`INSERT OR IGNORE INTO field_options VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const hasContexts = db.prepare('SELECT 1 FROM field_contexts WHERE field_id = ?');
  const projectIds = new Map(seed.projects.map((p) => [p.key, p.id]));
  const typeIds = new Map(seed.issueTypes.map((t) => [t.name, t.id]));
  let highestOption = 0;
  seed.customFields.forEach((f, i) => {
    field.run(f.id, f.name, f.kind, f.description, i);
    // A field that already has contexts (an older database) keeps its own.
    const fresh = hasContexts.get(f.id) === undefined;
    f.contexts.forEach((c, j) => {
      const projects = c.projects.map((key) => required(projectIds, key, `project of context ${c.id}`));
      const types = c.issueTypes.map((name) => required(typeIds, name, `issue type of context ${c.id}`));
      if (fresh) context.run(c.id, f.id, c.name, c.description, JSON.stringify(projects), JSON.stringify(types), j);
      let position = 0;
      for (const o of c.options) {
        highestOption = Math.max(highestOption, Number(o.id));
        option.run(o.id, f.id, c.id, null, o.value, o.disabled ? 1 : 0, position++);
        for (const child of o.children) {
          highestOption = Math.max(highestOption, Number(child.id));
          option.run(child.id, f.id, c.id, o.id, child.value, child.disabled ? 1 : 0, position++);
        }
      }
    });
  });
  raiseSequence(db, 'option', highestOption + 1);
}

function writeProject(db: Db, seed: SiteSeed, p: ProjectSeed, position: number): void {
  const typeIdByName = new Map(seed.issueTypes.map((t) => [t.name, t.id]));
  const defaultTypeId = p.defaultIssueType === null ? null : required(typeIdByName, p.defaultIssueType, `issue type of ${p.key}`);
  db.prepare(`INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?, 1, ?)`).run(p.id, p.key, p.name, p.description, p.leadAccountId, defaultTypeId, position);
  const projectType = db.prepare(`INSERT INTO project_issue_types VALUES (?, ?, ?)`);
  const typeNames = p.issueTypes ?? seed.issueTypes.map((t) => t.name);
  typeNames.forEach((name, j) => projectType.run(p.id, required(typeIdByName, name, `issue type of ${p.key}`), j));
  writeWorkflow(db, seed, p);

  const take = db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ? RETURNING CAST(value AS INTEGER) - 1 AS id`);
  const nextId = (name: SequenceName): number => (take.get(`seq:${name}`) as { id: number }).id;
  const component = db.prepare(`INSERT INTO components VALUES (?, ?, ?, ?, ?, ?)`);
  for (const c of p.components) component.run(nextId('component'), p.id, c.name, c.description, c.lead, c.assigneeType);
  const version = db.prepare(`INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  p.versions.forEach((v, j) =>
    version.run(nextId('version'), p.id, v.name, v.description, v.archived ? 1 : 0, v.released ? 1 : 0, v.startDate, v.releaseDate, j + 1));
}

/**
 * A simplified workflow (a list of steps) becomes what Jira makes of one:
 * each status reachable from every other through its global transition,
 * numbered 11, 21, 31… A drawn workflow is written as drawn.
 */
function writeWorkflow(db: Db, seed: SiteSeed, p: ProjectSeed): void {
  const statusIdByName = new Map(seed.statuses.map((s) => [s.name, s.id]));
  const status = (name: string) => required(statusIdByName, name, `status of ${p.key}`);
  const workflow = db.prepare(`INSERT INTO workflows VALUES (?, ?, ?, ?, ?)`);
  const step = db.prepare(`INSERT INTO workflow_statuses VALUES (?, ?, ?)`);
  const transition = db.prepare(`INSERT INTO workflow_transitions VALUES (?, ?, ?, ?, ?, ?, ?)`);
  if (Array.isArray(p.workflow)) {
    const steps = p.workflow;
    workflow.run(p.id, simplifiedName(p.key), '', 1, status(steps[0]!.status));
    steps.forEach((s, j) => {
      step.run(p.id, status(s.status), j);
      transition.run(p.id, String((j + 1) * 10 + 1), s.transition, status(s.status), null, null, j);
    });
    return;
  }
  const drawn = p.workflow;
  const members = new Set(drawn.statuses);
  const member = (name: string): string => {
    if (!members.has(name)) throw new Error(`Workflow ${drawn.name} names a status it does not hold: ${name}`);
    return status(name);
  };
  workflow.run(p.id, drawn.name, drawn.description, 0, member(drawn.initial ?? drawn.statuses[0]!));
  drawn.statuses.forEach((name, j) => step.run(p.id, status(name), j));
  drawn.transitions.forEach((t, j) => {
    const from = t.from === 'any' ? null : JSON.stringify(t.from.map(member));
    transition.run(p.id, t.id, t.name, member(t.to), from, t.screen === undefined ? null : JSON.stringify(t.screen), j);
  });
}

const simplifiedName = (key: string): string => `Software Simplified Workflow for Project ${key}`;

/** Databases from before drawn workflows kept one global transition per status in `project_workflow`. */
function convertLegacyWorkflows(db: Db): void {
  if (!hasTable(db, 'project_workflow')) return;
  const rows = db.prepare('SELECT * FROM project_workflow ORDER BY project_id, position').all() as {
    project_id: string; status_id: string; position: number; transition_id: string; transition_name: string;
  }[];
  const projects = db.prepare('SELECT id, key FROM projects').all() as { id: string; key: string }[];
  for (const project of projects) {
    const steps = rows.filter((r) => r.project_id === project.id);
    if (steps.length === 0 || db.prepare('SELECT 1 FROM workflows WHERE project_id = ?').get(project.id)) continue;
    db.prepare(`INSERT INTO workflows VALUES (?, ?, ?, 1, ?)`).run(project.id, simplifiedName(project.key), '', steps[0]!.status_id);
    for (const s of steps) {
      db.prepare(`INSERT INTO workflow_statuses VALUES (?, ?, ?)`).run(project.id, s.status_id, s.position);
      db.prepare(`INSERT INTO workflow_transitions VALUES (?, ?, ?, ?, NULL, NULL, ?)`)
        .run(project.id, s.transition_id, s.transition_name, s.status_id, s.position);
    }
  }
}

/** Databases from before field contexts kept each field's options in `custom_field_options`. */
function convertLegacyOptions(db: Db): void {
  const fields = db.prepare('SELECT id, name FROM custom_fields').all() as { id: string; name: string }[];
  const legacy = hasTable(db, 'custom_field_options')
    ? db.prepare('SELECT id, field_id, value, position FROM custom_field_options ORDER BY position').all() as {
        id: string; field_id: string; value: string; position: number;
      }[]
    : [];
  for (const f of fields) {
    if (db.prepare('SELECT 1 FROM field_contexts WHERE field_id = ?').get(f.id)) continue;
    const contextId = String(Number(f.id.slice('customfield_'.length)) + 10000);
    db.prepare(`INSERT INTO field_contexts VALUES (?, ?, ?, ?, '[]', '[]', 0)`)
      .run(contextId, f.id, `Default Configuration Scheme for ${f.name}`, 'Default configuration scheme generated by Jira');
    for (const o of legacy.filter((row) => row.field_id === f.id)) {
      db.prepare(`INSERT OR IGNORE INTO field_options VALUES (?, ?, ?, NULL, ?, 0, ?)`).run(o.id, f.id, contextId, o.value, o.position);
    }
  }
}

/** Makes sure a sequence hands out nothing below `atLeast` (ids the seed gave out itself). */
function raiseSequence(db: Db, name: SequenceName, atLeast: number): void {
  db.prepare(`UPDATE meta SET value = ? WHERE key = ? AND CAST(value AS INTEGER) < ?`).run(String(atLeast), `seq:${name}`, atLeast);
}

/**
 * Writes who may do what: the permission scheme's grants, each person's
 * groups and each project's role members. Only what is missing is added, so
 * a database seeded before sites had permission schemes (or before some
 * permissions existed) gets them on open (see `site.ts`) without `--reset`.
 */
export function writeSeedPermissions(db: Db, seed: SiteSeed): void {
  const users = new Set(seed.users.map((u) => u.accountId));
  const person = (accountId: string, what: string): string => {
    if (!users.has(accountId)) throw new Error(`Seed names an unknown person as ${what}: ${accountId}`);
    return accountId;
  };
  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('permissionScheme', seed.permissionScheme.name);

  const grant = db.prepare('INSERT OR IGNORE INTO permission_grants VALUES (?, ?, ?)');
  for (const { permission, holders } of seed.permissionScheme.grants) {
    for (const holder of holders) {
      if ('projectRole' in holder) grant.run(permission, 'projectRole', holder.projectRole);
      else grant.run(permission, 'group', holder.group);
    }
  }
  const group = db.prepare('INSERT OR IGNORE INTO user_groups VALUES (?, ?)');
  for (const u of seed.users) for (const name of u.groups) group.run(u.accountId, name);

  const role = db.prepare('INSERT OR IGNORE INTO project_roles VALUES (?, ?, ?)');
  for (const p of seed.projects) {
    for (const [name, members] of Object.entries(p.roles)) {
      for (const accountId of members) role.run(p.id, name, person(accountId, `${name} of ${p.key}`));
    }
  }
  meta.run('permissionsSeeded', '1');
}

export function hasPermissions(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM meta WHERE key = 'permissionsSeeded'`).get() !== undefined;
}

export function markSeeded(db: Db): void {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('seeded', '1')`).run();
}

function required(map: Map<string, string>, name: string, what: string): string {
  const id = map.get(name);
  if (id === undefined) throw new Error(`Seed names an unknown ${what}: ${name}`);
  return id;
}
