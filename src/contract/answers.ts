import { z } from 'zod';
import { ConnectionMode, ConnectionRow, LastSync } from '../domain/connection';
import { QueueDirection, QueueKind, StatisticsPeriod } from '../domain/operations';
import { VisualMapping } from '../domain/visual-mapping';
import { PeopleMapping } from '../domain/people';
import { NameWarning } from '../domain/name-references';
import { InitialSyncChoice } from './inputs';

// What each resolver answers, as the UI reads it. The server checks its own
// answers against these before they leave, and the UI parses them again, so a
// change on one side shows up as a readable error instead of a blank table.
// Objects are loose: an answer may carry more than the UI reads (`ok`, say),
// never less.

/** Epoch milliseconds (or an ISO date from older records). */
const Instant = z.union([z.number(), z.string()]);

export const Instance = z.looseObject({
  name: z.string(),
  instanceId: z.string(),
  exalateUrl: z.string(),
  siteUrl: z.string(),
});

export const Connection = ConnectionRow.loose();
export const ListConnectionsResult = z.looseObject({ connections: z.array(Connection) });
export const ConnectionResult = z.looseObject({ connection: Connection });

export const InitiateConnectionResult = z.looseObject({
  connectionId: z.string(),
  kind: z.enum(['public', 'private', 'local']),
  invitationCode: z.string().nullish(),
  expiresAt: z.number().nullish(),
  acceptUrl: z.string().nullish(),
  partnerConnectionId: z.string().nullish(),
  /** The only Jira site the code works on (not for local connections). */
  partnerSiteUrl: z.string().nullish(),
});

export const AcceptInvitationResult = z.looseObject({ connectionId: z.string(), connection: Connection });

export const Deleted = z.looseObject({ deleted: z.string() });

export const RotationResult = z.looseObject({ status: z.enum(['rotated', 'requested']), messageId: z.string().optional() });

export const PingResult = z.looseObject({
  reachable: z.boolean().nullable(),
  queued: z.boolean().optional(),
  roundTripMs: z.number().optional(),
  partnerName: z.string().nullish(),
  reason: z.string().optional(),
  detail: z.string().optional(),
});

export const InvitationState = z.looseObject({ status: z.enum(['accepted', 'waiting', 'expired', 'revoked']), expiresAt: z.number().nullable() });
export const RenewedInvitation = z.looseObject({ connectionId: z.string(), invitationCode: z.string(), expiresAt: z.number() });

export const Project = z.looseObject({ key: z.string(), name: z.string(), id: z.string().optional() });
export const ListProjectsResult = z.looseObject({ projects: z.array(Project) });

/** The wizard's destination: the partner's Exalate URL, the partner's Jira site, or this instance. */
export const DestinationDescription = z.looseObject({
  kind: z.enum(['endpoint', 'site', 'this-instance']),
  /** The Jira site the invitation will be bound to (this site, for this instance). */
  siteUrl: z.string().nullable(),
  /** Known for an endpoint; for a site it arrives with the acceptance. */
  exalateUrl: z.string().nullable(),
  /** What the partner calls itself, for an endpoint. */
  name: z.string().nullable(),
});

const NamedValue = z.looseObject({ id: z.string(), name: z.string(), iconUrl: z.string().nullable() });
export const JiraCustomField = z.looseObject({ id: z.string(), name: z.string(), type: z.enum(['text', 'select', 'user']), options: z.array(z.string()) });
/** One project's values, as the caller can see them, for Visual mode's pickers. */
export const JiraValues = z.looseObject({
  projectKey: z.string(),
  issueTypes: z.array(NamedValue),
  statuses: z.array(NamedValue),
  priorities: z.array(NamedValue),
  customFields: z.array(JiraCustomField),
  /**
   * Names only, as the partner last reported them (src/sync/partner-names.ts): no custom fields, no icons, and
   * perhaps a day old, so a picker offers them and takes typed text too.
   */
  partial: z.boolean().optional(),
});
export const UserChoice = z.looseObject({ accountId: z.string(), displayName: z.string(), email: z.string().nullable(), avatarUrl: z.string().nullable() });
export const UserSearchResult = z.looseObject({ users: z.array(UserChoice) });
export const PeopleMappingResult = z.looseObject({ people: PeopleMapping });

export const ExalateIssueResult = z.looseObject({ issueKey: z.string(), issueId: z.string(), connectionId: z.string() });

export const IssueOperationResult = z.looseObject({
  state: z.string(),
  issueKey: z.string(),
  connectionId: z.string(),
  remoteKey: z.string().nullish(),
  remoteIssueKey: z.string().nullish(),
});

export const Trigger = z.looseObject({
  id: z.string(),
  connectionId: z.string(),
  connectionName: z.string(),
  entityType: z.string(),
  jql: z.string(),
  notes: z.string(),
  active: z.boolean(),
});
export const ListTriggersResult = z.looseObject({ triggers: z.array(Trigger) });
export const SaveTriggerResult = z.looseObject({
  trigger: Trigger,
  /** How many issues the query matches now, when Jira says. */
  matches: z.number().nullish(),
});

export const TriggerMatches = z.looseObject({ matches: z.number(), projectKey: z.string() });

export const Job = z.looseObject({
  id: z.string(),
  kind: z.enum(['bulk-exalate', 'unbulk-exalate']),
  triggerId: z.string(),
  connectionId: z.string(),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  done: z.number(),
  total: z.number(),
  failed: z.number(),
  startedAt: Instant,
  finishedAt: Instant.nullish(),
  lastError: z.string().nullish(),
});
export const ListJobsResult = z.looseObject({ jobs: z.array(Job) });

export const SyncError = z.looseObject({
  id: z.string(),
  connectionId: z.string().nullish(),
  connectionName: z.string().nullish(),
  issueKey: z.string().nullish(),
  phase: z.string().nullish(),
  message: z.string(),
  scriptLine: z.number().nullish(),
  attempts: z.number().optional(),
  lastAt: Instant.optional(),
  status: z.string().optional(),
});
export const ListErrorsResult = z.looseObject({ errors: z.array(SyncError), nextCursor: z.string().nullish() });
export const Retried = z.looseObject({ retried: z.string() });
export const Resolved = z.looseObject({ resolved: z.string() });

export const QueueItem = z.looseObject({
  id: z.string(),
  connectionId: z.string().optional(),
  connectionName: z.string().nullish(),
  direction: QueueDirection.optional(),
  kind: QueueKind.optional(),
  issueKey: z.string().nullish(),
  remoteKey: z.string().nullish(),
  type: z.string().optional(),
  status: z.string().optional(),
  attempts: z.number().optional(),
  lastError: z.string().nullish(),
  chunks: z.looseObject({ received: z.number(), total: z.number() }).optional(),
  at: Instant.nullish(),
});
export const ListQueueResult = z.looseObject({ items: z.array(QueueItem) });

const ConnectionChoice = z.looseObject({ connectionId: z.string(), name: z.string() });
export const TwinStatus = z.enum(['synchronized', 'pending', 'error']);
export const Twin = z.looseObject({
  connectionId: z.string(),
  connectionName: z.string(),
  remoteKey: z.string().nullish(),
  remoteUrl: z.string().nullish(),
  status: TwinStatus,
  error: z.looseObject({ id: z.string().optional(), message: z.string(), line: z.number().nullish() }).nullish(),
  lastSyncAt: Instant.nullish(),
});
export const IssueSyncStatusResult = z.looseObject({
  issueKey: z.string(),
  twins: z.array(Twin),
  /** Connections this issue can still be exalated, connected or unexalated through. */
  operations: z.looseObject({
    exalate: z.array(ConnectionChoice),
    connect: z.array(ConnectionChoice).optional(),
    unexalate: z.array(ConnectionChoice).optional(),
  }),
  /** Connect requests waiting for the partner's answer, or refused by it. */
  connects: z
    .array(
      z.looseObject({
        connectionId: z.string(),
        connectionName: z.string(),
        remoteIssueKey: z.string(),
        state: z.enum(['pending', 'refused']),
        reason: z.string().nullish(),
        /** The initial sync asked for, from this side's point of view. */
        initialSync: InitialSyncChoice.optional(),
      }),
    )
    .optional(),
});

export const HistoryEntry = z.looseObject({
  at: Instant,
  connectionId: z.string().optional(),
  direction: z.enum(['out', 'in']),
  cause: z.string(),
  outcome: z.string(),
  seq: z.number().optional(),
  message: z.string().optional(),
  changes: z.array(z.looseObject({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() })),
  warnings: z.array(z.string()).optional(),
  logs: z.array(z.string()).optional(),
});
export const IssueHistoryResult = z.looseObject({ issueKey: z.string(), entries: z.array(HistoryEntry) });

export const Rules = z.looseObject({
  mode: ConnectionMode,
  editable: z.boolean(),
  outgoing: z.string(),
  incoming: z.string(),
  version: z.number().nullish(),
  /** Basic and Visual connections: what the rules sync, in words. */
  syncs: z.array(z.string()).optional(),
  /** Names the published rules refer to that did not exist when they were published anyway. */
  warnings: z.array(NameWarning).optional(),
});
/** A Groovy rule translated to JavaScript, with what could not be translated (kept in the script as comments). */
export const GroovyTranslation = z.looseObject({
  script: z.string(),
  unsupported: z.array(z.looseObject({ line: z.number().int().positive(), construct: z.string(), suggestion: z.string() })),
});
/** Published, or held back: names the rules refer to do not exist, and the admin has not said to publish anyway. */
const HeldBack = z.looseObject({ saved: z.literal(false), warnings: z.array(NameWarning) });
export const PublishRulesResult = z.union([
  z.looseObject({ saved: z.literal(true), version: z.number(), publishedAt: z.number().nullish(), warnings: z.array(NameWarning) }),
  HeldBack,
]);

const ScriptFailure = z.looseObject({
  kind: z.string().optional(),
  message: z.string(),
  line: z.number().nullish(),
  column: z.number().nullish(),
});
export const TestRulesResult = z.looseObject({
  ok: z.boolean(),
  replica: z.unknown().optional(),
  error: ScriptFailure.optional(),
  logs: z.array(z.unknown()).optional(),
  elapsedMs: z.number().optional(),
});

const Latency = z.looseObject({ count: z.number(), medianMs: z.number().nullable(), p95Ms: z.number().nullable() });
export const StatisticsBucket = z.looseObject({
  start: z.number(),
  out: z.number(),
  in: z.number(),
  created: z.number().optional(),
  errors: z.number(),
  latency: Latency,
});
export const ConnectionStatistics = z.looseObject({
  connectionId: z.string(),
  name: z.string(),
  issuesUnderSync: z.number().optional(),
  lastSync: LastSync.nullish(),
  bucket: z.enum(['hour', 'day']),
  totals: z.looseObject({ out: z.number(), in: z.number(), errors: z.number(), latency: Latency }),
  buckets: z.array(StatisticsBucket),
});
export const StatisticsResult = z.looseObject({ period: StatisticsPeriod, connections: z.array(ConnectionStatistics) });
const Share = z.number().min(0).max(1).nullable();
export const ConnectionHealth = z.looseObject({
  connectionId: z.string(),
  name: z.string(),
  from: z.number(),
  to: z.number(),
  lag: Latency,
  hours: z.array(
    z.looseObject({
      start: z.number(),
      syncs: z.number(),
      errors: z.number(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
      storageUnits: z.number(),
      jiraCalls: z.number(),
    }),
  ),
  queue: z.looseObject({ depth: z.number(), more: z.boolean() }),
  pausedIssues: z.number(),
  storage: z.looseObject({ readUnits: z.number(), writeUnits: z.number(), share: Share, busiestPerMinute: z.number(), budgetPerMinute: z.number() }),
  jira: z.looseObject({ calls: z.number(), share: Share, busiestHourCalls: z.number(), pointsPerHour: z.number() }),
});
export const ConnectionHealthResult = z.looseObject({ ok: z.literal(true), connections: z.array(ConnectionHealth) });

export const VisualSide = z.enum(['inviter', 'invitee']);
export const GetMappingResult = z.looseObject({
  side: VisualSide,
  mapping: VisualMapping,
  rules: z.looseObject({ outgoing: z.string(), incoming: z.string() }).optional(),
  partner: z.looseObject({ version: z.number(), state: z.string(), reason: z.string().nullish() }).nullish(),
  /** The partner's statuses, priorities and its project's issue types as it last reported them; null when not known. */
  partnerValues: JiraValues.nullish(),
});
export const PublishMappingResult = z.union([
  z.looseObject({ saved: z.literal(true), version: z.number(), mapping: VisualMapping, warnings: z.array(NameWarning) }),
  HeldBack,
]);
