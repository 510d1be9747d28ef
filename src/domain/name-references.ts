import { z } from 'zod';

// The names a rule set refers to (projects, issue types, statuses, priorities,
// resolutions, custom fields), each with the side whose Jira it must exist on
// and where it is written. Publish checks them against the sites' real values
// and the daily drift check checks them again (src/sync/name-check.ts); what
// does not match becomes a warning the admin sees with its line.

export const NameKind = z.enum(['project', 'issueType', 'status', 'priority', 'resolution', 'field']);
export type NameKind = z.infer<typeof NameKind>;

/** `local`: a value of this site; `partner`: a value of the other side (read from the replica). */
export const NameSide = z.enum(['local', 'partner']);
export type NameSide = z.infer<typeof NameSide>;

/** Which rules name it: a script, or the Visual mapping document. */
export const NameSource = z.enum(['outgoing', 'incoming', 'mapping']);
export type NameSource = z.infer<typeof NameSource>;

export const NameReference = z.object({
  script: NameSource,
  /** 1-based line in the script; for a mapping, 0. */
  line: z.number().int().nonnegative(),
  kind: NameKind,
  side: NameSide,
  name: z.string(),
});
export type NameReference = z.infer<typeof NameReference>;

export const NameWarning = NameReference.extend({
  message: z.string(),
  /** The closest existing name of that kind, when one is close enough to be a likely typo or rename. */
  suggestion: z.string().optional(),
});
export type NameWarning = z.infer<typeof NameWarning>;

/** Most values of one kind a site shares with its partner (a site with more is judged on these). */
const MAX_VALUES = 5_000;
const Names = z.array(z.string().max(255)).max(MAX_VALUES);

/** One site's values by kind, as read for one check; issue types by project key (upper case). */
export const SiteNames = z.object({
  projects: Names,
  issueTypes: z.record(z.string().max(255), Names),
  statuses: Names,
  priorities: Names,
  resolutions: Names,
  fields: Names,
});
export type SiteNames = z.infer<typeof SiteNames>;

export const KIND_WORDS: Record<NameKind, string> = {
  project: 'project',
  issueType: 'issue type',
  status: 'status',
  priority: 'priority',
  resolution: 'resolution',
  field: 'custom field',
};
