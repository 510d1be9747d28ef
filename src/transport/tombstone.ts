import { z } from 'zod';
import type { Platform } from '../ports';
import { Delivery, type ConnectionRecord } from '../domain/connection';
import type { ErrorReply } from '../domain/protocol';
import type { DeleteNotice, Envelope } from '../domain/messages';
import { keyBytes, SecretState } from '../connections/secrets';
import { backoffSeconds } from './delivery-state';
import { postEnvelope, type PartnerReply } from './http';
import { pushWork } from './kick';
import { TOMBSTONE_PREFIX, tombstoneKey, tombstoneSecretKey } from './keys';
import { headerValue, sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signing';
import type { TransportSettings, WebTriggerResponse } from './types';
import { recordKind } from '../domain/stored-record';
import { newEnvelope } from './envelopes';

// What remains of a deleted connection until the partner has heard of it:
// where the partner is and the secret to sign the notice with. A public
// partner is told with a signed `delete` envelope; a private partner is told
// when it next polls (a signed 410 answer). Either way it expires.

export const Tombstone = z.object({
  connectionId: z.string(),
  remoteConnectionId: z.string(),
  url: z.string().nullable(),
  delivery: Delivery,
  deletedAt: z.number(),
  expiresAt: z.number(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number().nullable(),
});
export type Tombstone = z.infer<typeof Tombstone>;

const tombstoneRecord = recordKind({ name: 'tombstone', version: 1, schema: Tombstone, key: tombstoneKey });
/** The secret the notice is signed with, kept in secret storage beside the tombstone. */
const tombstoneSecretRecord = recordKind({ name: 'tombstone secret', version: 1, schema: SecretState, key: tombstoneSecretKey });

export async function writeTombstone(platform: Platform, connection: ConnectionRecord, secrets: SecretState, settings: TransportSettings): Promise<void> {
  const now = platform.clock.now();
  await platform.kvs.setSecret(tombstoneSecretKey(connection.id), secrets);
  await platform.kvs.set(tombstoneKey(connection.id), {
    connectionId: connection.id,
    remoteConnectionId: connection.remote.connectionId,
    url: connection.remote.url,
    delivery: connection.delivery,
    deletedAt: now,
    expiresAt: now + settings.tombstoneSeconds * 1000,
    attempts: 0,
    nextAttemptAt: connection.delivery === 'held' ? null : now,
  } satisfies Tombstone);
}

export async function readTombstone(platform: Platform, connectionId: string): Promise<{ tombstone: Tombstone; secrets: SecretState } | undefined> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(connectionId)) return undefined;
  const tombstone = await tombstoneRecord.find(platform, connectionId);
  const secrets = await tombstoneSecretRecord.findSecret(platform, connectionId);
  if (!tombstone || !secrets) return undefined;
  return { tombstone, secrets };
}

async function bury(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(tombstoneKey(connectionId));
  await platform.kvs.deleteSecret(tombstoneSecretKey(connectionId));
}

const secretKeys = (secrets: SecretState) =>
  [secrets.current, secrets.pending, secrets.previous?.secret].filter((s): s is string => !!s).map(keyBytes);

/**
 * The partner wrote to a connection we deleted. If it signs with the secret
 * we shared, tell it (signed) that the connection is gone; otherwise the
 * connection is simply unknown.
 */
export function answerFromTombstone(
  found: { tombstone: Tombstone; secrets: SecretState },
  envelope: Envelope,
  rawBody: string,
  headers: Record<string, string[]>,
  now: number,
): WebTriggerResponse | undefined {
  const timestamp = headerValue(headers, TIMESTAMP_HEADER) ?? '';
  const signature = headerValue(headers, SIGNATURE_HEADER) ?? '';
  if (verify(secretKeys(found.secrets), timestamp, envelope.messageId, rawBody, signature) < 0) return undefined;
  const body = JSON.stringify({
    error: 'The partner deleted this connection.',
    code: 'connection-deleted',
    retryable: false,
  } satisfies ErrorReply);
  const answeredAt = String(now);
  return {
    statusCode: 410,
    headers: {
      'Content-Type': ['application/json'],
      [TIMESTAMP_HEADER]: [answeredAt],
      [SIGNATURE_HEADER]: [sign(keyBytes(found.secrets.current), answeredAt, envelope.messageId, body)],
    },
    body,
  };
}

/** Sends the delete notice once; reschedules itself until the partner has it or the tombstone expires. */
export async function notifyPartner(platform: Platform, connectionId: string, settings: TransportSettings): Promise<void> {
  const found = await readTombstone(platform, connectionId);
  if (!found) return;
  const { tombstone, secrets } = found;
  const now = platform.clock.now();
  if (now > tombstone.expiresAt) {
    platform.log.warn('the partner never confirmed a deleted connection; giving up telling it', { connectionId });
    await bury(platform, connectionId);
    return;
  }
  if (!tombstone.url || tombstone.delivery === 'held') return;
  const reply = await postDeleteNotice(platform, { url: tombstone.url, remoteConnectionId: tombstone.remoteConnectionId }, secrets, { reason: 'deleted by the partner admin' });
  if (partnerHeard(reply)) {
    await bury(platform, connectionId);
    return;
  }
  const attempts = tombstone.attempts + 1;
  const delay = backoffSeconds(platform, attempts, settings, reply.kind === 'refused' ? reply.retryAfterSeconds : undefined);
  await platform.kvs.set(tombstoneKey(connectionId), { ...tombstone, attempts, nextAttemptAt: now + delay * 1000 });
  await pushWork(platform, { kind: 'transport.notify', connectionId }, delay);
}

/** One signed `delete` message to the partner, out of band (the connection's outbox may be gone already). */
export async function postDeleteNotice(
  platform: Platform,
  partner: { url: string; remoteConnectionId: string },
  secrets: SecretState,
  body: DeleteNotice,
): Promise<PartnerReply> {
  const envelope = newEnvelope(platform, { connectionId: partner.remoteConnectionId }, 'delete', body);
  return postEnvelope(platform, partner.url, envelope, { sign: keyBytes(secrets.current), verify: secretKeys(secrets) });
}

/** The partner took the notice, or answered that it has no such connection (any more). */
export const partnerHeard = (reply: PartnerReply): boolean =>
  reply.kind === 'answered' || (reply.kind === 'refused' && (reply.status === 404 || reply.status === 410));

/** Every tombstone, for the uninstall: each partner not yet told hears of it one last time. */
export async function listTombstones(platform: Platform): Promise<{ tombstone: Tombstone; secrets: SecretState }[]> {
  const out: { tombstone: Tombstone; secrets: SecretState }[] = [];
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(TOMBSTONE_PREFIX, { limit: 100, cursor });
    for (const { value } of tombstoneRecord.entries(page, platform.log)) {
      const found = await readTombstone(platform, value.connectionId);
      if (found) out.push(found);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Maintenance: re-drive overdue notices, drop expired tombstones. */
export async function sweepTombstones(platform: Platform): Promise<void> {
  const now = platform.clock.now();
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(TOMBSTONE_PREFIX, { limit: 100, cursor });
    for (const { value: t } of tombstoneRecord.entries(page, platform.log)) {
      if (now > t.expiresAt) await bury(platform, t.connectionId);
      else if (t.nextAttemptAt !== null && t.nextAttemptAt + 60_000 < now) await pushWork(platform, { kind: 'transport.notify', connectionId: t.connectionId });
    }
    cursor = page.nextCursor;
  } while (cursor);
}
