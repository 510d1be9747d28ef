import type { Platform } from '../ports';
import { forgetWarmSecrets, keyBytes, promotePending, readSecrets, verificationKeys, warmSecrets, writeSecrets, type SecretRole } from '../connections/secrets';

// The keys one connection signs and verifies with right now.

export interface Keyring {
  sign: Buffer;
  verify: Buffer[];
  roles: SecretRole[];
  /** Made from a copy this container held (`{ warm: true }`), not read now. */
  warm: boolean;
}

/**
 * The connection's keys. `warm`: for the sync path, a copy of the secrets this container held from the
 * last minute will do (../connections/secrets.ts says why a stale one is safe); a signature that does not
 * verify with warm keys must be checked again with `stored` keys, and a partner that does not take ours
 * must be met with stored keys next time (`forgetWarmKeyring`).
 */
export async function keyringOf(platform: Platform, connectionId: string, options: { warm?: boolean } = {}): Promise<Keyring | undefined> {
  const held = options.warm ? warmSecrets(platform, connectionId) : undefined;
  const secrets = held ?? (await readSecrets(platform, connectionId));
  if (!secrets) return undefined;
  const keys = verificationKeys(secrets, platform.clock.now());
  return { sign: keyBytes(secrets.current), verify: keys.map((k) => k.key), roles: keys.map((k) => k.role), warm: held !== undefined };
}

/** The next `keyringOf(…, { warm: true })` reads the stored secrets. */
export function forgetWarmKeyring(platform: Platform, connectionId: string): void {
  forgetWarmSecrets(platform, connectionId);
}

/** The partner signed with the secret we agreed as responder of a rotation: from now on we sign with it too. */
export async function notePartnerKey(platform: Platform, connectionId: string, role: SecretRole | undefined, graceMs: number): Promise<void> {
  if (role !== 'pending') return;
  const secrets = await readSecrets(platform, connectionId);
  if (secrets?.pending) await writeSecrets(platform, connectionId, promotePending(secrets, platform.clock.now(), graceMs));
}
