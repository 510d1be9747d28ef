// Who holds which permission, read once when the site opens (the REST API
// offers no way to change schemes, roles or groups, so they live in memory).
//
// Evaluated as Jira does: a project permission is held when the scheme grants
// it to a group the person is in or to a project role they play in that
// project. Administer Jira is held by the site admins. Apps are the exception
// Jira makes too: a Forge app's account plays the app role
// (`atlassian-addons-project-access`) in every project, which holds every
// project permission, but is never a Jira admin.
import type { Catalog, ProjectRecord, UserRecord } from '../catalog';
import type { Db } from '../db/schema';
import { isProjectPermission, type PermissionKey, type ProjectPermissionKey } from './definitions';

/** The group Jira Cloud puts site admins in. */
export const SITE_ADMINS_GROUP = 'site-admins';

interface GrantRow {
  permission: string;
  holder_type: string;
  holder: string;
}
interface RoleRow {
  project_id: string;
  role: string;
  account_id: string;
}
interface GroupRow {
  account_id: string;
  group_name: string;
}

interface Grant {
  roles: Set<string>;
  groups: Set<string>;
}

export class PermissionScheme {
  private readonly grants = new Map<string, Grant>();
  /** project id → account id → roles played there. */
  private readonly roles = new Map<string, Map<string, Set<string>>>();
  private readonly groups = new Map<string, Set<string>>();

  constructor(
    private readonly catalog: Catalog,
    readonly name: string,
    rows: { grants: GrantRow[]; roles: RoleRow[]; groups: GroupRow[] },
  ) {
    for (const row of rows.grants) {
      const grant = this.grants.get(row.permission) ?? { roles: new Set<string>(), groups: new Set<string>() };
      (row.holder_type === 'group' ? grant.groups : grant.roles).add(row.holder);
      this.grants.set(row.permission, grant);
    }
    for (const row of rows.roles) {
      const byPerson = this.roles.get(row.project_id) ?? new Map<string, Set<string>>();
      byPerson.set(row.account_id, (byPerson.get(row.account_id) ?? new Set<string>()).add(row.role));
      this.roles.set(row.project_id, byPerson);
    }
    for (const row of rows.groups) {
      this.groups.set(row.account_id, (this.groups.get(row.account_id) ?? new Set<string>()).add(row.group_name));
    }
  }

  static read(db: Db, catalog: Catalog): PermissionScheme {
    const name = (db.prepare(`SELECT value FROM meta WHERE key = 'permissionScheme'`).get() as { value: string } | undefined)?.value;
    return new PermissionScheme(catalog, name ?? 'Default Permission Scheme', {
      grants: db.prepare('SELECT permission, holder_type, holder FROM permission_grants').all() as GrantRow[],
      roles: db.prepare('SELECT project_id, role, account_id FROM project_roles').all() as RoleRow[],
      groups: db.prepare('SELECT account_id, group_name FROM user_groups').all() as GroupRow[],
    });
  }

  /** Whether `accountId` holds `key`: in `project` for project permissions (ignored for global ones). */
  holds(accountId: string, key: PermissionKey, project: ProjectRecord): boolean {
    const user = this.catalog.user(accountId);
    if (!user?.active) return false;
    if (!isProjectPermission(key)) return this.holdsGlobal(user);
    if (user.accountType === 'app') return true;
    return this.granted(user, key, project);
  }

  /** Whether `accountId` holds the global permission Administer Jira. */
  isJiraAdmin(accountId: string): boolean {
    const user = this.catalog.user(accountId);
    return user?.active === true && this.holdsGlobal(user);
  }

  /** The projects where `accountId` holds `key`, in the site's order. */
  projectsWith(accountId: string, key: ProjectPermissionKey): ProjectRecord[] {
    return this.catalog.projects.filter((p) => this.holds(accountId, key, p));
  }

  /** Everyone holding `key` in `project`, in the site's order of people. */
  holders(key: ProjectPermissionKey, project: ProjectRecord): UserRecord[] {
    return this.catalog.users.filter((u) => this.holds(u.accountId, key, project));
  }

  private holdsGlobal(user: UserRecord): boolean {
    return user.accountType === 'atlassian' && user.siteAdmin;
  }

  private granted(user: UserRecord, key: ProjectPermissionKey, project: ProjectRecord): boolean {
    const grant = this.grants.get(key);
    if (!grant) return false;
    for (const group of this.groupsOf(user)) if (grant.groups.has(group)) return true;
    for (const role of this.roles.get(project.id)?.get(user.accountId) ?? []) if (grant.roles.has(role)) return true;
    return false;
  }

  private groupsOf(user: UserRecord): Set<string> {
    const groups = new Set(this.groups.get(user.accountId) ?? []);
    if (user.siteAdmin) groups.add(SITE_ADMINS_GROUP);
    return groups;
  }
}
