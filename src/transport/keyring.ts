import type { Platform } from '../ports';
import { keyBytes, promotePending, readSecrets, verificationKeys, writeSecrets, type SecretRole } from '../connections/secrets';

// The keys one connection signs and verifies with right now.

export interface Keyring {
  sign: Buffer;
  verify: Buffer[];
  roles: SecretRole[];
}

export async function keyringOf(platform: Platform, connectionId: string): Promise<Keyring | undefined> {
  const secrets = await readSecrets(platform, connectionId);
  if (!secrets) return undefined;
  const keys = verificationKeys(secrets, platform.clock.now());
  return { sign: keyBytes(secrets.current), verify: keys.map((k) => k.key), roles: keys.map((k) => k.role) };
}

/** The partner signed with the secret we agreed as responder of a rotation: from now on we sign with it too. */
export async function notePartnerKey(platform: Platform, connectionId: string, role: SecretRole | undefined, graceMs: number): Promise<void> {
  if (role !== 'pending') return;
  const secrets = await readSecrets(platform, connectionId);
  if (secrets?.pending) await writeSecrets(platform, connectionId, promotePending(secrets, platform.clock.now(), graceMs));
}
