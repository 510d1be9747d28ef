// The site's metadata (people, projects, workflows, types, priorities, fields),
// read when the site opens, so requests look it up in memory instead of
// querying SQLite every time. Most of it the REST API offers no way to change;
// what it can change (custom field options, link types) is read again after
// each such change.
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

export interface FieldOptionRecord {
  id: string;
  value: string;
  disabled: boolean;
  /** The parent option of a cascading select's second-level option; null at the first level. */
  parentId: string | null;
}

export interface FieldContextRecord {
  id: string;
  fieldId: string;
  name: string;
  description: string;
  /** Projects the context applies to; empty for a global context. */
  projectIds: string[];
  /** Issue types it applies to; empty for any issue type. */
  issueTypeIds: string[];
  /** First-level options first, then second-level ones, each in display order. */
  options: FieldOptionRecord[];
}

export interface CustomFieldRecord {
  id: string;
  /** The number in `customfield_NNNNN`, as JQL's `cf[NNNNN]` names it. */
  numericId: number;
  name: string;
  kind: CustomFieldKind;
  description: string;
  contexts: FieldContextRecord[];
}

export interface LinkTypeRecord {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

/** A field on a transition's screen. */
export interface ScreenFieldRecord {
  field: string;
  required: boolean;
}

export interface TransitionRecord {
  id: string;
  name: string;
  to: StatusRecord;
  /** Statuses it leaves from; null for a global transition, available from every other status. */
  from: StatusRecord[] | null;
  /** The fields its screen shows; null when the transition has no screen. */
  screen: ScreenFieldRecord[] | null;
}

export interface WorkflowRecord {
  name: string;
  description: string;
  /**
   * A simplified workflow (global transitions into every status, as Jira
   * makes for a status list) takes any editable field on a transition, as
   * this emulator always has; a drawn one only the fields on the transition's screen.
   */
  simplified: boolean;
  /** Where new issues start. */
  initial: StatusRecord;
  /** In workflow order. */
  statuses: StatusRecord[];
  transitions: TransitionRecord[];
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
  workflow: WorkflowRecord;
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
  /** Custom fields, their contexts and options, and link types change through the REST API: see `reloadFields` and `reloadLinkTypes`. */
  customFields: CustomFieldRecord[] = [];
  linkTypes: LinkTypeRecord[] = [];
  readonly projects: ProjectRecord[];

  private readonly userById: Map<string, UserRecord>;
  private readonly userByEmail: Map<string, UserRecord>;
  private readonly projectById: Map<string, ProjectRecord>;
  private readonly projectByKey: Map<string, ProjectRecord>;

  private optionById = new Map<string, { field: CustomFieldRecord; context: FieldContextRecord; option: FieldOptionRecord }>();

  constructor(private readonly db: Db) {
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
    this.reloadFields();
    this.reloadLinkTypes();

    const typeById = new Map(this.issueTypes.map((t) => [t.id, t]));
    const statusById = new Map(this.statuses.map((s) => [s.id, s]));
    const projectTypes = db.prepare('SELECT issue_type_id FROM project_issue_types WHERE project_id = ? ORDER BY position');
    const workflow = db.prepare('SELECT * FROM workflows WHERE project_id = ?');
    const steps = db.prepare('SELECT status_id FROM workflow_statuses WHERE project_id = ? ORDER BY position');
    const transitions = db.prepare('SELECT * FROM workflow_transitions WHERE project_id = ? ORDER BY position');
    const readWorkflow = (projectId: string): WorkflowRecord => {
      const row = workflow.get(projectId) as Record<string, unknown> | undefined;
      if (!row) throw new Error(`Site database is inconsistent: project ${projectId} has no workflow`);
      const status = (id: unknown) => mustGet(statusById, String(id));
      return {
        name: String(row.name),
        description: String(row.description),
        simplified: row.simplified === 1,
        initial: status(row.initial_status_id),
        statuses: (steps.all(projectId) as { status_id: string }[]).map((r) => status(r.status_id)),
        transitions: (transitions.all(projectId) as Record<string, unknown>[]).map((t) => ({
          id: String(t.id),
          name: String(t.name),
          to: status(t.to_status_id),
          from: t.from_status_ids === null ? null : (JSON.parse(String(t.from_status_ids)) as string[]).map(status),
          screen: t.screen === null ? null : (JSON.parse(String(t.screen)) as ScreenFieldRecord[]),
        })),
      };
    };
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
        workflow: readWorkflow(id),
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

  /** A custom field option by id (ids are unique across the site), with its field and context. */
  fieldOption(id: string): { field: CustomFieldRecord; context: FieldContextRecord; option: FieldOptionRecord } | undefined {
    return this.optionById.get(id);
  }

  /**
   * The context that applies to an issue of `projectId` and `issueTypeId`:
   * one naming the project wins over a global one, as in Jira.
   */
  contextFor(field: CustomFieldRecord, projectId: string, issueTypeId: string): FieldContextRecord | undefined {
    const fits = (c: FieldContextRecord) => c.issueTypeIds.length === 0 || c.issueTypeIds.includes(issueTypeId);
    return (
      field.contexts.find((c) => c.projectIds.includes(projectId) && fits(c)) ??
      field.contexts.find((c) => c.projectIds.length === 0 && fits(c))
    );
  }

  /** Re-reads custom fields, contexts and options after the REST API changed them. */
  reloadFields(): void {
    const contexts = this.db.prepare('SELECT * FROM field_contexts WHERE field_id = ? ORDER BY position, id');
    const options = this.db.prepare(
      'SELECT * FROM field_options WHERE context_id = ? ORDER BY parent_id IS NOT NULL, position, id',
    );
    this.customFields = (this.db.prepare('SELECT * FROM custom_fields ORDER BY position').all() as Record<string, unknown>[]).map(
      (r) => ({
        id: String(r.id),
        numericId: Number(String(r.id).slice('customfield_'.length)),
        name: String(r.name),
        kind: r.kind as CustomFieldKind,
        description: String(r.description),
        contexts: (contexts.all(String(r.id)) as Record<string, unknown>[]).map((c) => ({
          id: String(c.id),
          fieldId: String(r.id),
          name: String(c.name),
          description: String(c.description),
          projectIds: JSON.parse(String(c.project_ids)) as string[],
          issueTypeIds: JSON.parse(String(c.issue_type_ids)) as string[],
          options: (options.all(String(c.id)) as Record<string, unknown>[]).map((o) => ({
            id: String(o.id),
            value: String(o.value),
            disabled: o.disabled === 1,
            parentId: o.parent_id === null ? null : String(o.parent_id),
          })),
        })),
      }),
    );
    this.optionById = new Map(
      this.customFields.flatMap((field) =>
        field.contexts.flatMap((context) => context.options.map((option) => [option.id, { field, context, option }] as const))),
    );
  }

  /** Re-reads issue link types after the REST API changed them. */
  reloadLinkTypes(): void {
    this.linkTypes = this.db.prepare('SELECT id, name, inward, outward FROM link_types ORDER BY position, id').all() as LinkTypeRecord[];
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
