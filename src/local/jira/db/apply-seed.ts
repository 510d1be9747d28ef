// Writes a seed's metadata (people, projects, workflows, types, fields) into
// an empty database. Seed issues are created afterwards through the stores.
import type { Db } from './schema';
import type { SiteSeed } from '../seed-schema';

export const SEQUENCES = ['issue', 'comment', 'attachment', 'link', 'remoteLink', 'changelog'] as const;
export type SequenceName = (typeof SEQUENCES)[number];

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
  for (const name of SEQUENCES) meta.run(`seq:${name}`, String(seed.idBase));

  const user = db.prepare(`INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  seed.users.forEach((u, i) =>
    user.run(u.accountId, u.displayName, u.email, u.emailVisible ? 1 : 0, u.accountType, u.active ? 1 : 0, u.timeZone, u.siteAdmin ? 1 : 0, i));

  const status = db.prepare(`INSERT INTO statuses VALUES (?, ?, ?, ?, ?)`);
  seed.statuses.forEach((s, i) => status.run(s.id, s.name, s.category, s.description, i));

  const type = db.prepare(`INSERT INTO issue_types VALUES (?, ?, ?, ?, ?, ?, ?)`);
  seed.issueTypes.forEach((t, i) => type.run(t.id, t.name, t.description, t.subtask ? 1 : 0, t.hierarchyLevel, t.avatarId, i));

  const priority = db.prepare(`INSERT INTO priorities VALUES (?, ?, ?, ?, ?, ?)`);
  seed.priorities.forEach((p, i) => priority.run(p.id, p.name, p.description, p.statusColor, p.isDefault ? 1 : 0, i));

  const resolution = db.prepare(`INSERT INTO resolutions VALUES (?, ?, ?, ?, ?)`);
  seed.resolutions.forEach((r, i) => resolution.run(r.id, r.name, r.description, r.isDefault ? 1 : 0, i));

  const field = db.prepare(`INSERT INTO custom_fields VALUES (?, ?, ?, ?, ?)`);
  const option = db.prepare(`INSERT INTO custom_field_options VALUES (?, ?, ?, ?)`);
  seed.customFields.forEach((f, i) => {
    field.run(f.id, f.name, f.kind, f.description, i);
    f.options.forEach((o, j) => option.run(o.id, f.id, o.value, j));
  });

  const linkType = db.prepare(`INSERT INTO link_types VALUES (?, ?, ?, ?, ?)`);
  seed.linkTypes.forEach((l, i) => linkType.run(l.id, l.name, l.inward, l.outward, i));

  const typeIdByName = new Map(seed.issueTypes.map((t) => [t.name, t.id]));
  const statusIdByName = new Map(seed.statuses.map((s) => [s.name, s.id]));
  const project = db.prepare(`INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?, 1, ?)`);
  const projectType = db.prepare(`INSERT INTO project_issue_types VALUES (?, ?, ?)`);
  const step = db.prepare(`INSERT INTO project_workflow VALUES (?, ?, ?, ?, ?)`);
  seed.projects.forEach((p, i) => {
    const defaultTypeId = p.defaultIssueType === null ? null : required(typeIdByName, p.defaultIssueType, `issue type of ${p.key}`);
    project.run(p.id, p.key, p.name, p.description, p.leadAccountId, defaultTypeId, i);
    const typeNames = p.issueTypes ?? seed.issueTypes.map((t) => t.name);
    typeNames.forEach((name, j) => projectType.run(p.id, required(typeIdByName, name, `issue type of ${p.key}`), j));
    // Jira numbers the transitions of a simplified workflow 11, 21, 31, …
    p.workflow.forEach((s, j) =>
      step.run(p.id, required(statusIdByName, s.status, `status of ${p.key}`), j, String((j + 1) * 10 + 1), s.transition));
  });
  writeSeedPermissions(db, seed);
}

/**
 * Writes who may do what: the permission scheme's grants, each person's
 * groups and each project's role members. A database seeded before sites had
 * permission schemes gets them on open (see `site.ts`), so existing local
 * data keeps working without `--reset`.
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
