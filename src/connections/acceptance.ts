import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { ProjectKey, type ConnectionRecord } from '../domain/connection';
import { ENVELOPE_VERSION, type Envelope } from '../domain/envelope';
import { assertNotExpired, decodeInvitation, HandshakeAccept, HandshakeAccepted, termsOf } from '../domain/invitation';
import { postEnvelope } from '../transport/http';
import { seedPollChain } from '../transport/poll-chain';
import { ensureInstance, exalateUrl, readInstance } from './instance';
import { assertProjectExists } from './projects';
import { deriveConnectionSecret, keyBytes, newNonce, tokenDigest, writeSecrets } from './secrets';
import { readStoredConnection, saveConnection } from './store';

// "Accept invitation": check the pasted code, prove the token to the inviter
// (the public side: the acceptor always calls it), derive the shared secret
// from the two nonces, and only then store the connection. Every way a code
// can be wrong ends in an InvalidInvitation error before anything is stored.

const USED = 'This invitation code was already used. Ask your partner for a new one.';

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
  // Any record with this id, even one being deleted, means the code was used here.
  if (await readStoredConnection(platform, code.connectionId)) throw new AppError('InvalidInvitation', USED);
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
