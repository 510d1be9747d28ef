import { createHash } from 'node:crypto';
import type { Platform } from '../ports';
import type { Envelope } from '../domain/messages';
import { isLive } from '../domain/connection';
import { formatInstant, madeForAnotherSiteMessage, revokedMessage } from '../domain/invitation';
import { HandshakeAccept, type HandshakeAccepted } from '../domain/messages';
import { siteOf } from '../domain/site-url';
import { describeZodError } from '../domain/zod-error';
import { errorResponse, signedResponse } from '../transport/responses';
import { checkTimestamp, headerValue, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../transport/signing';
import type { WebTriggerResponse } from '../transport/types';
import { challengeAcceptor } from './challenge';
import { ensureInstance, exalateUrl, sameUrl } from '../connections/instance';
import { clearRefusal, noteRefusal } from '../connections/invitation-refusals';
import {
  invitationKey,
  isRevocation,
  readInvitation,
  readInvitationUse,
  termsFingerprint,
  invitationUsedKey,
  STALE_CLAIM_MS,
  type InvitationAcceptance,
} from '../connections/invitations';
import { deriveConnectionSecret, keyBytes, newNonce, writeSecrets } from '../connections/secrets';
import { readStoredConnection, saveConnection } from '../connections/store';

// The inviter's half of the handshake, behind the partner endpoint. The
// acceptor proves it holds the token with an HMAC keyed by the token's digest
// (all the inviter kept of it); the inviter answers with its own nonce, signed
// with the secret both can now derive. Every check passes before anything is
// stored, and exactly one acceptance can win.
//
// Holding the code is not enough: the code is bound to the partner's site.
// The acceptor's site (which its app reads from the platform, not from a
// person) must be that site, and a public acceptor must be the instance
// behind the Exalate URL resolved at initiation, proven by calling it back
// (`challenge.ts`). A refused attempt by a code holder is noted on the pending
// connection, so the inviter's admin learns the code got out.

const USED = 'This invitation code was already used. Ask your partner for a new one.';
const ALTERED =
  'This invitation code does not match the invitation it names: it was altered, or a newer code replaced it. Ask your partner for the current code.';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Inviter side: the web trigger received an acceptance. */
/** What older wizards stored for a private partner before it accepted. */
const UNNAMED_PARTNER = 'unknown';
const toShortName = (text: string) => text.trim().replace(/\s+/g, '-').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);

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

  const used = await readInvitationUse(platform, id);
  const stored = await readStoredConnection(platform, id);
  // A connection being deleted keeps its invitation record until the purge reaches it; its code is dead already.
  const invitation = stored?.deletion ? undefined : await readInvitation(platform, id);
  let retakingClaim = false;
  if (used && isRevocation(used)) return errorResponse(410, 'revoked', revokedMessage(used.inviterName, used.at));
  if (used) {
    const same = used.messageId === envelope.messageId && used.requestHash === requestHash;
    if (!same) return errorResponse(409, 'used', USED);
    const answer = used.answer;
    if (answer) {
      // The very same acceptance again (its answer was lost): the same answer, no second effect.
      return { statusCode: 200, headers: { 'Content-Type': ['application/json'], [TIMESTAMP_HEADER]: [answer.timestamp], [SIGNATURE_HEADER]: [answer.signature] }, body: answer.body };
    }
    if (now - used.at < STALE_CLAIM_MS) return errorResponse(503, 'in-progress', 'This acceptance is being processed; try again in a moment.', true);
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
  // From here the request comes from someone who holds the code.
  if (now > invitation.expiresAt) {
    return errorResponse(400, 'expired', `This invitation code has expired (it was valid until ${formatInstant(invitation.expiresAt)}). Ask your partner for a new one.`);
  }
  const connection = stored && isLive(stored) ? stored : undefined;
  if (!connection || connection.state !== 'pending') return errorResponse(409, 'used', USED);
  const identity = await ensureInstance(platform, siteUrl);
  if (accept.acceptor.instanceId === identity.instanceId) {
    return errorResponse(400, 'same-instance', "This invitation code was created on this instance. Accept it on the partner's instance.");
  }
  if (connection.kind === 'public' && !accept.acceptor.url) {
    return errorResponse(400, 'bad-handshake', "A public connection needs the accepting instance's Exalate URL.");
  }
  if (connection.kind === 'private' && accept.acceptor.url !== null) {
    return errorResponse(400, 'bad-handshake', 'The accepting side of a private connection is never called and must not send a URL.');
  }

  // 1. The site binding. For a private connection this is the only check on
  // who accepts: its acceptor has no URL the inviter could call back, so a
  // code holder whose app lies about its own site cannot be told apart here.
  const acceptorSite = siteOf(accept.acceptor.siteUrl) ?? accept.acceptor.siteUrl;
  if (acceptorSite !== invitation.partnerSiteUrl) {
    await noteRefusal(platform, id, `Someone tried to accept this invitation from ${acceptorSite}, which it was not made for; refused.`);
    return errorResponse(403, 'wrong-site', madeForAnotherSiteMessage(invitation.partnerSiteUrl, acceptorSite));
  }
  if (invitation.expectedInstanceId && accept.acceptor.instanceId !== invitation.expectedInstanceId) {
    await noteRefusal(platform, id, `Someone tried to accept this invitation from ${acceptorSite} with another Exalate installation than the one it was made for; refused.`);
    return errorResponse(400, 'wrong-instance', `This invitation was made for ${connection.remote.name} (${connection.remote.url ?? 'its URL'}), not for the instance that tried to accept it.`);
  }

  // 2. A public acceptor must be the endpoint resolved at initiation, and prove it by answering a challenge there.
  let confirmedUrl: string | null = null;
  if (connection.kind === 'public') {
    const declaredUrl = accept.acceptor.url!;
    const expectedUrl = invitation.expectedUrl ?? connection.remote.url;
    if (expectedUrl && !sameUrl(declaredUrl, expectedUrl)) {
      await noteRefusal(platform, id, `Someone tried to accept this invitation from ${acceptorSite} with the Exalate URL ${declaredUrl}, not ${expectedUrl}, the one it was made for; refused.`);
      return errorResponse(403, 'wrong-url', `This invitation was made for the Exalate at ${expectedUrl}; this instance's is ${declaredUrl}. Ask your partner for a code made for this instance.`);
    }
    // Never only the acceptor's word when the inviter knows where the partner is.
    const callBack = expectedUrl ?? declaredUrl;
    const challenged = await challengeAcceptor(platform, {
      connectionId: id,
      url: callBack,
      tokenDigest: digest,
      acceptanceHash: requestHash,
      partnerSiteUrl: invitation.partnerSiteUrl,
    });
    if (!challenged.ok) {
      await noteRefusal(platform, id, `Someone tried to accept this invitation as ${acceptorSite}, but the Exalate at ${callBack} did not confirm it (${challenged.reason}); refused.`);
      return errorResponse(
        403,
        'unconfirmed',
        `The inviting instance could not confirm this acceptance with the Exalate at ${callBack}: ${challenged.reason}. The code is still valid on the site it was made for (${invitation.partnerSiteUrl}), whose Exalate URL the inviting instance must be able to reach.`,
      );
    }
    confirmedUrl = callBack;
  }

  // Exactly one acceptance wins, even if two race, and a revocation takes the same slot.
  const claim: InvitationAcceptance = { messageId: envelope.messageId, requestHash, at: now, answer: null };
  if (retakingClaim) await platform.kvs.set(invitationUsedKey(id), claim);
  else if (!(await platform.kvs.setIfAbsent(invitationUsedKey(id), claim))) {
    const winner = await readInvitationUse(platform, id);
    if (winner && isRevocation(winner)) return errorResponse(410, 'revoked', revokedMessage(winner.inviterName, winner.at));
    return errorResponse(409, 'used', USED);
  }
  // A newer code issued while this one was being checked replaces it: give the slot back.
  if ((await readInvitation(platform, id))?.tokenDigest !== invitation.tokenDigest) {
    await platform.kvs.delete(invitationUsedKey(id));
    return errorResponse(400, 'altered', ALTERED);
  }

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
      // A partner the inviter could not name (older private codes said "unknown") is named by itself once it accepts.
      name: connection.remote.name === UNNAMED_PARTNER ? toShortName(accept.acceptor.name) || connection.remote.name : connection.remote.name,
      // Where this side will push: the URL that answered the challenge, not merely the one declared.
      url: confirmedUrl,
      siteUrl: acceptorSite,
      projectKey: accept.acceptor.projectKey,
      connectionId: id,
    },
  });
  // The digest goes with the invitation: the code can no longer prove anything here.
  await platform.kvs.delete(invitationKey(id));
  await clearRefusal(platform, id);
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
  } satisfies InvitationAcceptance);
  return response;
}
