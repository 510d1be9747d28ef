import { z } from 'zod';
import { NameWarning } from './name-references';
import { PollingSettings } from './polling';

// A connection as one installation stores it. Each side keeps its own record:
// public and private connections share one id across the two sites; the two
// halves of a local connection (two projects of one site) have an id each.

export const ConnectionMode = z.enum(['basic', 'visual', 'script']);
export type ConnectionMode = z.infer<typeof ConnectionMode>;

/** public: both sides have a URL; private: one side has none and polls; local: two projects of one site. */
export const ConnectionKind = z.enum(['public', 'private', 'local']);
export type ConnectionKind = z.infer<typeof ConnectionKind>;

/**
 * How this side's outgoing messages reach the partner:
 * `push` POSTs them to the partner's web trigger; `poll` (we are the private
 * side) carries them in our polls; `held` (the partner is private) keeps them
 * until the partner polls; `local` hands them to the other half in-process.
 */
export const Delivery = z.enum(['push', 'poll', 'held', 'local']);
export type Delivery = z.infer<typeof Delivery>;

/** What the admin decided; Error is not a state but a fault laid over an active connection. */
export const ConnectionState = z.enum(['pending', 'active', 'deactivated']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.enum(['Pending', 'Active', 'Deactivated', 'Error']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ShortName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters');

export const ProjectKey = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'is not a Jira project key (letters, digits and underscores, starting with a letter)');

export const RemoteSide = z.object({
  /** Null while unknown: a private partner before it accepts, or the other half of a local connection. */
  instanceId: z.string().nullable(),
  name: z.string(),
  /** The partner's Exalate URL (its web trigger); null for a private partner. */
  url: z.string().nullable(),
  siteUrl: z.string().nullable(),
  projectKey: z.string().nullable(),
  /** The id the partner knows this connection by: envelopes carry it. */
  connectionId: z.string(),
});
export type RemoteSide = z.infer<typeof RemoteSide>;

export const ConnectionRecord = z.object({
  v: z.literal(1),
  id: z.string(),
  name: z.string(),
  description: z.string(),
  mode: ConnectionMode,
  kind: ConnectionKind,
  delivery: Delivery,
  state: ConnectionState,
  localName: z.string(),
  localProjectKey: z.string(),
  remote: RemoteSide,
  /** Whether this side issued the invitation. */
  inviter: z.boolean(),
  /**
   * Strict values: a value Jira here refuses (an unknown option or person, text for a number) pauses the
   * whole issue until someone looks. Off (absent) by default: that one field is skipped with a warning.
   */
  strictValues: z.boolean().optional(),
  /**
   * Create missing values: a link type, component or version the partner's issue names that this side lacks is
   * created here (the app needs Jira's permission for it). Off (absent) by default: it is skipped with a warning.
   */
  createMissing: z.boolean().optional(),
  /**
   * The version of this side's published Script rules (src/sync/rules-store.ts): 0, none published (the
   * defaults, read from nowhere); absent (connections made before it was kept), unknown: the rules are read.
   * Written before the rules themselves, so a reader never takes a newer version for the defaults.
   */
  rulesVersion: z.number().int().nonnegative().optional(),
  /** The People settings (src/sync/people.ts) hold a table or a fallback person; absent: they hold neither. */
  peopleMapped: z.boolean().optional(),
  /**
   * The partner said, answering a replica, that it takes small attachments inside the replica message
   * (`ReplicaMessage.files`); absent: not yet known, so attachments travel as `attachment` messages.
   */
  partnerTakesFiles: z.boolean().optional(),
  /** Private side: how often it polls (src/domain/polling.ts); absent: the defaults. */
  polling: PollingSettings.optional(),
  createdAt: z.number(),
  activatedAt: z.number().nullable(),
  /** While pending: when the invitation code stops working. */
  invitationExpiresAt: z.number().nullable(),
  /**
   * The partner deleted the connection (or uninstalled the app): nothing syncs any more, the issues
   * stay as they are, and the row stays listed until an admin deletes the connection here too.
   */
  endedByPartner: z.object({ at: z.number(), uninstalled: z.boolean() }).optional(),
  /**
   * An admin deleted the connection here: from that moment it is gone for every reader
   * (`getConnection`), and a queued purge removes everything stored for it, this record last.
   */
  deletion: z
    .object({
      at: z.number(),
      /** The purge chain that owns the removal; events of an older chain stop (see src/removal/purge.ts). */
      chainId: z.string(),
      /** Last sign of life of the chain: a chain silent for long is seeded anew by the scheduled trigger. */
      touchedAt: z.number(),
      /** Whether the partner is still to be told (a tombstone written before the secret goes). */
      tellPartner: z.boolean(),
    })
    .optional(),
});
export type ConnectionRecord = z.infer<typeof ConnectionRecord>;

/** A connection sync may use: neither being deleted here nor ended by the partner. */
export const isLive = (connection: ConnectionRecord): boolean => !connection.deletion && !connection.endedByPartner;

export const LastSync = z.object({ issueKey: z.string(), at: z.number() });
export type LastSync = z.infer<typeof LastSync>;

/** Kept apart from the record: the sync engine updates it often, admins rarely touch the record. */
export const ConnectionStats = z.object({
  issuesUnderSync: z.number().int().nonnegative(),
  lastSync: LastSync.nullable(),
});
export type ConnectionStats = z.infer<typeof ConnectionStats>;

/** One row of the Connections page. */
export const ConnectionRow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  mode: ConnectionMode,
  kind: ConnectionKind,
  /** For a private connection, which side this installation is. */
  side: z.enum(['public', 'private']).nullable(),
  localName: z.string(),
  remoteName: z.string(),
  localProjectKey: z.string(),
  remoteProjectKey: z.string().nullable(),
  remoteUrl: z.string().nullable(),
  /** The partner's Jira site: while pending, the one the invitation code is bound to. */
  remoteSiteUrl: z.string().nullish(),
  /** On the inviting side of a pending connection, where its code stands; otherwise null. */
  invitation: z.enum(['waiting', 'expired', 'revoked']).nullish(),
  status: ConnectionStatus,
  statusReason: z.string().nullable(),
  /** What the partner did to the connection, when that is why nothing flows (the status then reads Deactivated). */
  partnerStatus: z.enum(['deactivated', 'deleted']).nullable().optional(),
  issuesUnderSync: z.number(),
  lastSync: LastSync.nullable(),
  lastContactAt: z.number().nullable(),
  createdAt: z.number(),
  /** Whether a value Jira refuses pauses the issue (strict) or skips that field with a warning. */
  strictValues: z.boolean().optional(),
  /** Whether a link type, component or version the partner names and this side lacks is created here. */
  createMissing: z.boolean().optional(),
  /** On the private side of a private connection, its polling intervals in force; otherwise null. */
  polling: PollingSettings.nullable().optional(),
  /** Names the rules refer to that Jira does not have, as of the last check (publish or the daily drift check). */
  ruleWarnings: z.array(NameWarning).optional(),
});
export type ConnectionRow = z.infer<typeof ConnectionRow>;
