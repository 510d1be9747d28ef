// The shape of a site's initial content. Seeds come from configuration as
// well as from code, so they are parsed like any other boundary input.
import { z } from 'zod';
import { PROJECT_PERMISSION_KEYS } from './permissions/definitions';

export const StatusCategoryKeySchema = z.enum(['new', 'indeterminate', 'done']);
export type StatusCategoryKey = z.infer<typeof StatusCategoryKeySchema>;

export const UserSeedSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string().min(1),
  email: z.string().email().nullable().default(null),
  /** Jira Cloud lets a person hide their email: `emailAddress` is then left out of user objects. */
  emailVisible: z.boolean().default(true),
  accountType: z.enum(['atlassian', 'app']).default('atlassian'),
  active: z.boolean().default(true),
  timeZone: z.string().default('Etc/UTC'),
  /** Holds Administer Jira and belongs to the `site-admins` group, as Jira Cloud's site admins do. */
  siteAdmin: z.boolean().default(false),
  /** Groups the person belongs to besides `site-admins`; permission schemes can grant to them. */
  groups: z.array(z.string().min(1)).default([]),
});

export const StatusSeedSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: StatusCategoryKeySchema,
  description: z.string().default(''),
});

export const IssueTypeSeedSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  subtask: z.boolean().default(false),
  /** Jira's hierarchy: -1 sub-task, 0 standard, 1 epic. */
  hierarchyLevel: z.number().int().default(0),
  avatarId: z.number().int(),
});

export const PrioritySeedSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  statusColor: z.string(),
  isDefault: z.boolean().default(false),
});

export const ResolutionSeedSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  isDefault: z.boolean().default(false),
});

export const CustomFieldKindSchema = z.enum(['text', 'textarea', 'number', 'select', 'user', 'labels']);
export type CustomFieldKind = z.infer<typeof CustomFieldKindSchema>;

export const CustomFieldSeedSchema = z.object({
  id: z.string().regex(/^customfield_\d+$/),
  name: z.string(),
  kind: CustomFieldKindSchema,
  description: z.string().default(''),
  options: z.array(z.object({ id: z.string(), value: z.string() })).default([]),
});

export const LinkTypeSeedSchema = z.object({
  id: z.string(),
  name: z.string(),
  inward: z.string(),
  outward: z.string(),
});

export const WorkflowStepSeedSchema = z.object({
  status: z.string(),
  /** Name of the global transition that leads into this status (any status can reach it). */
  transition: z.string(),
});

export const ProjectSeedSchema = z.object({
  id: z.string(),
  key: z.string().regex(/^[A-Z][A-Z0-9]+$/),
  name: z.string(),
  description: z.string().default(''),
  leadAccountId: z.string(),
  /** Issue type names offered in the project, in scheme order; all of the site's types when absent. */
  issueTypes: z.array(z.string()).optional(),
  /** The issue type scheme's default type, by name; null when the scheme sets none. */
  defaultIssueType: z.string().nullable().default(null),
  /** Statuses in workflow order; the first is where new issues start. */
  workflow: z.array(WorkflowStepSeedSchema).min(1),
  /**
   * Who plays which project role here (role name → account ids). The site's
   * permission scheme grants permissions to roles, so this decides what each
   * person may do in this project.
   */
  roles: z.record(z.string().min(1), z.array(z.string())).default({}),
});

/** Who a scheme grants a permission to: everyone in a project role, or everyone in a group. */
export const GrantHolderSeedSchema = z.union([
  z.object({ projectRole: z.string().min(1) }).strict(),
  z.object({ group: z.string().min(1) }).strict(),
]);
export type GrantHolderSeed = z.infer<typeof GrantHolderSeedSchema>;

/**
 * A permission scheme, as Jira's: each project permission is granted to
 * project roles and groups. One scheme serves every project of the site (as
 * Jira's default scheme does); projects differ by who plays which role.
 */
export const PermissionSchemeSeedSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  grants: z.array(z.object({
    permission: z.enum(PROJECT_PERMISSION_KEYS),
    holders: z.array(GrantHolderSeedSchema).min(1),
  })),
});

export const CommentSeedSchema = z.object({
  author: z.string(),
  text: z.string(),
  internal: z.boolean().default(false),
});

export const IssueSeedSchema = z.object({
  project: z.string(),
  type: z.string(),
  summary: z.string(),
  description: z.string().nullable().default(null),
  status: z.string().optional(),
  priority: z.string().optional(),
  labels: z.array(z.string()).default([]),
  assignee: z.string().nullable().default(null),
  reporter: z.string(),
  dueDate: z.string().nullable().default(null),
  comments: z.array(CommentSeedSchema).default([]),
});

export const SiteSeedSchema = z.object({
  cloudId: z.string().uuid(),
  serverTitle: z.string(),
  /** First id handed out for issues, comments, attachments and links, so ids differ between sites. */
  idBase: z.number().int().positive(),
  appAccountId: z.string(),
  adminAccountId: z.string(),
  /** Largest attachment accepted, in bytes (Jira answers 413 above it). */
  attachmentMaxBytes: z.number().int().positive().default(100 * 1024 * 1024),
  users: z.array(UserSeedSchema),
  statuses: z.array(StatusSeedSchema),
  issueTypes: z.array(IssueTypeSeedSchema),
  priorities: z.array(PrioritySeedSchema),
  resolutions: z.array(ResolutionSeedSchema),
  customFields: z.array(CustomFieldSeedSchema),
  linkTypes: z.array(LinkTypeSeedSchema),
  permissionScheme: PermissionSchemeSeedSchema,
  projects: z.array(ProjectSeedSchema),
  issues: z.array(IssueSeedSchema),
});

export type SiteSeed = z.infer<typeof SiteSeedSchema>;
export type SiteSeedInput = z.input<typeof SiteSeedSchema>;
