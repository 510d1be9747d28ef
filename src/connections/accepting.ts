import { z } from 'zod';
import type { Platform } from '../ports';
import { recordKind } from '../domain/stored-record';

// The acceptor's short-lived note that it is accepting one invitation right
// now: its endpoint answers the inviter's challenge only while this exists, and
// only for the very acceptance request it names. It holds the token digest
// (the challenge is keyed by it), so it lives in secret storage, expires with
// the acceptor's invocation, and is removed as soon as the handshake ends.

/** Longer than the acceptor's resolver may run (25 s), so it never expires mid-handshake. */
export const ACCEPTING_TTL_MS = 60_000;

const acceptingKey = (connectionId: string, acceptanceHash: string) => `invitation-accepting:${connectionId}:${acceptanceHash}`;

export const AcceptingRecord = z.object({
  /** The token digest, base64url: verifies the challenge and keys the proof. */
  tokenDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** This site as the platform reported it when the admin accepted. */
  siteUrl: z.string().min(1),
  expiresAt: z.number(),
});
export type AcceptingRecord = z.infer<typeof AcceptingRecord>;

const acceptingRecord = recordKind({ name: 'acceptance in progress', version: 1, schema: AcceptingRecord, key: acceptingKey });

export async function startAccepting(platform: Platform, connectionId: string, acceptanceHash: string, record: Omit<AcceptingRecord, 'expiresAt'>): Promise<void> {
  const value: AcceptingRecord = { ...record, expiresAt: platform.clock.now() + ACCEPTING_TTL_MS };
  await platform.kvs.setSecret(acceptingKey(connectionId, acceptanceHash), AcceptingRecord.parse(value));
}

/** The acceptance in progress that `acceptanceHash` names, if it has not expired. */
export async function readAccepting(platform: Platform, connectionId: string, acceptanceHash: string): Promise<AcceptingRecord | undefined> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(connectionId) || !/^[0-9a-f]{64}$/.test(acceptanceHash)) return undefined;
  const accepting = await acceptingRecord.findSecret(platform, connectionId, acceptanceHash);
  return accepting && accepting.expiresAt >= platform.clock.now() ? accepting : undefined;
}

export async function stopAccepting(platform: Platform, connectionId: string, acceptanceHash: string): Promise<void> {
  await platform.kvs.deleteSecret(acceptingKey(connectionId, acceptanceHash));
}
