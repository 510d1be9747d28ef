import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../ports';
import type { Envelope } from '../domain/messages';
import { ChallengeAnswer, ChallengeRequest } from '../domain/messages';
import { sameSite } from '../domain/site-url';
import { describeZodError } from '../domain/zod-error';
import { withDeadline } from '../transport/deadline';
import { postEnvelope } from '../transport/http';
import { errorResponse, signedResponse } from '../transport/responses';
import { checkTimestamp, headerValue, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../transport/signing';
import type { WebTriggerResponse } from '../transport/types';
import { readAccepting } from '../connections/accepting';
import { exalateUrl, sameUrl } from '../connections/instance';
import { keyBytes, newNonce } from '../connections/secrets';
import { newEnvelope } from '../transport/envelopes';

// Proof that the acceptor of a public connection is the instance behind the
// Exalate URL the inviter expects, not a third site that holds a leaked code
// and names someone else's URL and site. The inviter calls that URL back with
// a fresh nonce; only an endpoint whose own admin is accepting this very
// request (it keeps a short-lived note of it, with the token digest) answers,
// with an HMAC keyed by the digest over the nonce, the connection, the
// acceptance, and its own URL and site. A private acceptor has no URL to call
// back; there the site binding checked in the handshake is all there is.

/**
 * The nested call runs inside the inviter's web trigger (55 s) while the
 * acceptor's resolver (25 s) waits for the handshake's answer, so it gets well
 * under half the acceptor's budget.
 */
export const CHALLENGE_TIMEOUT_MS = 10_000;

interface ProofParts {
  nonce: string;
  connectionId: string;
  acceptance: string;
  url: string;
  siteUrl: string;
}

/** JSON of the parts, so no choice of URL can make two different sets read the same. */
export function challengeProof(tokenDigest: Uint8Array, parts: ProofParts): string {
  const text = JSON.stringify(['exalate-sync challenge v1', parts.nonce, parts.connectionId, parts.acceptance, parts.url, parts.siteUrl]);
  return createHmac('sha256', tokenDigest).update(text, 'utf8').digest('base64url');
}

function sameProof(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64url');
  const right = Buffer.from(b, 'base64url');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type ChallengeOutcome = { ok: true } | { ok: false; reason: string };

export interface ChallengeInput {
  connectionId: string;
  /** The Exalate URL the inviter expects the acceptor at (resolved at initiation, never only the acceptor's word when known). */
  url: string;
  tokenDigest: Uint8Array;
  /** Hex SHA-256 of the acceptance request's raw body. */
  acceptanceHash: string;
  /** The site the invitation was made for. */
  partnerSiteUrl: string;
}

/** Inviter side: ask the expected endpoint to prove it is the one accepting. */
export async function challengeAcceptor(platform: Platform, input: ChallengeInput): Promise<ChallengeOutcome> {
  const nonce = newNonce(platform);
  const body: ChallengeRequest = { phase: 'challenge', nonce, acceptance: input.acceptanceHash };
  const envelope = newEnvelope(platform, { connectionId: input.connectionId }, 'challenge', body);
  const keys = { sign: input.tokenDigest, verify: [input.tokenDigest] };
  const reply = await withDeadline(postEnvelope(platform, input.url, envelope, keys), CHALLENGE_TIMEOUT_MS);
  if (reply === 'timeout') return { ok: false, reason: `it did not answer within ${CHALLENGE_TIMEOUT_MS / 1000} s` };
  if (reply.kind === 'unreachable') return { ok: false, reason: `it could not be reached (${reply.reason})` };
  // Its sentence goes inside ours: without its closing full stop.
  if (reply.kind === 'refused') return { ok: false, reason: `it answered: ${reply.reason.replace(/\.\s*$/, '')}` };
  const answer = ChallengeAnswer.safeParse(reply.body);
  if (!answer.success) return { ok: false, reason: `its answer is not a challenge answer (${describeZodError(answer.error)})` };
  const expected = challengeProof(input.tokenDigest, {
    nonce,
    connectionId: input.connectionId,
    acceptance: input.acceptanceHash,
    url: answer.data.url,
    siteUrl: answer.data.siteUrl,
  });
  if (!sameProof(answer.data.proof, expected)) return { ok: false, reason: 'its proof does not match this invitation' };
  if (!sameUrl(answer.data.url, input.url)) return { ok: false, reason: `it says its Exalate URL is ${answer.data.url}` };
  if (!sameSite(answer.data.siteUrl, input.partnerSiteUrl)) return { ok: false, reason: `it belongs to the site ${answer.data.siteUrl}` };
  return { ok: true };
}

/** Acceptor side, behind the partner endpoint: answer only for an acceptance this site has in progress. */
export async function answerChallenge(
  platform: Platform,
  envelope: Envelope,
  rawBody: string,
  headers: Record<string, string[]>,
): Promise<WebTriggerResponse> {
  const parsed = ChallengeRequest.safeParse(envelope.body);
  if (!parsed.success) return errorResponse(400, 'bad-challenge', `This is not a valid acceptance challenge: ${describeZodError(parsed.error)}.`);
  const now = platform.clock.now();
  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  if (checkTimestamp(timestamp, now)) return errorResponse(401, 'bad-timestamp', "The challenge is not current (the inviting instance's clock may be more than five minutes off).");
  const accepting = await readAccepting(platform, envelope.connectionId, parsed.data.acceptance);
  if (!accepting) return errorResponse(404, 'not-accepting', 'This instance is not accepting that invitation right now.');
  const digest = keyBytes(accepting.tokenDigest);
  if (verify([digest], timestamp!, envelope.messageId, rawBody, headerValue(headers, SIGNATURE_HEADER) ?? '') < 0) {
    return errorResponse(401, 'bad-signature', 'The challenge is not signed with the invitation this instance is accepting.');
  }
  const url = await exalateUrl(platform);
  const answer: ChallengeAnswer = {
    phase: 'challenged',
    url,
    siteUrl: accepting.siteUrl,
    proof: challengeProof(digest, { nonce: parsed.data.nonce, connectionId: envelope.connectionId, acceptance: parsed.data.acceptance, url, siteUrl: accepting.siteUrl }),
  };
  return signedResponse(200, JSON.stringify(answer), digest, envelope.messageId, now);
}
