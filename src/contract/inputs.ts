import { z } from 'zod';
import { PollingEdit } from '../domain/polling';
import { MAX_MAPPED_PEOPLE } from '../domain/people';
import { ConnectionMode, ProjectKey, ShortName } from '../domain/connection';
import { QueueDirection, QueueKind, StatisticsPeriod } from '../domain/operations';

// What each resolver takes. Who is asking, and which issue or project a page
// is open on, never come from here: the platform's context says that.

const Id = z.string().trim().min(1, 'is required').max(100);
const IssueKey = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255)
  .regex(/^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/, 'is not an issue key (e.g. UD-12)');

export const Empty = z.object({});

export const ConnectionId = z.object({ connectionId: Id });

/** How long a new invitation code stays valid: a day unless the admin chooses otherwise, three days at most. */
export const INVITATION_HOURS = { default: 24, min: 1, max: 72 } as const;
const ValidForHours = z
  .number()
  .int('must be a whole number of hours')
  .min(INVITATION_HOURS.min, `must be at least ${INVITATION_HOURS.min} hour`)
  .max(INVITATION_HOURS.max, `must be at most ${INVITATION_HOURS.max} hours`);

export const InitiateConnectionInput = z.object({
  destinationUrl: z
    .string()
    .trim()
    .nullable()
    .transform((u) => (u === '' ? null : u)),
  mode: ConnectionMode,
  localName: ShortName,
  remoteName: ShortName,
  name: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  description: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  projectKey: ProjectKey,
  /** Local connections only: the second project. */
  remoteProjectKey: ProjectKey.optional(),
  /** "Yes, I have admin access": also return the partner's accept page with the code in it. */
  adminAccess: z.boolean().optional(),
  validForHours: ValidForHours.optional(),
  /**
   * The partner's Jira site (e.g. https://acme.atlassian.net), the only site the code will work on.
   * Required for a private connection; a public destination names its own site, and this, if given,
   * must agree with it; a local connection has no code.
   */
  partnerSiteUrl: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .nullish()
    .transform((u) => (u ? u : null)),
});
export type InitiateConnectionInput = z.infer<typeof InitiateConnectionInput>;

export const AcceptInvitationInput = z.object({
  invitationCode: z.string().max(100_000, 'is far too long to be an invitation code'),
  projectKey: ProjectKey,
  /** This side's name for the connection, when the inviter's is taken here; names are unique per site. */
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').optional(),
});
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;

export const ConnectionEdit = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').optional(),
  description: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
});
export type ConnectionEdit = z.infer<typeof ConnectionEdit>;

export const MAX_QUERY_LENGTH = 5000;

export const SaveTriggerInput = z.object({
  id: Id.optional(),
  connectionId: Id,
  entityType: z.literal('issue', { error: 'only "issue" triggers exist' }).default('issue'),
  jql: z.string().trim().min(1, 'is required').max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  notes: z.string().max(1000, 'must be at most 1000 characters').default(''),
  active: z.boolean().default(true),
});

const Script = z.string().max(100_000);

/** An Exalate Groovy rule to translate; as long as a script may be. */
export const TranslateGroovyInput = z.object({
  source: z.string().max(100_000, 'must be at most 100,000 characters'),
  direction: z.enum(['outgoing', 'incoming']),
});

export const inputs = {
  getInstance: Empty,
  updateInstance: z.object({ name: ShortName }),
  listConnections: Empty,
  initiateConnection: InitiateConnectionInput,
  acceptInvitation: AcceptInvitationInput,
  setConnectionActive: ConnectionId.extend({ active: z.boolean() }),
  updateConnection: ConnectionId.extend(ConnectionEdit.shape),
  deleteConnection: ConnectionId,
  rotateSecret: ConnectionId,
  setStrictValues: ConnectionId.extend({ strict: z.boolean() }),
  setCreateMissing: ConnectionId.extend({ create: z.boolean() }),
  getPeopleMapping: ConnectionId,
  /** The whole table and fallback at once: what the People section shows is what is saved. */
  setPeopleMapping: ConnectionId.extend({
    fallbackAccountId: Id.nullable(),
    accounts: z
      .array(z.object({ remoteAccountId: Id, remoteDisplayName: z.string().trim().max(255), localAccountId: Id }))
      .max(MAX_MAPPED_PEOPLE)
      .refine((rows) => new Set(rows.map((r) => r.remoteAccountId)).size === rows.length, 'names a person of the other side twice'),
  }),
  /** Any of the private side's polling intervals (seconds); the rest keep their values. */
  setPollingIntervals: ConnectionId.extend({ polling: PollingEdit }),
  pingConnection: ConnectionId,
  getInvitation: ConnectionId,
  renewInvitation: ConnectionId.extend({ validForHours: ValidForHours.optional() }),
  revokeInvitation: ConnectionId,
  listProjects: z.object({ query: z.string().max(100).optional() }),
  /** What the Initiate wizard's destination is, asked at the step where it is typed. */
  describeDestination: z.object({ url: z.string().trim().min(1, 'is required').max(2000, 'is far too long to be an address') }),
  /** The values Visual mode's pickers offer for one project of this site. */
  getJiraValues: z.object({ projectKey: ProjectKey }),
  searchUsers: z.object({ query: z.string().trim().max(100).default('') }),

  getRules: ConnectionId,
  /** `acceptWarnings`: publish even though some names the rules refer to do not exist (the warnings are recorded). */
  publishRules: ConnectionId.extend({ outgoing: Script, incoming: Script, acceptWarnings: z.boolean().optional() }),
  testRules: ConnectionId.extend({ issueKey: IssueKey, outgoing: Script.optional() }),
  getMapping: ConnectionId,
  /** Parsed against the mapping document's own schema by the resolver, so its messages can name the mapping. */
  publishMapping: ConnectionId.extend({ mapping: z.unknown(), acceptWarnings: z.boolean().optional() }),
  upgradeConnection: ConnectionId,
  translateGroovy: TranslateGroovyInput,

  listTriggers: z.object({ connectionId: Id.optional() }),
  saveTrigger: SaveTriggerInput,
  countTriggerMatches: SaveTriggerInput.pick({ connectionId: true, jql: true }),
  deleteTrigger: z.object({ id: Id }),
  bulkExalate: z.object({ triggerId: Id }),
  unbulkExalate: z.object({ triggerId: Id }),
  getJob: z.object({ id: Id }),
  listJobs: z.object({ triggerId: Id.optional(), connectionId: Id.optional() }),
  cancelJob: z.object({ id: Id }),

  /** From the issue panel the issue is the panel's own; `issueKey` is then optional and must name that issue if given. */
  exalateIssue: ConnectionId.extend({ issueKey: IssueKey.optional() }),
  connectIssue: ConnectionId.extend({ issueKey: IssueKey.optional(), remoteIssueKey: IssueKey }),
  unexalateIssue: ConnectionId.extend({ issueKey: IssueKey.optional() }),
  getIssueSyncStatus: z.object({ issueKey: IssueKey.optional() }),
  getIssueHistory: z.object({ issueKey: IssueKey.optional() }),

  listErrors: z.object({ connectionId: Id.optional(), status: z.enum(['open', 'resolved']).optional(), cursor: z.string().max(2000).optional() }),
  retryError: z.object({ id: Id }),
  resolveError: z.object({ id: Id }),
  listQueue: z.object({ connectionId: Id.optional(), direction: QueueDirection.optional(), kind: QueueKind.optional(), limit: z.number().int().min(1).max(500).optional() }),
  getStatistics: z.object({ connectionId: Id.optional(), period: StatisticsPeriod.default('week') }),
  getConnectionHealth: z.object({ connectionId: Id.optional() }),
} as const;
