import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../ports';
import { recordKind } from '../domain/stored-record';
import { heldPerConnection } from '../domain/held-across-invocations';

// The connection secret never crosses the wire: each side derives it from the
// invitation token and two fresh nonces (one per side) with HKDF-SHA256. It
// lives in KVS secret storage, is never logged and never leaves a resolver.

const Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const SecretState = z.object({
  /** Signs what this side sends. */
  current: Key,
  /** Agreed in a rotation this side answered; promoted once the partner signs with it. */
  pending: Key.optional(),
  /** The secret before the last rotation, still accepted until `until`. */
  previous: z.object({ secret: Key, until: z.number() }).optional(),
});
export type SecretState = z.infer<typeof SecretState>;

export type SecretRole = 'current' | 'pending' | 'previous';

const secretKey = (connectionId: string) => `connection-secret:${connectionId}`;
const secretRecord = recordKind({ name: 'connection secret', version: 1, schema: SecretState, key: secretKey });

/**
 * Secrets as this container last read or wrote them, by installation and connection (a connection's id is
 * the same on both sides of a local pair), for the sync path's signing and verifying: a warm container
 * then signs an edit's replica without a read. A copy is trusted for a minute at most, and only where a
 * stale one costs nothing lasting: a rotation made by another container keeps the old secret valid for the
 * grace period (an hour), so a signature made with it still verifies, and a signature that does not verify
 * with a warm copy is checked again against the stored secrets.
 */
export const WARM_SECRETS_MS = 60_000;
const warm = heldPerConnection<SecretState>({ capacity: 256, maxAgeMs: WARM_SECRETS_MS });

/** The connection's secrets, read from storage (and held warm for `warmSecrets`). */
export async function readSecrets(platform: Platform, connectionId: string): Promise<SecretState | undefined> {
  const state = await secretRecord.findSecret(platform, connectionId);
  hold(platform, connectionId, state);
  return state;
}

/** The copy of the connection's secrets this container read or wrote within the last minute, if any. */
export function warmSecrets(platform: Platform, connectionId: string): SecretState | undefined {
  return warm.get(platform, connectionId, platform.clock.now());
}

function hold(platform: Platform, connectionId: string, state: SecretState | undefined): void {
  if (state) warm.set(platform, connectionId, state, platform.clock.now());
  else warm.forget(platform, connectionId);
}

/** Forgets this container's copy of a connection's secrets: the next read goes to storage. */
export function forgetWarmSecrets(platform: Platform, connectionId: string): void {
  warm.forget(platform, connectionId);
}

export async function writeSecrets(platform: Platform, connectionId: string, state: SecretState): Promise<void> {
  const parsed = SecretState.parse(state);
  forgetWarmSecrets(platform, connectionId);
  await platform.kvs.setSecret(secretKey(connectionId), parsed);
  hold(platform, connectionId, parsed);
}

export async function deleteSecrets(platform: Platform, connectionId: string): Promise<void> {
  forgetWarmSecrets(platform, connectionId);
  await platform.kvs.deleteSecret(secretKey(connectionId));
}

export const keyBytes = (key: string): Buffer => Buffer.from(key, 'base64url');
export const keyText = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** Keys a message from the partner may be signed with, now. */
export function verificationKeys(state: SecretState, now: number): { role: SecretRole; key: Buffer }[] {
  const keys: { role: SecretRole; key: Buffer }[] = [{ role: 'current', key: keyBytes(state.current) }];
  if (state.pending) keys.push({ role: 'pending', key: keyBytes(state.pending) });
  if (state.previous && state.previous.until >= now) keys.push({ role: 'previous', key: keyBytes(state.previous.secret) });
  return keys;
}

/** The partner signed with the secret we agreed in a rotation: it has it, so we sign with it too. */
export function promotePending(state: SecretState, now: number, graceMs: number): SecretState {
  if (!state.pending) return state;
  return { current: state.pending, previous: { secret: state.current, until: now + graceMs } };
}

/** Names a secret without revealing it. */
export function fingerprint(key: string): string {
  return createHmac('sha256', keyBytes(key)).update('exalate-sync secret fingerprint').digest('hex').slice(0, 16);
}

/**
 * What the inviter stores instead of the token, and what keys the handshake
 * proof and the secret derivation: the code cannot be rebuilt from storage.
 */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(`exalate-sync invitation token\n${token}`, 'utf8').digest();
}

export function deriveConnectionSecret(digest: Uint8Array, inviterNonce: string, acceptorNonce: string, connectionId: string): string {
  const salt = Buffer.concat([keyBytes(inviterNonce), keyBytes(acceptorNonce)]);
  const out = hkdfSync('sha256', digest, salt, `exalate-sync connection secret v1 ${connectionId}`, 32);
  return keyText(new Uint8Array(out));
}

export function deriveRotatedSecret(base: string, initiatorNonce: string, responderNonce: string, connectionId: string): string {
  const salt = Buffer.concat([keyBytes(initiatorNonce), keyBytes(responderNonce)]);
  const out = hkdfSync('sha256', keyBytes(base), salt, `exalate-sync rotated secret v1 ${connectionId}`, 32);
  return keyText(new Uint8Array(out));
}

export const newNonce = (platform: Platform): string => keyText(platform.random.bytes(32));

/** A fresh random secret for connections that never cross a wire (the two halves of a local connection). */
export const randomSecret = (platform: Platform): string => keyText(platform.random.bytes(32));
