import { assertNameFree, freeName } from '../connections/names';
import { createHash } from 'node:crypto';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { checkPartnerUrl } from '../transport/partner-url';
import type { ConnectionRecord } from '../domain/connection';
import type { AcceptInvitationInput } from '../contract/inputs';
import { assertMadeForSite, assertNotExpired, decodeInvitation, termsOf } from '../domain/invitation';
import { HandshakeAccept, HandshakeAccepted } from '../domain/messages';
import { siteOf } from '../domain/site-url';
import { withDeadline } from '../transport/deadline';
import { postEnvelope, type PartnerReply } from '../transport/http';
import { seedPollChain } from '../transport/poll-chain';
import { startAccepting, stopAccepting } from '../connections/accepting';
import { ensureInstance, exalateUrl, readInstance } from '../connections/instance';
import { assertProjectExists } from '../connections/projects';
import { deriveConnectionSecret, keyBytes, keyText, newNonce, tokenDigest, writeSecrets } from '../connections/secrets';
import { readStoredConnection, saveConnection } from '../connections/store';
import { newEnvelope } from '../transport/envelopes';

// "Accept invitation": check the pasted code, prove the token to the inviter
// (the public side: the acceptor always calls it), derive the shared secret
// from the two nonces, and only then store the connection. Every way a code
// can be wrong ends in an InvalidInvitation error before anything is stored.
// A code made for another site is refused here before anything is sent; the
// inviter checks the same binding again, since it cannot trust this side.

const USED = 'This invitation code was already used. Ask your partner for a new one.';

const SEND_ATTEMPTS = 3;
/**
 * The resolver runs for at most 25 s. The handshake gets 21 s of it (room left
 * to store the connection and answer), and no new attempt starts after 10 s,
 * since one attempt may include the inviter's 10 s challenge back to this site.
 */
const HANDSHAKE_BUDGET_MS = 21_000;
const RETRY_WITHIN_MS = 10_000;

/** Acceptor side: check the code, run the handshake, store the connection. */
export async function acceptInvitation(platform: Platform, input: AcceptInvitationInput, siteUrl: string | undefined): Promise<ConnectionRecord> {
  const code = decodeInvitation(input.invitationCode);
  assertNotExpired(code, platform.clock.now());
  // The inviter is called at the URL the code carries: https only (a sandbox's own sites excepted), said at once.
  const inviterUrl = checkPartnerUrl(code.inviter.url, platform.partnerUrls);
  if (!inviterUrl.ok) throw new AppError('InvalidInvitation', `This invitation code points at an address this app will not call: ${inviterUrl.reason}`);
  const own = await readInstance(platform);
  if (own && own.instanceId === code.inviter.instanceId) {
    throw new AppError('InvalidInvitation', "This invitation code was created on this instance. Accept it on the partner's instance (to connect two projects of this site, initiate a connection with this instance's own URL).");
  }
  // This site as the platform reports it (the resolver's context), never what a person typed.
  const thisSite = siteOf(siteUrl) ?? siteOf(own?.siteUrl);
  if (!thisSite) {
    throw new AppError('Internal', "This site's address is unknown (the platform did not report it), so the invitation cannot be checked against it. Reload the page and try again.");
  }
  assertMadeForSite(code, thisSite);
  // Any record with this id, even one being deleted, means the code was used here.
  if (await readStoredConnection(platform, code.connectionId)) throw new AppError('InvalidInvitation', USED);
  await assertProjectExists(platform, input.projectKey);
  // The admin's name for it here must be free; the inviter's is made free (names are unique per site).
  if (input.name !== undefined) await assertNameFree(platform, input.name);
  const name = input.name ?? (await freeName(platform, code.name));

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
      siteUrl: thisSite,
      projectKey: input.projectKey,
    },
    nonce,
  };
  const envelope = newEnvelope(platform, { connectionId: code.connectionId }, 'handshake', body);
  const secretFrom = (answerText: string): string | undefined => {
    try {
      const answer = HandshakeAccepted.safeParse(JSON.parse(answerText));
      return answer.success ? deriveConnectionSecret(digest, answer.data.nonce, nonce, code.connectionId) : undefined;
    } catch {
      return undefined;
    }
  };
  const keys = { sign: digest, verify: (text: string) => [secretFrom(text)].filter((s): s is string => !!s).map(keyBytes) };

  // The inviter of a public connection calls this site's endpoint back before it activates anything; the
  // endpoint answers only while this note exists, and only for this very request (postEnvelope sends
  // exactly JSON.stringify(envelope), so both sides hash the same text).
  const acceptanceHash = createHash('sha256').update(JSON.stringify(envelope), 'utf8').digest('hex');
  const challengeable = code.kind === 'public';
  if (challengeable) await startAccepting(platform, code.connectionId, acceptanceHash, { tokenDigest: keyText(digest), siteUrl: thisSite });
  let reply: PartnerReply;
  try {
    const started = platform.clock.now();
    const send = async (): Promise<PartnerReply> => {
      const left = HANDSHAKE_BUDGET_MS - (platform.clock.now() - started);
      const answer = await withDeadline(postEnvelope(platform, code.inviter.url, envelope, keys), left);
      return answer === 'timeout' ? { kind: 'unreachable', reason: `no answer within ${Math.round(HANDSHAKE_BUDGET_MS / 1000)} s` } : answer;
    };
    reply = await send();
    for (
      let attempt = 1;
      attempt < SEND_ATTEMPTS && platform.clock.now() - started < RETRY_WITHIN_MS && (reply.kind === 'unreachable' || (reply.kind === 'refused' && reply.retryable));
      attempt++
    ) {
      reply = await send();
    }
  } finally {
    if (challengeable) await stopAccepting(platform, code.connectionId, acceptanceHash);
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
    name,
    description: code.description ?? '',
    mode: code.mode,
    // Nothing published yet: the default rules, read from nowhere.
    rulesVersion: 0,
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
