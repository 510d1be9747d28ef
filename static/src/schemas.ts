// Shapes of the resolver answers the UI reads. The server validates payloads;
// the UI validates answers, so a server change shows up as a readable error
// instead of a blank table. zod/mini keeps this out of the bundle's weight.
import { z } from 'zod/mini';

/** Epoch milliseconds or an ISO date; resolvers may send either. */
const Instant = z.union([z.number(), z.string()]);

export const InstanceSchema = z.object({
  name: z.string(),
  instanceId: z.string(),
  exalateUrl: z.string(),
  siteUrl: z.string(),
});
export type Instance = z.infer<typeof InstanceSchema>;

export const ConnectionModeSchema = z.enum(['basic', 'visual', 'script']);
export type ConnectionMode = z.infer<typeof ConnectionModeSchema>;

export const ConnectionKindSchema = z.enum(['public', 'private', 'local']);
export type ConnectionKind = z.infer<typeof ConnectionKindSchema>;

// The server names statuses as the table shows them ("Active"); compare in lower case.
export const ConnectionStatusSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((status) => status.toLowerCase()),
  ),
  z.enum(['pending', 'active', 'deactivated', 'error']),
);
export type ConnectionStatus = z.output<typeof ConnectionStatusSchema>;

export const LastSyncSchema = z.object({ issueKey: z.string(), at: Instant });
export type LastSync = z.infer<typeof LastSyncSchema>;

export const ConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  mode: ConnectionModeSchema,
  kind: ConnectionKindSchema,
  localName: z.string(),
  remoteName: z.string(),
  status: ConnectionStatusSchema,
  statusReason: z.optional(z.nullable(z.string())),
  issuesUnderSync: z.number(),
  lastSync: z.nullable(LastSyncSchema),
  /** This side's project for incoming sync. */
  localProjectKey: z.optional(z.nullable(z.string())),
  /** The other side's project, once known (local connections, accepted invitations). */
  remoteProjectKey: z.optional(z.nullable(z.string())),
});
export type Connection = z.infer<typeof ConnectionSchema>;

export const ListConnectionsResultSchema = z.object({ connections: z.array(ConnectionSchema) });

export const InitiateConnectionResultSchema = z.object({
  connectionId: z.string(),
  invitationCode: z.optional(z.nullable(z.string())),
  acceptUrl: z.optional(z.nullable(z.string())),
});
export type InitiateConnectionResult = z.infer<typeof InitiateConnectionResultSchema>;

export const AcceptInvitationResultSchema = z.object({ connectionId: z.string() });

export const ProjectSchema = z.looseObject({ key: z.string(), name: z.string() });
export type Project = z.infer<typeof ProjectSchema>;
export const ListProjectsResultSchema = z.object({ projects: z.array(ProjectSchema) });

/** Answers that carry nothing the UI needs beyond success. */
export const AcknowledgementSchema = z.looseObject({});

export const ExalateIssueResultSchema = z.looseObject({
  ok: z.optional(z.boolean()),
  remoteKey: z.optional(z.nullable(z.string())),
});

export const TriggerSchema = z.looseObject({
  id: z.string(),
  connectionId: z.string(),
  connectionName: z.optional(z.string()),
  entityType: z.optional(z.string()),
  jql: z.string(),
  notes: z.optional(z.nullable(z.string())),
  active: z.boolean(),
});
export type Trigger = z.infer<typeof TriggerSchema>;
export const ListTriggersResultSchema = z.looseObject({ triggers: z.array(TriggerSchema) });

export const SyncErrorSchema = z.looseObject({
  id: z.string(),
  connectionId: z.optional(z.nullable(z.string())),
  connectionName: z.optional(z.nullable(z.string())),
  issueKey: z.optional(z.nullable(z.string())),
  phase: z.optional(z.nullable(z.string())),
  message: z.string(),
  scriptLine: z.optional(z.nullable(z.number())),
  attempts: z.optional(z.number()),
  lastAt: z.optional(Instant),
  status: z.optional(z.string()),
});
export type SyncError = z.infer<typeof SyncErrorSchema>;
export const ListErrorsResultSchema = z.looseObject({ errors: z.array(SyncErrorSchema) });

export const QueueDirectionSchema = z.enum(['outgoing', 'incoming']);
export type QueueDirection = z.infer<typeof QueueDirectionSchema>;
export const QueueKindSchema = z.enum(['issue', 'attachment']);
export type QueueKind = z.infer<typeof QueueKindSchema>;

export const QueueItemSchema = z.looseObject({
  id: z.string(),
  connectionId: z.optional(z.string()),
  connectionName: z.optional(z.nullable(z.string())),
  direction: z.optional(QueueDirectionSchema),
  kind: z.optional(QueueKindSchema),
  issueKey: z.optional(z.nullable(z.string())),
  remoteKey: z.optional(z.nullable(z.string())),
  type: z.optional(z.string()),
  status: z.optional(z.string()),
  attempts: z.optional(z.number()),
  lastError: z.optional(z.nullable(z.string())),
  chunks: z.optional(z.looseObject({ received: z.number(), total: z.number() })),
  at: z.optional(z.nullable(Instant)),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;
export const ListQueueResultSchema = z.looseObject({ items: z.array(QueueItemSchema) });

const ConnectionChoiceSchema = z.looseObject({ connectionId: z.string(), name: z.string() });

export const TwinStatusSchema = z.enum(['synchronized', 'pending', 'error']);
export const TwinSchema = z.looseObject({
  connectionId: z.string(),
  connectionName: z.string(),
  remoteKey: z.optional(z.nullable(z.string())),
  remoteUrl: z.optional(z.nullable(z.string())),
  status: TwinStatusSchema,
  error: z.optional(z.nullable(z.looseObject({ id: z.optional(z.string()), message: z.string(), line: z.optional(z.nullable(z.number())) }))),
  lastSyncAt: z.optional(z.nullable(Instant)),
});
export type Twin = z.infer<typeof TwinSchema>;
export const IssueSyncStatusResultSchema = z.looseObject({
  twins: z.array(TwinSchema),
  /** Connections this issue can still be exalated through. */
  operations: z.optional(
    z.looseObject({
      exalate: z.array(ConnectionChoiceSchema),
      /** Connections this issue can be linked through to an existing remote issue. */
      connect: z.optional(z.array(ConnectionChoiceSchema)),
      /** Connections this issue is synced through and can stop syncing on. */
      unexalate: z.optional(z.array(ConnectionChoiceSchema)),
    }),
  ),
  /** Connect requests waiting for the partner's answer, or refused by it. */
  connects: z.optional(
    z.array(
      z.looseObject({
        connectionId: z.string(),
        connectionName: z.string(),
        remoteIssueKey: z.string(),
        state: z.enum(['pending', 'refused']),
        reason: z.optional(z.nullable(z.string())),
      }),
    ),
  ),
});
export type IssueSyncStatus = z.infer<typeof IssueSyncStatusResultSchema>;

export const SaveTriggerResultSchema = z.looseObject({
  trigger: TriggerSchema,
  /** How many issues the query matches now, when Jira says. */
  matches: z.optional(z.nullable(z.number())),
});

export const JobSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(['bulk-exalate', 'unbulk-exalate']),
  triggerId: z.string(),
  connectionId: z.string(),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  done: z.number(),
  total: z.number(),
  failed: z.number(),
  startedAt: Instant,
  finishedAt: z.optional(z.nullable(Instant)),
  lastError: z.optional(z.nullable(z.string())),
});
export type Job = z.infer<typeof JobSchema>;
export const ListJobsResultSchema = z.looseObject({ jobs: z.array(JobSchema) });

export const RulesSchema = z.looseObject({
  mode: ConnectionModeSchema,
  editable: z.boolean(),
  outgoing: z.string(),
  incoming: z.string(),
  version: z.optional(z.nullable(z.number())),
});
export type Rules = z.infer<typeof RulesSchema>;
export const PublishRulesResultSchema = z.looseObject({ version: z.optional(z.number()) });

export const ScriptFailureSchema = z.looseObject({
  kind: z.optional(z.string()),
  message: z.string(),
  line: z.optional(z.nullable(z.number())),
  column: z.optional(z.nullable(z.number())),
});
export const TestRulesResultSchema = z.looseObject({
  ok: z.boolean(),
  replica: z.optional(z.unknown()),
  error: z.optional(ScriptFailureSchema),
  logs: z.optional(z.array(z.unknown())),
  elapsedMs: z.optional(z.number()),
});
export type TestRulesResult = z.infer<typeof TestRulesResultSchema>;

export const HistoryEntrySchema = z.looseObject({
  at: Instant,
  connectionId: z.optional(z.string()),
  direction: z.enum(['out', 'in']),
  cause: z.string(),
  outcome: z.string(),
  seq: z.optional(z.number()),
  message: z.optional(z.string()),
  changes: z.array(z.looseObject({ field: z.string(), from: z.optional(z.unknown()), to: z.optional(z.unknown()) })),
  warnings: z.optional(z.array(z.string())),
  logs: z.optional(z.array(z.string())),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export const IssueHistoryResultSchema = z.looseObject({ entries: z.array(HistoryEntrySchema) });

export const StatisticsPeriodSchema = z.enum(['day', 'week', 'month', 'quarter']);
export type StatisticsPeriod = z.infer<typeof StatisticsPeriodSchema>;
const LatencySchema = z.looseObject({ count: z.number(), medianMs: z.nullable(z.number()), p95Ms: z.nullable(z.number()) });
export const StatisticsBucketSchema = z.looseObject({
  start: z.number(),
  out: z.number(),
  in: z.number(),
  created: z.optional(z.number()),
  errors: z.number(),
  latency: LatencySchema,
});
export type StatisticsBucket = z.infer<typeof StatisticsBucketSchema>;
export const ConnectionStatisticsSchema = z.looseObject({
  connectionId: z.string(),
  name: z.string(),
  issuesUnderSync: z.optional(z.number()),
  bucket: z.enum(['hour', 'day']),
  totals: z.looseObject({ out: z.number(), in: z.number(), errors: z.number(), latency: LatencySchema }),
  buckets: z.array(StatisticsBucketSchema),
});
export type ConnectionStatistics = z.infer<typeof ConnectionStatisticsSchema>;
export const StatisticsResultSchema = z.looseObject({ period: StatisticsPeriodSchema, connections: z.array(ConnectionStatisticsSchema) });
export type Statistics = z.infer<typeof StatisticsResultSchema>;

// Visual mode: the mapping document (see src/domain/visual-mapping.ts). Loose
// objects keep whatever a newer server adds, so publishing an edited document
// never drops it.
export const VisualSideSchema = z.enum(['inviter', 'invitee']);
export type VisualSide = z.infer<typeof VisualSideSchema>;
export const SyncMethodSchema = z.enum(['manual', 'automatic', 'disabled']);
export type SyncMethod = z.infer<typeof SyncMethodSchema>;
export const MappingDirectionSchema = z.enum(['toInvitee', 'toInviter', 'both']);
export type MappingDirection = z.infer<typeof MappingDirectionSchema>;
const ScopeFilterSchema = z.looseObject({ field: z.string(), values: z.array(z.string()) });
export type ScopeFilter = z.infer<typeof ScopeFilterSchema>;
const SideScopeSchema = z.looseObject({ projectKey: z.string(), filters: z.array(ScopeFilterSchema) });
const IfNoMatchSchema = z.looseObject({
  action: z.enum(['nothing', 'default', 'error']),
  inviter: z.optional(z.string()),
  invitee: z.optional(z.string()),
});
export type IfNoMatch = z.infer<typeof IfNoMatchSchema>;
const FieldMappingSchema = z.looseObject({
  id: z.string(),
  field: z.string(),
  direction: MappingDirectionSchema,
  customField: z.optional(z.looseObject({ type: z.enum(['text', 'select', 'user']), inviter: z.string(), invitee: z.string() })),
  values: z.optional(z.array(z.looseObject({ inviter: z.string(), invitee: z.string() }))),
  ifNoMatch: z.optional(IfNoMatchSchema),
  users: z.optional(z.unknown()),
});
export type FieldMapping = z.infer<typeof FieldMappingSchema>;
export const VisualMappingSchema = z.looseObject({
  v: z.literal(1),
  version: z.number(),
  scope: z.looseObject({ inviter: SideScopeSchema, invitee: SideScopeSchema }),
  sync: z.looseObject({ toInvitee: SyncMethodSchema, toInviter: SyncMethodSchema }),
  mappings: z.array(FieldMappingSchema),
});
export type VisualMapping = z.infer<typeof VisualMappingSchema>;
export const GetMappingResultSchema = z.looseObject({
  side: VisualSideSchema,
  mapping: VisualMappingSchema,
  partner: z.optional(z.nullable(z.looseObject({ version: z.number(), state: z.string(), reason: z.optional(z.nullable(z.string())) }))),
});
export type GetMappingResult = z.infer<typeof GetMappingResultSchema>;
export const PublishMappingResultSchema = z.looseObject({ version: z.number(), mapping: VisualMappingSchema });
