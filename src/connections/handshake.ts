import { createHash } from 'node:crypto';
import type { Platform } from '../ports';
import type { Envelope } from '../domain/envelope';
import { isLive } from '../domain/connection';
import { formatInstant, HandshakeAccept, type HandshakeAccepted } from '../domain/invitation';
import { describeZodError } from '../resolvers/define';
import { errorResponse, signedResponse } from '../transport/responses';
import { checkTimestamp, headerValue, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../transport/signing';
import type { WebTriggerResponse } from '../transport/types';
import { ensureInstance, exalateUrl } from './instance';
import { invitationKey, InvitationUse, invitationUsedKey, readInvitation, termsFingerprint } from './invitations';
import { deriveConnectionSecret, keyBytes, newNonce, writeSecrets } from './secrets';
import { readStoredConnection, saveConnection } from './store';

// The inviter's half of the handshake, behind the partner endpoint. The
// acceptor proves it holds the token with an HMAC keyed by the token's digest
// (all the inviter kept of it); the inviter answers with its own nonce, signed
// with the secret both can now derive. Every check passes before anything is
// stored, and exactly one acceptance can win.

const USED = 'This invitation code was already used. Ask your partner for a new one.';
const ALTERED =
  'This invitation code does not match the invitation it names: it was altered, or a newer code replaced it. Ask your partner for the current code.';
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
  if (checkTimestamp(headerValue(headers, TIMESTAMP_HEADER), now)) {
    return errorResponse(401, 'stale-timestamp', "The accepting instance's request is not current (its clock may be more than five minutes off).");
  }
  const requestHash = sha256(rawBody);

  const used = InvitationUse.safeParse(await platform.kvs.get(invitationUsedKey(id)));
  const stored = await readStoredConnection(platform, id);
  // A connection being deleted keeps its invitation record until the purge reaches it; its code is dead already.
  const invitation = stored?.deletion ? undefined : await readInvitation(platform, id);
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
  const digest = keyBytes(invitation.tokenDigest);
  const proof = verify([digest], headerValue(headers, TIMESTAMP_HEADER)!, envelope.messageId, rawBody, headerValue(headers, SIGNATURE_HEADER) ?? '');
  if (proof < 0) {
    return errorResponse(
      400,
      'bad-token',
      'The secret part of this invitation code does not match the invitation it names: it was altered, or a newer code replaced it. Ask your partner for the current code.',
    );
  }
  if (now > invitation.expiresAt) {
    return errorResponse(400, 'expired', `This invitation code has expired (it was valid until ${formatInstant(invitation.expiresAt)}). Ask your partner for a new one.`);
  }
  const connection = stored && isLive(stored) ? stored : undefined;
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
