import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { ProjectKey, type ConnectionRecord } from '../domain/connection';
import { ENVELOPE_VERSION, type Envelope } from '../domain/envelope';
import {
  assertNotExpired,
  decodeInvitation,
  formatInstant,
  HandshakeAccept,
  HandshakeAccepted,
  termsOf,
} from '../domain/invitation';
import { describeZodError } from '../resolvers/define';
import { postEnvelope } from '../transport/http';
import { errorResponse, signedResponse } from '../transport/responses';
import { checkTimestamp, headerValue, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../transport/signing';
import { seedPollChain } from '../transport/poll-chain';
import type { WebTriggerResponse } from '../transport/types';
import { ensureInstance, exalateUrl, readInstance } from './instance';
import { invitationKey, InvitationUse, invitationUsedKey, readInvitation, termsFingerprint } from './invitations';
import { assertProjectExists } from './projects';
import { deriveConnectionSecret, keyBytes, keyText, newNonce, tokenDigest, writeSecrets } from './secrets';
import { getConnection, saveConnection } from './store';

// Accepting an invitation. The acceptor always calls the inviter (the public
// side), proving it holds the token with an HMAC keyed by the token's digest;
// the inviter answers with its own nonce, signed with the secret both now
// derive. Nothing is stored on either side until every check has passed.

const USED = 'This invitation code was already used. Ask your partner for a new one.';
const ALTERED = 'This invitation code has been altered: it does not match the invitation that was issued. Ask your partner to copy it again.';
const STALE_CLAIM_MS = 120_000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Inviter side: the web trigger received an acceptance. */
export async function answerAcceptance(
  platform: Platform,
  siteUrl: string,
  envelope: Envelope,
  rawBody: string,
  headers: Record<string, string[]>,
): Promise<WebTriggerResponse> {
  const parsed = HandshakeAccept.safeParse(envelope.body);
  if (!parsed.success) return errorResponse(400, 'bad-handshake', `This is not a valid invitation acceptance: ${describeZodError(parsed.error)}.`);
  const accept = parsed.data;
  const id = envelope.connectionId;
  if (accept.invitation.connectionId !== id) return errorResponse(400, 'altered', ALTERED);
  const now = platform.clock.now();
  const requestHash = sha256(rawBody);

  const used = InvitationUse.safeParse(await platform.kvs.get(invitationUsedKey(id)));
  const invitation = await readInvitation(platform, id);
  let retakingClaim = false;
  if (used.success) {
    const same = used.data.messageId === envelope.messageId && used.data.requestHash === requestHash;
    if (!same) return errorResponse(409, 'used', USED);
    const answer = used.data.answer;
    if (answer) {
      // The very same acceptance again (its answer was lost): the same answer, no second effect.
      return { statusCode: 200, headers: { 'Content-Type': ['application/json'], [TIMESTAMP_HEADER]: [answer.timestamp], [SIGNATURE_HEADER]: [answer.signature] }, body: answer.body };
    }
    if (now - used.data.at < STALE_CLAIM_MS) return errorResponse(503, 'in-progress', 'This acceptance is being processed; try again in a moment.', true);
    if (!invitation) return errorResponse(409, 'used', USED);
    retakingClaim = true;
  }
  if (!invitation) {
    return errorResponse(404, 'unknown-invitation', 'The inviting instance has no invitation with this code: it was deleted or replaced by a newer code. Ask your partner for a new one.');
  }
  if (termsFingerprint(accept.invitation) !== invitation.termsFingerprint) return errorResponse(400, 'altered', ALTERED);
  const freshness = checkTimestamp(headerValue(headers, TIMESTAMP_HEADER), now);
  if (freshness) {
    return errorResponse(401, 'stale-timestamp', "The accepting instance's request is not current (its clock may be more than five minutes off).");
  }
  const digest = keyBytes(invitation.tokenDigest);
  const proof = verify([digest], headerValue(headers, TIMESTAMP_HEADER)!, envelope.messageId, rawBody, headerValue(headers, SIGNATURE_HEADER) ?? '');
  if (proof < 0) {
    return errorResponse(400, 'bad-token', 'This invitation code has been altered: its secret part does not match the invitation that was issued. Ask your partner to copy it again.');
  }
  if (now > invitation.expiresAt) {
    return errorResponse(400, 'expired', `This invitation code has expired (it was valid until ${formatInstant(invitation.expiresAt)}). Ask your partner for a new one.`);
  }
  const connection = await getConnection(platform, id);
  if (!connection || connection.state !== 'pending') return errorResponse(409, 'used', USED);
  const identity = await ensureInstance(platform, siteUrl);
  if (accept.acceptor.instanceId === identity.instanceId) {
    return errorResponse(400, 'same-instance', "This invitation code was created on this instance. Accept it on the partner's instance.");
  }
  if (invitation.expectedInstanceId && accept.acceptor.instanceId !== invitation.expectedInstanceId) {
    return errorResponse(400, 'wrong-instance', `This invitation was made for ${connection.remote.name} (${connection.remote.url ?? 'its URL'}), not for the instance that tried to accept it.`);
  }
  if (connection.kind === 'public' && !accept.acceptor.url) {
    return errorResponse(400, 'bad-handshake', "A public connection needs the accepting instance's Exalate URL.");
  }
  if (connection.kind === 'private' && accept.acceptor.url !== null) {
    return errorResponse(400, 'bad-handshake', 'The accepting side of a private connection is never called and must not send a URL.');
  }

  // Exactly one acceptance wins, even if two race.
  const claim: InvitationUse = { messageId: envelope.messageId, requestHash, at: now, answer: null };
  if (retakingClaim) await platform.kvs.set(invitationUsedKey(id), claim);
  else if (!(await platform.kvs.setIfAbsent(invitationUsedKey(id), claim))) return errorResponse(409, 'used', USED);

  const nonce = newNonce(platform);
  const secret = deriveConnectionSecret(digest, nonce, accept.nonce, id);
  await writeSecrets(platform, id, { current: secret });
  await saveConnection(platform, {
    ...connection,
    state: 'active',
    activatedAt: now,
    invitationExpiresAt: null,
    remote: {
      instanceId: accept.acceptor.instanceId,
      name: connection.remote.name,
      url: accept.acceptor.url,
      siteUrl: accept.acceptor.siteUrl,
      projectKey: accept.acceptor.projectKey,
      connectionId: id,
    },
  });
  // The digest goes with the invitation: the code can no longer prove anything here.
  await platform.kvs.delete(invitationKey(id));
  const answer: HandshakeAccepted = {
    phase: 'accepted',
    inviter: {
      instanceId: identity.instanceId,
      name: connection.localName,
      url: await exalateUrl(platform),
      siteUrl: identity.siteUrl ?? siteUrl,
      projectKey: connection.localProjectKey,
    },
    nonce,
  };
  const response = signedResponse(200, JSON.stringify(answer), keyBytes(secret), envelope.messageId, now);
  await platform.kvs.set(invitationUsedKey(id), {
    ...claim,
    answer: { body: response.body!, timestamp: response.headers![TIMESTAMP_HEADER]![0]!, signature: response.headers![SIGNATURE_HEADER]![0]! },
  } satisfies InvitationUse);
  return response;
}

export const AcceptInvitationInput = z.object({
  invitationCode: z.string().max(100_000, 'is far too long to be an invitation code'),
  projectKey: ProjectKey,
});
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;

const SEND_ATTEMPTS = 3;

/** Acceptor side: check the code, run the handshake, store the connection. */
export async function acceptInvitation(platform: Platform, input: AcceptInvitationInput, siteUrl: string | undefined): Promise<ConnectionRecord> {
  const code = decodeInvitation(input.invitationCode);
  assertNotExpired(code, platform.clock.now());
  const own = await readInstance(platform);
  if (own && own.instanceId === code.inviter.instanceId) {
    throw new AppError('InvalidInvitation', "This invitation code was created on this instance. Accept it on the partner's instance (to connect two projects of this site, initiate a connection with this instance's own URL).");
  }
  if (await getConnection(platform, code.connectionId)) throw new AppError('InvalidInvitation', USED);
  await assertProjectExists(platform, input.projectKey);

  const identity = await ensureInstance(platform, siteUrl);
  const nonce = newNonce(platform);
  const digest = tokenDigest(code.token);
  const body: HandshakeAccept = {
    phase: 'accept',
    invitation: termsOf(code),
    acceptor: {
      instanceId: identity.instanceId,
      name: identity.name,
      url: code.kind === 'public' ? await exalateUrl(platform) : null,
      siteUrl: identity.siteUrl ?? siteUrl ?? null,
      projectKey: input.projectKey,
    },
    nonce,
  };
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    connectionId: code.connectionId,
    messageId: platform.random.uuid(),
    seq: 0,
    sentAt: platform.clock.now(),
    type: 'handshake',
    body,
  };
  const secretFrom = (answerText: string): string | undefined => {
    try {
      const answer = HandshakeAccepted.safeParse(JSON.parse(answerText));
      return answer.success ? deriveConnectionSecret(digest, answer.data.nonce, nonce, code.connectionId) : undefined;
    } catch {
      return undefined;
    }
  };
  const keys = { sign: digest, verify: (text: string) => [secretFrom(text)].filter((s): s is string => !!s).map(keyBytes) };

  let reply = await postEnvelope(platform, code.inviter.url, envelope, keys);
  for (let attempt = 1; attempt < SEND_ATTEMPTS && (reply.kind === 'unreachable' || (reply.kind === 'refused' && reply.retryable)); attempt++) {
    reply = await postEnvelope(platform, code.inviter.url, envelope, keys);
  }
  if (reply.kind === 'unreachable') {
    throw new AppError('PartnerUnavailable', `The inviting instance (${code.inviter.url}) could not be reached: ${reply.reason}. The invitation code is still valid; try again when it is online.`);
  }
  if (reply.kind === 'refused') {
    if (reply.retryable) throw new AppError('PartnerUnavailable', `The inviting instance could not take the acceptance right now: ${reply.reason} Try again later.`);
    if (reply.code === 'unverified-answer') throw new AppError('InvalidInvitation', 'The inviting instance answered, but not with the key this code leads to; the code may have been altered.');
    throw new AppError('InvalidInvitation', reply.reason);
  }
  const answer = HandshakeAccepted.safeParse(reply.body);
  if (!answer.success || answer.data.inviter.instanceId !== code.inviter.instanceId) {
    throw new AppError('PartnerRejected', 'The inviting instance answered as a different instance than the code names.');
  }
  const secret = secretFrom(reply.text)!;
  await writeSecrets(platform, code.connectionId, { current: secret });
  const now = platform.clock.now();
  const record: ConnectionRecord = {
    v: 1,
    id: code.connectionId,
    name: code.name,
    description: '',
    mode: code.mode,
    kind: code.kind,
    delivery: code.kind === 'public' ? 'push' : 'poll',
    state: 'active',
    localName: code.inviteeName,
    localProjectKey: input.projectKey,
    remote: {
      instanceId: answer.data.inviter.instanceId,
      name: code.inviter.name,
      url: answer.data.inviter.url,
      siteUrl: answer.data.inviter.siteUrl,
      projectKey: answer.data.inviter.projectKey,
      connectionId: code.connectionId,
    },
    inviter: false,
    createdAt: now,
    activatedAt: now,
    invitationExpiresAt: null,
  };
  await saveConnection(platform, record);
  if (record.delivery === 'poll') await seedPollChain(platform, record.id);
  return record;
}

/** Used when an acceptance is refused in a way a person should read as "the code is bad". */
export const invitationExpiredText = (expiresAt: number) => `The invitation code expired on ${formatInstant(expiresAt)}.`;

/** A fresh random secret for connections that never cross a wire (the two halves of a local connection). */
export const randomSecret = (platform: Platform) => keyText(platform.random.bytes(32));
