import { z } from 'zod';

// What crosses the wire between two installations. Every request is one
// envelope (or a poll carrying several); every answer says, per message,
// whether the receiver took it or refused it and whether to try again.

export const ENVELOPE_VERSION = 1;

export const EnvelopeType = z.enum([
  'handshake',
  'replica',
  'ack',
  'unexalate',
  'configure',
  'poll',
  'ping',
  'attachment',
  'delete',
  /** Link an existing issue to an existing one of the partner's (request and answer). */
  'connect',
  /** The inviter asking a public acceptor to prove it is the one accepting (`src/pairing/challenge.ts`). */
  'challenge',
  /** The sender's admin switched the connection off or on again: out of band, so it passes while deactivated. */
  'state',
]);
export type EnvelopeType = z.infer<typeof EnvelopeType>;

export const MessageId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'has characters a message id never has');

export const Envelope = z.object({
  v: z.literal(ENVELOPE_VERSION),
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

/** How a receiver answered one message. */
export const Outcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), result: z.unknown() }),
  z.object({
    status: z.literal('refused'),
    /** Retryable refusals keep the message queued on the sender; the others too, but they show as an error. */
    retryable: z.boolean(),
    code: z.string(),
    reason: z.string(),
  }),
]);
export type Outcome = z.infer<typeof Outcome>;

/** The answer to a single pushed envelope. */
export const PushReply = z.object({ messageId: MessageId, outcome: Outcome });
export type PushReply = z.infer<typeof PushReply>;

/** The private side's word that it processed a message the public side handed out. */
export const PollConfirm = z.object({ messageId: MessageId, seq: z.number().int().nonnegative(), outcome: Outcome });
export type PollConfirm = z.infer<typeof PollConfirm>;

export const PollRequestBody = z.object({
  /** The private side's outgoing messages, in send order. */
  messages: z.array(Envelope),
  /** Messages from the previous answer the private side has processed; only now may the public side drop them. */
  confirms: z.array(PollConfirm),
});
export type PollRequestBody = z.infer<typeof PollRequestBody>;

export const PollResponseBody = z.object({
  /** Outcomes for the request's messages, in order; a message without one was not processed. */
  results: z.array(PushReply),
  /** The public side's pending messages for the private side, in send order. */
  messages: z.array(Envelope),
  /** More messages wait than fitted in this answer. */
  more: z.boolean(),
});
export type PollResponseBody = z.infer<typeof PollResponseBody>;

/** Unsigned error answers: a status, a machine code and words for a person. */
export const ErrorReply = z.object({
  error: z.string(),
  code: z.string(),
  retryable: z.boolean(),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

/** Body of a `state` message: whether the sender's side is switched on, as of `at` (the sender's clock). */
export const StateNotice = z.object({ active: z.boolean(), at: z.number().int() });
export type StateNotice = z.infer<typeof StateNotice>;

/** Body of a `delete` message: the sender deleted the connection, or the whole app was uninstalled there. */
export const DeleteNotice = z.object({ reason: z.string().max(500).optional(), uninstalled: z.boolean().optional() });
export type DeleteNotice = z.infer<typeof DeleteNotice>;

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

/** What an instance answers to an unsigned GET on its Exalate URL. */
export const PartnerInfo = z.object({
  app: z.literal('exalate-forge-sync'),
  protocol: z.literal(ENVELOPE_VERSION),
  instanceId: z.string().min(1),
  name: z.string(),
  exalateUrl: z.string(),
  siteUrl: z.string(),
  /** The admin page where an invitation is accepted; the code goes in its `invitation` query parameter. */
  acceptPage: z.string(),
  modes: z.array(z.string()),
});
export type PartnerInfo = z.infer<typeof PartnerInfo>;
