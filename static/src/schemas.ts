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
});
export type SyncError = z.infer<typeof SyncErrorSchema>;
export const ListErrorsResultSchema = z.looseObject({ errors: z.array(SyncErrorSchema) });

export const QueueItemSchema = z.looseObject({
  id: z.string(),
  connectionName: z.optional(z.nullable(z.string())),
  issueKey: z.optional(z.nullable(z.string())),
  type: z.optional(z.string()),
  status: z.optional(z.string()),
  attempts: z.optional(z.number()),
  at: z.optional(Instant),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;
export const ListQueueResultSchema = z.looseObject({ items: z.array(QueueItemSchema) });

export const TwinStatusSchema = z.enum(['synchronized', 'pending', 'error']);
export const TwinSchema = z.looseObject({
  connectionId: z.string(),
  connectionName: z.string(),
  remoteKey: z.optional(z.nullable(z.string())),
  remoteUrl: z.optional(z.nullable(z.string())),
  status: TwinStatusSchema,
  error: z.optional(z.nullable(z.looseObject({ message: z.string(), line: z.optional(z.nullable(z.number())) }))),
  lastSyncAt: z.optional(z.nullable(Instant)),
});
export type Twin = z.infer<typeof TwinSchema>;
export const IssueSyncStatusResultSchema = z.looseObject({
  twins: z.array(TwinSchema),
  /** Connections this issue can still be exalated through. */
  operations: z.optional(z.looseObject({ exalate: z.array(z.looseObject({ connectionId: z.string(), name: z.string() })) })),
});
export type IssueSyncStatus = z.infer<typeof IssueSyncStatusResultSchema>;
