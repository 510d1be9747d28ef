import { z } from 'zod';

// What every exchange between two installations shares, whatever it carries:
// the protocol version, message ids, how a receiver answers one message, the
// unsigned error answer, and what an instance says about itself. The messages
// themselves (the envelope and every body, by type) are in ./messages.ts.

/**
 * The one version number of the partner protocol: envelopes carry it (`v`) and
 * an instance announces it (`PartnerInfo.protocol`). Change it only with a way
 * for both versions to talk, since partners upgrade at different times.
 */
export const PROTOCOL_VERSION = 1;

export const MessageId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'has characters a message id never has');

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

/** Unsigned error answers: a status, a machine code and words for a person. */
export const ErrorReply = z.object({
  error: z.string(),
  code: z.string(),
  retryable: z.boolean(),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

export const APP_NAME = 'exalate-forge-sync';

/** What an instance answers to an unsigned GET on its Exalate URL. */
export const PartnerInfo = z.object({
  app: z.literal(APP_NAME),
  protocol: z.literal(PROTOCOL_VERSION),
  instanceId: z.string().min(1),
  name: z.string(),
  exalateUrl: z.string(),
  siteUrl: z.string(),
  /** The admin page where an invitation is accepted; the code goes in its `invitation` query parameter. */
  acceptPage: z.string(),
  modes: z.array(z.string()),
});
export type PartnerInfo = z.infer<typeof PartnerInfo>;
