import { z } from 'zod';
import type { KvsTransactionOp, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { DEFAULT_POLLING, type PollingSettings } from '../domain/polling';
import type { EngineMessageType, Envelope, MessageOf, RotateReply, RotateRequest } from '../domain/messages';

/**
 * Handles one incoming message of a type the sync engine owns, its body
 * already read by the protocol's schema for that type. What it
 * returns travels back to the sender (`onDelivered` there). Throwing means
 * "not now": the sender keeps the message and tries again, so handlers that
 * meet a permanent problem should record it and return, not throw.
 *
 * Repeats are answered from the receiver's dedupe record without calling the
 * handler again, with one exception no storage can close: if the invocation
 * dies after the handler returned but before that record was written, the
 * same envelope (same `messageId`) comes once more. Handlers should remember
 * the last `messageId` they applied per twin and skip it.
 */
export type InboundHandler<T extends EngineMessageType> = (platform: Platform, connection: ConnectionRecord, message: MessageOf<T>) => Promise<unknown>;

/** The engine's handlers, by message type; a type without one waits on the sending side. */
export type InboundHandlers = { [T in EngineMessageType]?: InboundHandler<T> };

export interface TransportSettings {
  /** Private side: the polling intervals of connections that set none of their own (src/domain/polling.ts). */
  polling: PollingSettings;
  /** Failed deliveries in a row before the connection shows status Error. */
  failuresBeforeError: number;
  backoffBaseSeconds: number;
  /** Forge delays queue events by at most 900 s. */
  backoffMaxSeconds: number;
  /** After a rotation, how long the old secret is still accepted. */
  secretGraceSeconds: number;
  /** How long a deleted connection keeps trying to tell the partner. */
  tombstoneSeconds: number;
  /** Largest request body the partner endpoint reads. */
  maxRequestBytes: number;
}

export const DEFAULT_SETTINGS: TransportSettings = {
  polling: DEFAULT_POLLING,
  failuresBeforeError: 5,
  backoffBaseSeconds: 5,
  backoffMaxSeconds: 900,
  secretGraceSeconds: 3600,
  tombstoneSeconds: 7 * 24 * 3600,
  maxRequestBytes: 1024 * 1024,
};

/**
 * What the partner endpoint and the delivery worker hand to the flows that
 * make and change connections (src/pairing). Those flows send through the
 * transport, so the transport cannot import them: src/app.ts fills this in.
 */
export interface PairingHandlers {
  /** Inviter side: an acceptor proves it holds an invitation's token (no connection is live here yet). */
  answerAcceptance(platform: Platform, siteUrl: string, envelope: Envelope, rawBody: string, headers: Record<string, string[]>): Promise<WebTriggerResponse>;
  /** Acceptor side: the inviter asks whether this site is the one accepting its invitation right now. */
  answerChallenge(platform: Platform, envelope: Envelope, rawBody: string, headers: Record<string, string[]>): Promise<WebTriggerResponse>;
  /** The partner asks for a new secret over an established connection; runs once per request (the receiver dedupes it). */
  answerRotation(platform: Platform, connection: ConnectionRecord, request: RotateRequest): Promise<{ ok: true; reply: RotateReply } | { ok: false; reason: string }>;
  /** The partner took our rotation request and answered `result`: switch secrets, keep the old one for `graceMs`. */
  completeRotation(platform: Platform, connection: ConnectionRecord, envelope: Envelope, result: unknown, graceMs: number): Promise<void>;
}

/** What the app gives the transport for one invocation, besides the platform. */
export interface TransportDeps {
  /**
   * This installation, as the partner endpoint describes it to partners. Asked for only where it is needed
   * (who-are-you, an acceptance), so that a synced edit's invocations do not read the identity for nothing.
   */
  instance(): Promise<{
    siteUrl: string;
    /** The admin page where an invitation is accepted; the code is appended as `?invitation=<code>`. */
    acceptPageUrl: string;
  }>;
  pairing: PairingHandlers;
  /** Per envelope type the engine owns (`replica`, `ack`, `unexalate`, `attachment`, `configure`, `connect`). */
  inbound: InboundHandlers;
  /**
   * Types whose handler tells a repeat by the message itself (a sequence number it keeps), so the transport
   * keeps no replay record for them: no claim and no answer written per message. Their handlers must take any
   * repeat, a replay inside the signature's time window included, without a second effect, and one that
   * meets the first delivery still at work without harm. Absent: every message is handled once by its id.
   */
  toldBySequence?: ReadonlySet<EngineMessageType>;
  /** A message this side sent was taken by the partner; `result` is what the partner's handler returned. */
  /**
   * `finish`: the writes that take the message out of the outbox. A handler that records the answer in a
   * transaction of its own puts them in it and answers true; otherwise the transport makes them after.
   */
  onDelivered?: (platform: Platform, connection: ConnectionRecord, envelope: Envelope, result: unknown, finish: KvsTransactionOp[]) => Promise<boolean | void>;
  settings?: Partial<TransportSettings>;
}

export function settingsOf(deps: Pick<TransportDeps, 'settings'> | undefined): TransportSettings {
  return { ...DEFAULT_SETTINGS, ...(deps?.settings ?? {}) };
}

/** Forge's web trigger request. */
export const WebTriggerRequest = z.object({
  method: z.string(),
  headers: z.record(z.string(), z.array(z.string())).default({}),
  body: z.string().default(''),
  path: z.string().default('/'),
  queryParameters: z.record(z.string(), z.array(z.string())).default({}),
});
export type WebTriggerRequest = z.input<typeof WebTriggerRequest>;

/** Forge's web trigger response. */
export interface WebTriggerResponse {
  statusCode: number;
  headers?: Record<string, string[]>;
  body?: string;
}

/** Queue work the transport pushes and handles; every kind starts with `transport.`. */
export const TransportWork = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transport.deliver'), connectionId: z.string() }),
  z.object({
    kind: z.literal('transport.poll'),
    connectionId: z.string(),
    /** Present on the self-renewing chain; absent on a one-off poll ("right after it has something to send"). */
    chainId: z.string().optional(),
    hop: z.number().int().nonnegative().optional(),
  }),
  /**
   * Queued by versions before the purge (src/removal/purge.ts) existed; such leftovers are found by the
   * orphan sweep, so an event still in a queue is accepted and dropped.
   */
  z.object({ kind: z.literal('transport.cleanup'), connectionId: z.string(), hookDone: z.boolean().optional() }),
  z.object({ kind: z.literal('transport.notify'), connectionId: z.string() }),
  /** Tell the partner this side's admin switched the connection off or on (src/transport/announce.ts). */
  z.object({ kind: z.literal('transport.announce'), connectionId: z.string(), attempt: z.number().int().nonnegative() }),
]);
export type TransportWork = z.infer<typeof TransportWork>;

export const isTransportWork = (body: { kind?: unknown }): boolean =>
  typeof body.kind === 'string' && body.kind.startsWith('transport.');
