import { z } from 'zod';

/*
 * The Visual-mode mapping document: one per connection, the same JSON on both
 * sides, edited for both sides from either side. The two sides are named by
 * their role in the connection, so the document reads the same everywhere:
 * `inviter` issued the invitation, `invitee` accepted it (a connection record
 * knows which it is: `record.inviter`).
 *
 * {
 *   v: 1,
 *   version: 3,                          // bumped by every publish; the newer document wins
 *   scope: {
 *     inviter: { projectKey: 'UD', filters: [{ field: 'labels', values: ['new-features'] }] },
 *     invitee: { projectKey: 'SC', filters: [] },
 *   },                                   // values in one filter are OR-ed, filters are AND-ed
 *   sync: { toInvitee: 'automatic', toInviter: 'manual' },   // 'manual' | 'automatic' | 'disabled'
 *   mappings: [
 *     { id: 'summary', field: 'summary', direction: 'both' },             // 'toInvitee' (→) | 'toInviter' (←) | 'both' (↔)
 *     { id: 'status', field: 'status', direction: 'both',
 *       values: [{ inviter: 'To Do', invitee: 'Open' }],
 *       ifNoMatch: { action: 'default', inviter: 'To Do', invitee: 'Open' } },  // or { action: 'nothing' } | { action: 'error' }
 *     { id: 'users', field: 'assignee', direction: 'both',
 *       users: { fallback: { inviter: 'ava@blue.example.com', invitee: null } } },  // matched by email, else the fallback
 *     { id: 'sp', field: 'customField', direction: 'toInvitee',
 *       customField: { type: 'text', inviter: 'Notes', invitee: 'Notes' } },  // 'text' | 'select' | 'user'
 *   ],
 * }
 *
 * Filter fields: labels, issueType, status, priority (exact names), summary,
 * description (contains, case-insensitive), assignee, reporter (email,
 * display name or account id). Mapping fields: summary, description,
 * comments, attachments, labels, status, priority, issueType, assignee,
 * reporter, customField. `values` and `ifNoMatch` apply to status, priority,
 * issueType and select custom fields; `users` to assignee, reporter and user
 * custom fields.
 */

export const VisualSide = z.enum(['inviter', 'invitee']);
export type VisualSide = z.infer<typeof VisualSide>;

export const SyncMethod = z.enum(['manual', 'automatic', 'disabled']);
export type SyncMethod = z.infer<typeof SyncMethod>;

export const MappingDirection = z.enum(['toInvitee', 'toInviter', 'both']);
export type MappingDirection = z.infer<typeof MappingDirection>;

export const FilterField = z.enum(['labels', 'issueType', 'status', 'priority', 'summary', 'description', 'assignee', 'reporter']);
export type FilterField = z.infer<typeof FilterField>;

export const ScopeFilter = z.object({ field: FilterField, values: z.array(z.string().trim().min(1)).min(1, 'needs at least one value') });
export type ScopeFilter = z.infer<typeof ScopeFilter>;

export const SideScope = z.object({ projectKey: z.string().trim().min(1, 'is required'), filters: z.array(ScopeFilter).default([]) });
export type SideScope = z.infer<typeof SideScope>;

export const MappedField = z.enum(['summary', 'description', 'comments', 'attachments', 'labels', 'status', 'priority', 'issueType', 'assignee', 'reporter', 'customField', 'components', 'fixVersions', 'worklogs', 'issueLinks']);
export type MappedField = z.infer<typeof MappedField>;

export const ValuePair = z.object({ inviter: z.string().min(1), invitee: z.string().min(1) });

export const IfNoMatch = z.discriminatedUnion('action', [
  z.object({ action: z.literal('nothing') }),
  /** The default is a value of the receiving side: one per side. */
  z.object({ action: z.literal('default'), inviter: z.string().min(1).optional(), invitee: z.string().min(1).optional() }),
  z.object({ action: z.literal('error') }),
]);
export type IfNoMatch = z.infer<typeof IfNoMatch>;

export const CustomFieldMapping = z.object({ type: z.enum(['text', 'select', 'user']), inviter: z.string().min(1), invitee: z.string().min(1) });

export const UserMapping = z.object({
  /** Emails of the users to set when the partner's user has no match here (null: leave unassigned). */
  fallback: z.object({ inviter: z.string().nullable().default(null), invitee: z.string().nullable().default(null) }).default({ inviter: null, invitee: null }),
});

export const FieldMapping = z
  .object({
    id: z.string().trim().min(1),
    field: MappedField,
    direction: MappingDirection,
    customField: CustomFieldMapping.optional(),
    values: z.array(ValuePair).optional(),
    ifNoMatch: IfNoMatch.optional(),
    users: UserMapping.optional(),
  })
  .refine((m) => m.field !== 'customField' || m.customField !== undefined, { message: 'a custom field mapping names the field on each side', path: ['customField'] });
export type FieldMapping = z.infer<typeof FieldMapping>;

export const VisualMapping = z
  .object({
    v: z.literal(1),
    version: z.number().int().nonnegative(),
    scope: z.object({ inviter: SideScope, invitee: SideScope }),
    sync: z.object({ toInvitee: SyncMethod, toInviter: SyncMethod }),
    mappings: z.array(FieldMapping),
  })
  .refine((m) => new Set(m.mappings.map((x) => x.id)).size === m.mappings.length, { message: 'mapping ids must be unique', path: ['mappings'] });
export type VisualMapping = z.infer<typeof VisualMapping>;

const DEFAULT_FIELDS: MappedField[] = ['summary', 'description', 'comments', 'attachments', 'status', 'priority', 'issueType', 'assignee', 'reporter', 'components', 'fixVersions', 'worklogs', 'issueLinks'];

/** What a new Visual connection starts with: both projects, every default field both ways, manual sync. */
export function defaultVisualMapping(projects: { inviter: string; invitee: string }): VisualMapping {
  return {
    v: 1,
    version: 0,
    scope: { inviter: { projectKey: projects.inviter, filters: [] }, invitee: { projectKey: projects.invitee, filters: [] } },
    sync: { toInvitee: 'manual', toInviter: 'manual' },
    mappings: DEFAULT_FIELDS.map((field) => ({ id: field, field, direction: 'both' as const, ...(field === 'status' || field === 'priority' || field === 'issueType' ? { values: [], ifNoMatch: { action: 'nothing' as const } } : {}) })),
  };
}

export const otherSide = (side: VisualSide): VisualSide => (side === 'inviter' ? 'invitee' : 'inviter');

/** Whether a mapping carries values from `from` to the other side. */
export const flowsFrom = (direction: MappingDirection, from: VisualSide) => direction === 'both' || direction === (from === 'inviter' ? 'toInvitee' : 'toInviter');

/** The sync method for issues going out from `from`. */
export const methodFrom = (mapping: VisualMapping, from: VisualSide): SyncMethod => (from === 'inviter' ? mapping.sync.toInvitee : mapping.sync.toInviter);
