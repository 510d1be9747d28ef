// The site's metadata (people, projects, workflows, types, priorities, fields),
// read once when the site opens. The REST API offers no way to change it, so
// requests look it up in memory instead of querying SQLite every time.
import type { Db } from './db/schema';
import type { CustomFieldKind, StatusCategoryKey } from './seed-schema';

export interface UserRecord {
  accountId: string;
  displayName: string;
  email: string | null;
  emailVisible: boolean;
  accountType: 'atlassian' | 'app';
  active: boolean;
  timeZone: string;
  siteAdmin: boolean;
}

export interface StatusRecord {
  id: string;
  name: string;
  category: StatusCategoryKey;
  description: string;
}

export interface IssueTypeRecord {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
  avatarId: number;
}

export interface PriorityRecord {
  id: string;
  name: string;
  description: string;
  statusColor: string;
  isDefault: boolean;
}

export interface ResolutionRecord {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
}

export interface CustomFieldRecord {
  id: string;
  /** The number in `customfield_NNNNN`, as JQL's `cf[NNNNN]` names it. */
  numericId: number;
  name: string;
  kind: CustomFieldKind;
  description: string;
  options: { id: string; value: string }[];
}

export interface LinkTypeRecord {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

export interface WorkflowStep {
  status: StatusRecord;
  transitionId: string;
  transitionName: string;
}

export interface ProjectRecord {
  id: string;
  key: string;
  name: string;
  description: string;
  leadAccountId: string;
  defaultIssueTypeId: string | null;
  /** Scheme order, with the default type (if any) first. */
  issueTypes: IssueTypeRecord[];
  workflow: WorkflowStep[];
}

export interface SiteInfo {
  cloudId: string;
  serverTitle: string;
  appAccountId: string;
  adminAccountId: string;
  attachmentMaxBytes: number;
}

export class Catalog {
  readonly site: SiteInfo;
  readonly users: UserRecord[];
  readonly statuses: StatusRecord[];
  readonly issueTypes: IssueTypeRecord[];
  readonly priorities: PriorityRecord[];
  readonly resolutions: ResolutionRecord[];
  readonly customFields: CustomFieldRecord[];
  readonly linkTypes: LinkTypeRecord[];
  readonly projects: ProjectRecord[];

  private readonly userById: Map<string, UserRecord>;
  private readonly userByEmail: Map<string, UserRecord>;
  private readonly projectById: Map<string, ProjectRecord>;
  private readonly projectByKey: Map<string, ProjectRecord>;

  constructor(db: Db) {
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    const metaValue = (key: string): string => {
      const value = meta.get(key);
      if (value === undefined) throw new Error(`Site database lacks ${key}`);
      return value;
    };
    this.site = {
      cloudId: metaValue('cloudId'),
      serverTitle: metaValue('serverTitle'),
      appAccountId: metaValue('appAccountId'),
      adminAccountId: metaValue('adminAccountId'),
      attachmentMaxBytes: Number(metaValue('attachmentMaxBytes')),
    };

    this.users = (db.prepare('SELECT * FROM users ORDER BY position').all() as Record<string, unknown>[]).map((r) => ({
      accountId: String(r.account_id),
      displayName: String(r.display_name),
      email: r.email === null ? null : String(r.email),
      emailVisible: r.email_visible === 1,
      accountType: r.account_type === 'app' ? 'app' : 'atlassian',
      active: r.active === 1,
      timeZone: String(r.time_zone),
      siteAdmin: r.site_admin === 1,
    }));
    this.statuses = (db.prepare('SELECT * FROM statuses ORDER BY position').all() as Record<string, unknown>[]).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      category: r.category as StatusCategoryKey,
      description: String(r.description),
    }));
    this.issueTypes = (db.prepare('SELECT * FROM issue_types ORDER BY position').all() as Record<string, unknown>[]).map(
      (r) => ({
        id: String(r.id),
        name: String(r.name),
        description: String(r.description),
        subtask: r.subtask === 1,
        hierarchyLevel: Number(r.hierarchy_level),
        avatarId: Number(r.avatar_id),
      }),
    );
    this.priorities = (db.prepare('SELECT * FROM priorities ORDER BY position').all() as Record<string, unknown>[]).map(
      (r) => ({
        id: String(r.id),
        name: String(r.name),
        description: String(r.description),
        statusColor: String(r.status_color),
        isDefault: r.is_default === 1,
      }),
    );
    this.resolutions = (db.prepare('SELECT * FROM resolutions ORDER BY position').all() as Record<string, unknown>[]).map(
      (r) => ({ id: String(r.id), name: String(r.name), description: String(r.description), isDefault: r.is_default === 1 }),
    );
    const options = db.prepare('SELECT id, value FROM custom_field_options WHERE field_id = ? ORDER BY position');
    this.customFields = (db.prepare('SELECT * FROM custom_fields ORDER BY position').all() as Record<string, unknown>[]).map(
      (r) => ({
        id: String(r.id),
        numericId: Number(String(r.id).slice('customfield_'.length)),
        name: String(r.name),
        kind: r.kind as CustomFieldKind,
        description: String(r.description),
        options: options.all(String(r.id)) as { id: string; value: string }[],
      }),
    );
    this.linkTypes = db.prepare('SELECT id, name, inward, outward FROM link_types ORDER BY position').all() as LinkTypeRecord[];

    const typeById = new Map(this.issueTypes.map((t) => [t.id, t]));
    const statusById = new Map(this.statuses.map((s) => [s.id, s]));
    const projectTypes = db.prepare('SELECT issue_type_id FROM project_issue_types WHERE project_id = ? ORDER BY position');
    const workflow = db.prepare('SELECT * FROM project_workflow WHERE project_id = ? ORDER BY position');
    this.projects = (db.prepare('SELECT * FROM projects ORDER BY position').all() as Record<string, unknown>[]).map((r) => {
      const id = String(r.id);
      const defaultIssueTypeId = r.default_issue_type_id === null ? null : String(r.default_issue_type_id);
      const types = (projectTypes.all(id) as { issue_type_id: string }[]).map((t) => mustGet(typeById, t.issue_type_id));
      types.sort((a, b) => Number(b.id === defaultIssueTypeId) - Number(a.id === defaultIssueTypeId));
      return {
        id,
        key: String(r.key),
        name: String(r.name),
        description: String(r.description),
        leadAccountId: String(r.lead_account_id),
        defaultIssueTypeId,
        issueTypes: types,
        workflow: (workflow.all(id) as Record<string, unknown>[]).map((w) => ({
          status: mustGet(statusById, String(w.status_id)),
          transitionId: String(w.transition_id),
          transitionName: String(w.transition_name),
        })),
      };
    });

    this.userById = new Map(this.users.map((u) => [u.accountId, u]));
    this.userByEmail = new Map(this.users.filter((u) => u.email).map((u) => [String(u.email).toLowerCase(), u]));
    this.projectById = new Map(this.projects.map((p) => [p.id, p]));
    this.projectByKey = new Map(this.projects.map((p) => [p.key, p]));
  }

  user(accountId: string): UserRecord | undefined {
    return this.userById.get(accountId);
  }

  /** Looks up by email whether or not the person shows it, as Jira's own sign-in does. */
  userByEmailAddress(email: string): UserRecord | undefined {
    return this.userByEmail.get(email.toLowerCase());
  }

  project(idOrKey: string): ProjectRecord | undefined {
    return this.projectById.get(idOrKey) ?? this.projectByKey.get(idOrKey.toUpperCase());
  }

  projectWithId(id: string): ProjectRecord {
    return mustGet(this.projectById, id);
  }

  issueType(id: string): IssueTypeRecord | undefined {
    return this.issueTypes.find((t) => t.id === id);
  }

  status(id: string): StatusRecord | undefined {
    return this.statuses.find((s) => s.id === id);
  }

  priority(id: string): PriorityRecord | undefined {
    return this.priorities.find((p) => p.id === id);
  }

  defaultPriority(): PriorityRecord | undefined {
    return this.priorities.find((p) => p.isDefault);
  }

  resolution(id: string): ResolutionRecord | undefined {
    return this.resolutions.find((r) => r.id === id);
  }

  customField(id: string): CustomFieldRecord | undefined {
    return this.customFields.find((f) => f.id === id);
  }

  linkType(id: string): LinkTypeRecord | undefined {
    return this.linkTypes.find((l) => l.id === id);
  }
}

function mustGet<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Site database is inconsistent: no ${String(key)}`);
  return value;
}
