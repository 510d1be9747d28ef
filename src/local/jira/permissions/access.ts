// What one caller may see and do, for the length of one request. Every REST
// operation asks here before it reads or writes, so a person sees only the
// projects their roles reach and the app (its account plays the app role
// everywhere) sees everything, with no special case for either.
import type { Catalog, ProjectRecord } from '../catalog';
import type { IssueRow, IssueStore } from '../store/issues';
import type { PermissionKey } from './definitions';
import type { PermissionScheme } from './scheme';

export class Access {
  private browsable: Set<string> | undefined;

  constructor(
    private readonly scheme: PermissionScheme,
    private readonly catalog: Catalog,
    private readonly issues: IssueStore,
    /** Who is asking: a person, or the app's own account for the app's calls. */
    readonly accountId: string,
  ) {}

  /** Whether the caller holds `key` in `project` (global permissions ignore the project). */
  has(key: PermissionKey, project: ProjectRecord): boolean {
    if (key === 'BROWSE_PROJECTS') return this.canBrowse(project);
    return this.scheme.holds(this.accountId, key, project);
  }

  /** Administer Jira, the global permission of Jira admins. */
  isJiraAdmin(): boolean {
    return this.scheme.isJiraAdmin(this.accountId);
  }

  /** Whether the caller holds `key` in at least one project. */
  hasAnywhere(key: PermissionKey): boolean {
    return this.catalog.projects.some((p) => this.has(key, p));
  }

  canBrowse(project: ProjectRecord): boolean {
    // Search asks this for thousands of issues, so the answer is kept per request.
    this.browsable ??= new Set(this.scheme.projectsWith(this.accountId, 'BROWSE_PROJECTS').map((p) => p.id));
    return this.browsable.has(project.id);
  }

  canSee(issue: Pick<IssueRow, 'projectId'>): boolean {
    const project = this.catalog.project(issue.projectId);
    return project !== undefined && this.canBrowse(project);
  }

  /**
   * The issue named by id or key when it exists and the caller may see it.
   * A hidden issue is answered exactly like a missing one, as Jira does, so
   * nobody learns that a key exists in a project they cannot browse.
   */
  issue(ref: string | undefined): IssueRow | undefined {
    const issue = ref ? this.issues.find(ref) : undefined;
    return issue && this.canSee(issue) ? issue : undefined;
  }

  /** The project named by id or key when it exists and the caller may browse it. */
  project(ref: string | undefined): ProjectRecord | undefined {
    const project = ref ? this.catalog.project(ref) : undefined;
    return project && this.canBrowse(project) ? project : undefined;
  }

  /** The project an issue is in (an issue row always names an existing project). */
  projectOf(issue: Pick<IssueRow, 'projectId'>): ProjectRecord {
    return this.catalog.projectWithId(issue.projectId);
  }

  /** How Jira addresses the caller in its messages. */
  displayName(): string {
    return this.catalog.user(this.accountId)?.displayName ?? this.accountId;
  }
}
