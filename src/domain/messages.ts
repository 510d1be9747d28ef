import { z } from 'zod';
import { ProjectKey } from './connection';
import { Base64Url32, InvitationTerms } from './invitation';
import { MessageId, Outcome, PROTOCOL_VERSION, PushReply } from './protocol';
import { SiteNames } from './name-references';
import { VisualMapping } from './visual-mapping';

// Every message that crosses between two installations: one envelope per
// message, and its body by the envelope's `type` (`PartnerMessage`). Senders
// are typed by it and check the body before it leaves (src/transport/envelopes.ts);
// receivers read it with the same schema. docs/architecture.md lists the
// messages, who sends them and who handles them.

const Nonce = Base64Url32;

// ---------------------------------------------------------------------------
// handshake: accepting an invitation (no connection yet), or rotating the secret of one

/** The acceptor's half of the handshake: proves the token with an HMAC over this body. */
export const HandshakeAccept = z.object({
  phase: z.literal('accept'),
  invitation: InvitationTerms,
  acceptor: z.object({
    instanceId: z.string().min(1).max(100),
    name: z.string().min(1).max(50),
    /** Null when the acceptor is the private side: it is never called. */
    url: z.string().max(2000).nullable(),
    /** The acceptor's Jira site as its platform reports it; the inviter compares it with the site the code was made for. */
    siteUrl: z.string().min(1).max(2000),
    projectKey: ProjectKey,
  }),
  nonce: Nonce,
});
export type HandshakeAccept = z.infer<typeof HandshakeAccept>;

/** The inviter's answer, signed with the newly derived secret (so the acceptor knows both sides agree). */
export const HandshakeAccepted = z.object({
  phase: z.literal('accepted'),
  inviter: z.object({
    instanceId: z.string(),
    name: z.string(),
    url: z.string(),
    siteUrl: z.string(),
    projectKey: z.string(),
  }),
  nonce: Nonce,
});
export type HandshakeAccepted = z.infer<typeof HandshakeAccepted>;

/** Hex SHA-256 of the acceptance request's raw body: names one acceptance and nothing else. */
const AcceptanceHash = z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 digest');

/**
 * The inviter, before it activates a public connection, asks the Exalate URL
 * it expects the acceptor at whether it is the one accepting. Signed with the
 * token digest, like the acceptance; `acceptance` names the very request.
 */
export const ChallengeRequest = z.strictObject({
  phase: z.literal('challenge'),
  nonce: Nonce,
  acceptance: AcceptanceHash,
});
export type ChallengeRequest = z.infer<typeof ChallengeRequest>;

/** The acceptor's endpoint answers only while that acceptance is in progress there. */
export const ChallengeAnswer = z.strictObject({
  phase: z.literal('challenged'),
  /** The answering instance's own Exalate URL and Jira site, as its platform reports them. */
  url: z.string().min(1).max(2000),
  siteUrl: z.string().min(1).max(2000),
  /** HMAC-SHA256 keyed by the token digest over the nonce, connection, acceptance, URL and site (`challengeProof`). */
  proof: Base64Url32,
});
export type ChallengeAnswer = z.infer<typeof ChallengeAnswer>;

/** Secret rotation, carried as a `handshake` envelope over an established connection. */
export const RotateRequest = z.object({
  phase: z.literal('rotate'),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** Which secret the new one is derived from, so both sides start from the same one. */
  basedOn: z.string().regex(/^[0-9a-f]{16}$/),
});
export type RotateRequest = z.infer<typeof RotateRequest>;

export const RotateReply = z.object({
  phase: z.literal('rotated'),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  basedOn: z.string().regex(/^[0-9a-f]{16}$/),
});
export type RotateReply = z.infer<typeof RotateReply>;

export const HandshakeBody = z.discriminatedUnion('phase', [HandshakeAccept, RotateRequest]);

// ---------------------------------------------------------------------------
// What the sync engine sends

export const SyncCause = z.enum(['event', 'trigger', 'manual', 'bulk', 'retry', 'connect']);
export type SyncCause = z.infer<typeof SyncCause>;

/**
 * The replica message body: the sender's issue id and key travel with every replica. The replica itself is
 * read by the incoming work, so one this side cannot read becomes an error an admin sees, not a refusal.
 */
/** A small attachment's whole content, carried in the replica that names it (`ReplicaMessage.files`). */
export const InlineFile = z.object({
  /** The sender's attachment id (the receiver's remote attachment id). */
  attachmentId: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The bytes, base64. */
  data: z.string(),
});
export type InlineFile = z.infer<typeof InlineFile>;

export const ReplicaMessage = z.object({
  issueId: z.string(),
  issueKey: z.string(),
  seq: z.number().int().positive(),
  cause: SyncCause,
  /** The sender already knew the partner's issue: such a replica never creates one (the twin was ended meanwhile). */
  known: z.boolean().optional(),
  /** When this side last changed each replica field (its clock), so concurrent edits converge on both sides. */
  changedAt: z.record(z.string(), z.number()).optional(),
  replica: z.unknown(),
  /**
   * The sender takes the ack from the answer (`ReplicaAnswer.ack`): a receiver that applies the replica as
   * it arrives answers with it instead of sending an `ack` message of its own. Absent (a sender before
   * this): the ack travels as a message, as it always did. Receivers before this ignore it and do the same.
   */
  ackInAnswer: z.boolean().optional(),
  /**
   * The receiver's own issue id, as the sender's twin knows it (from an earlier ack): the receiver reads its
   * twin by it without its index, and trusts it only when that twin names this replica's issue as its partner.
   */
  yourIssueId: z.string().optional(),
  /**
   * The first replica after a Connect whose initial sync this sender wins: the receiver writes every field,
   * however recent its own edits. Honoured only by a twin that a Connect left expecting it (`Twin.initialSync`);
   * on any other replica it means nothing, so a partner cannot use it to overwrite later edits.
   */
  initialSync: z.boolean().optional(),
  /**
   * New small attachments of this replica, whole, instead of `attachment` messages ahead of it: sent only to a
   * partner that said it takes them (`ReplicaAnswer.takesFiles`). A receiver before this would drop the field
   * and find the file missing, which is why the sender waits to be told.
   */
  files: z.array(InlineFile).max(50).optional(),
});
export type ReplicaMessage = z.infer<typeof ReplicaMessage>;

/** What the receiving side answers when it has applied a replica. */
export const AckMessage = z.object({
  /** The sender's issue id, as it sent it. */
  yourIssueId: z.string(),
  issueId: z.string(),
  issueKey: z.string(),
  url: z.string().nullable(),
  seq: z.number().int(),
});
export type AckMessage = z.infer<typeof AckMessage>;

/**
 * What the receiving side answers when a replica could not make the issue there (the first sync failed:
 * its incoming script, or Jira refused a value): the sender shows the reason instead of "pending".
 */
export const AckFailure = z.object({
  yourIssueId: z.string(),
  seq: z.number().int(),
  failed: z.object({ kind: z.string().max(100), message: z.string().max(2000) }),
});
export type AckFailure = z.infer<typeof AckFailure>;

/** The `ack` body: applied, or the first sync failed. */
export const AckBody = z.union([AckMessage, AckFailure]);
export type AckBody = z.infer<typeof AckBody>;

/**
 * What a receiver answers to a replica (the `result` of its outcome): applied as it arrived, with the ack
 * when the sender asked for it there (`ReplicaMessage.ackInAnswer`), or queued, the ack to follow as a message.
 */
export const ReplicaAnswer = z.object({
  applied: z.string().optional(),
  queued: z.boolean().optional(),
  ack: AckMessage.optional(),
  /** This receiver takes small attachments inside the replica (`ReplicaMessage.files`); senders before it ignore the field. */
  takesFiles: z.boolean().optional(),
});
export type ReplicaAnswer = z.infer<typeof ReplicaAnswer>;

export const UnexalateMessage = z.object({ issueId: z.string(), yourIssueId: z.string(), reason: z.string().optional() });
export type UnexalateMessage = z.infer<typeof UnexalateMessage>;

/** One chunk of an attachment's bytes, ahead of the replica that names the file. */
export const AttachmentChunk = z.object({
  /** The sender's attachment id (the receiver's remote attachment id). */
  attachmentId: z.string(),
  sha256: z.string(),
  index: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  data: z.string(),
});
export type AttachmentChunk = z.infer<typeof AttachmentChunk>;

/** A Visual publish across sides, its answer, the upgrade to Script mode, and the names a side has. */
export const ConfigureMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mapping'), mapping: VisualMapping }),
  z.object({ kind: z.literal('mapping-applied'), version: z.number().int() }),
  z.object({ kind: z.literal('mapping-refused'), version: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('upgrade') }),
  /** The sender's projects, types, statuses, priorities, resolutions and fields as read `at` (its clock), to check rule names against. */
  z.object({ kind: z.literal('names'), at: z.number().int(), names: SiteNames }),
]);
export type ConfigureMessage = z.infer<typeof ConfigureMessage>;

/**
 * Whose issue a Connect's initial sync copies to the other: the requester's or the partner's. Absent: no
 * initial sync, as before the choice existed (a partner that does not know the field reads it so, and its
 * answer, lacking the field, tells the requester so).
 */
export const ConnectWinner = z.enum(['requester', 'partner']);
export type ConnectWinner = z.infer<typeof ConnectWinner>;

/** Connect: link an existing issue to an existing one of the partner's (src/operations/connect.ts). */
export const ConnectRequest = z.object({
  phase: z.literal('request'),
  requestId: z.string(),
  issueId: z.string(),
  issueKey: z.string(),
  issueUrl: z.string().nullable(),
  remoteIssueKey: z.string(),
  initialSync: ConnectWinner.optional(),
});
export type ConnectRequest = z.infer<typeof ConnectRequest>;

export const ConnectAnswer = z.discriminatedUnion('accepted', [
  z.object({
    phase: z.literal('answer'),
    requestId: z.string(),
    yourIssueId: z.string(),
    accepted: z.literal(true),
    issueId: z.string(),
    issueKey: z.string(),
    url: z.string().nullable(),
    /** The initial sync the partner agreed to (the request's); absent, there is none. */
    initialSync: ConnectWinner.optional(),
  }),
  z.object({ phase: z.literal('answer'), requestId: z.string(), yourIssueId: z.string(), accepted: z.literal(false), reason: z.string() }),
]);
export type ConnectAnswer = z.infer<typeof ConnectAnswer>;

export const ConnectMessage = z.union([ConnectRequest, ConnectAnswer]);

// ---------------------------------------------------------------------------
// What the transport sends about the connection itself

/** Body of a `state` message: whether the sender's side is switched on, as of `at` (the sender's clock). */
export const StateNotice = z.object({ active: z.boolean(), at: z.number().int() });
export type StateNotice = z.infer<typeof StateNotice>;

/** Body of a `delete` message: the sender deleted the connection, or the whole app was uninstalled there. */
export const DeleteNotice = z.object({ reason: z.string().max(500).optional(), uninstalled: z.boolean().optional() });
export type DeleteNotice = z.infer<typeof DeleteNotice>;

/** "Test connection": nothing to say; the answer is the pong. */
export const PingBody = z.object({});

// ---------------------------------------------------------------------------
// Every message, by type

/** The private side's word that it processed a message the public side handed out. */
export const PollConfirm = z.object({ messageId: MessageId, seq: z.number().int().nonnegative(), outcome: Outcome });
export type PollConfirm = z.infer<typeof PollConfirm>;

/** Every envelope type; `PartnerMessage` below gives each its body (the compiler holds the two to each other). */
export const MESSAGE_TYPES = ['handshake', 'challenge', 'replica', 'ack', 'unexalate', 'attachment', 'configure', 'connect', 'poll', 'ping', 'delete', 'state'] as const;
export const EnvelopeType = z.enum(MESSAGE_TYPES);
export type EnvelopeType = z.infer<typeof EnvelopeType>;

/** One message on the wire; its body is read by its type's schema where it is handled (`readBody`). */
export const Envelope = z.object({
  v: z.literal(PROTOCOL_VERSION),
  /** The connection as the receiver knows it. */
  connectionId: z.string().min(1).max(100).regex(/^[A-Za-z0-9-]+$/),
  messageId: MessageId,
  /** Send order on this connection; out-of-band messages (direct pings, handshakes) carry 0. */
  seq: z.number().int().nonnegative(),
  sentAt: z.number().int(),
  type: EnvelopeType,
  body: z.unknown(),
});
export type Envelope = z.infer<typeof Envelope>;

export const PollRequestBody = z.object({
  /** The private side's outgoing messages, in send order. */
  messages: z.array(Envelope),
  /** Messages from the previous answer the private side has processed; only now may the public side drop them. */
  confirms: z.array(PollConfirm),
  /**
   * Seconds the public side may hold this poll open until it has something to send (a long poll, while the
   * connection is busy). Capped by the public side whatever is asked; a public side that predates it strips
   * the field (zod drops unknown keys) and answers at once.
   */
  waitSeconds: z.number().nonnegative().optional(),
});
export type PollRequestBody = z.infer<typeof PollRequestBody>;

const message = <T extends string, B extends z.ZodType>(type: T, body: B) => z.object({ type: z.literal(type), body });

/** Every message body that crosses between two sites, keyed by the envelope's `type`. */
export const PartnerMessage = z.discriminatedUnion('type', [
  /** Accepting an invitation (acceptor → inviter), or a secret rotation on an established connection. */
  message('handshake', HandshakeBody),
  /** The inviter asking a public acceptor to prove it is the one accepting (src/pairing/challenge.ts). */
  message('challenge', ChallengeRequest),
  message('replica', ReplicaMessage),
  message('ack', AckBody),
  message('unexalate', UnexalateMessage),
  message('attachment', AttachmentChunk),
  /** Visual mode across sides and the upgrade to Script. */
  message('configure', ConfigureMessage),
  /** Link an existing issue to an existing one of the partner's (request and answer). */
  message('connect', ConnectMessage),
  /** The private side's exchange: its messages and confirmations out, the public side's messages back. */
  message('poll', PollRequestBody),
  message('ping', PingBody),
  /** The sender deleted the connection, or uninstalled the app. */
  message('delete', DeleteNotice),
  /** The sender's admin switched the connection off or on again: out of band, so it passes while deactivated. */
  message('state', StateNotice),
]);
export type PartnerMessage = z.output<typeof PartnerMessage>;
export type MessageType = PartnerMessage['type'];

// Every envelope type has a body here and every body an envelope type, or this does not compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const TYPES_MATCH_BODIES: Same<MessageType, EnvelopeType> = true;

/** What a sender may pass as the body of a `T` message. */
export type MessageBody<T extends MessageType> = Extract<z.input<typeof PartnerMessage>, { type: T }>['body'];
/** A `T` message's body as the receiver reads it. */
export type ReceivedBody<T extends MessageType> = Extract<PartnerMessage, { type: T }>['body'];

/** The types the sync engine and its operations send and handle; the others belong to the transport and pairing. */
export const ENGINE_MESSAGE_TYPES = ['replica', 'ack', 'unexalate', 'attachment', 'configure', 'connect'] as const satisfies readonly MessageType[];
export type EngineMessageType = (typeof ENGINE_MESSAGE_TYPES)[number];

/** An envelope whose body has been read as its type's. */
export type MessageOf<T extends MessageType> = Omit<Envelope, 'type' | 'body'> & { type: T; body: ReceivedBody<T> };

const bodySchemas = new Map<MessageType, z.ZodType>(PartnerMessage.options.map((option) => [option.shape.type.value, option.shape.body]));

/** The schema of a `type` message's body. */
export function bodySchema<T extends MessageType>(type: T): z.ZodType<ReceivedBody<T>, MessageBody<T>> {
  return bodySchemas.get(type) as z.ZodType<ReceivedBody<T>, MessageBody<T>>;
}

/** The body of a `type` message as the protocol reads it; throws zod's error when it is not one. */
export function readBody<T extends MessageType>(type: T, body: unknown): ReceivedBody<T> {
  return bodySchema(type).parse(body);
}

// ---------------------------------------------------------------------------
// Answers that carry more than an acknowledgement

/** The public side's answer to a poll. */
export const PollResponseBody = z.object({
  /** Outcomes for the request's messages, in order; a message without one was not processed. */
  results: z.array(PushReply),
  /** The public side's pending messages for the private side, in send order. */
  messages: z.array(Envelope),
  /** More messages wait than fitted in this answer. */
  more: z.boolean(),
  /** Milliseconds the public side held this poll open (a long poll); absent from a public side that does not. */
  waitedMs: z.number().nonnegative().optional(),
});
export type PollResponseBody = z.infer<typeof PollResponseBody>;
