import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import { RotateReply, RotateRequest, type Envelope } from '../domain/messages';
import { enqueue, queued } from '../transport/outbox';
import { kick } from '../transport/kick';
import {
  deriveRotatedSecret,
  fingerprint,
  keyText,
  newNonce,
  readSecrets,
  writeSecrets,
  type SecretState,
} from '../connections/secrets';
import { clearRotation, readRotation, writeRotation } from '../connections/rotation-record';

// A new secret agreed by a signed exchange over the connection itself. The
// request travels through the outbox like any message (so it works in every
// delivery mode and survives the partner being away); the answer carries the
// responder's nonce. The responder keeps the new secret as `pending` and
// keeps signing with the old one until the initiator signs with the new one;
// the initiator switches at once and still accepts the old one for a grace
// period. Messages in flight under either secret are never refused.

export type RotationStatus = { status: 'rotated' } | { status: 'requested'; messageId: string };

export async function requestRotation(platform: Platform, connection: ConnectionRecord, partnerHalf?: ConnectionRecord): Promise<RotationStatus> {
  if (connection.state === 'pending') throw new AppError('Conflict', 'This connection is not accepted yet; there is no secret to rotate.');
  if (connection.kind === 'local') {
    // Both halves live here: nothing crosses a wire, so a fresh random secret is simply shared.
    const secret = keyText(platform.random.bytes(32));
    await writeSecrets(platform, connection.id, { current: secret });
    if (partnerHalf) await writeSecrets(platform, partnerHalf.id, { current: secret });
    return { status: 'rotated' };
  }
  // A rotation still on its way to the partner is the one to wait for; asking again changes nothing.
  const underway = await readRotation(platform, connection.id);
  if (underway && (await queued(platform, connection.id, underway.seq))) {
    return { status: 'requested', messageId: underway.messageId };
  }
  const secrets = await readSecrets(platform, connection.id);
  if (!secrets) throw new AppError('Internal', 'This connection has no secret stored; delete it and connect again.');
  const envelope = await enqueue(platform, connection, 'handshake', {
    phase: 'rotate',
    nonce: newNonce(platform),
    basedOn: fingerprint(secrets.current),
  } satisfies RotateRequest);
  await writeRotation(platform, connection.id, { messageId: envelope.messageId, seq: envelope.seq, requestedAt: platform.clock.now() });
  await kick(platform, connection);
  return { status: 'requested', messageId: envelope.messageId };
}

function secretByFingerprint(state: SecretState, basedOn: string): string | undefined {
  return [state.current, state.pending, state.previous?.secret].find((s) => s !== undefined && fingerprint(s) === basedOn);
}

/** Responder: derive the new secret and keep it pending. Runs once per request (the receiver dedupes it). */
export async function answerRotation(
  platform: Platform,
  connection: ConnectionRecord,
  request: RotateRequest,
): Promise<{ ok: true; reply: RotateReply } | { ok: false; reason: string }> {
  const secrets = await readSecrets(platform, connection.id);
  const base = secrets && secretByFingerprint(secrets, request.basedOn);
  if (!secrets || !base) return { ok: false, reason: 'The secret this rotation starts from is not known here.' };
  const nonce = newNonce(platform);
  const pending = deriveRotatedSecret(base, request.nonce, nonce, connection.id);
  await writeSecrets(platform, connection.id, { ...secrets, pending });
  return { ok: true, reply: { phase: 'rotated', nonce, basedOn: request.basedOn } };
}

/** Initiator: the partner answered; switch to the new secret, keep the old one for the grace period. */
export async function completeRotation(
  platform: Platform,
  connection: ConnectionRecord,
  envelope: Envelope,
  result: unknown,
  graceMs: number,
): Promise<void> {
  const request = RotateRequest.safeParse(envelope.body);
  const reply = RotateReply.safeParse(result);
  const secrets = await readSecrets(platform, connection.id);
  const base = request.success && secrets ? secretByFingerprint(secrets, request.data.basedOn) : undefined;
  if (!request.success || !reply.success || !secrets || !base) {
    platform.log.warn('secret rotation answer could not be used; the current secret stays', { connectionId: connection.id });
    await clearRotation(platform, connection.id);
    return;
  }
  const next = deriveRotatedSecret(base, request.data.nonce, reply.data.nonce, connection.remote.connectionId);
  if (next !== secrets.current) {
    await writeSecrets(platform, connection.id, {
      current: next,
      previous: { secret: secrets.current, until: platform.clock.now() + graceMs },
    });
  }
  await clearRotation(platform, connection.id);
}
