import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { ShortName } from '../domain/connection';
import { recordKind } from '../domain/stored-record';

// Who this installation is to its partners: a short name admins can change,
// an id made on first use, and the Exalate URL (the partner web trigger).

export const PARTNER_TRIGGER_KEY = 'partner-endpoint';
const IDENTITY_KEY = 'instance:identity';

export const InstanceIdentity = z.object({
  instanceId: z.string(),
  name: z.string(),
  siteUrl: z.string().nullable(),
  createdAt: z.number(),
});
export type InstanceIdentity = z.infer<typeof InstanceIdentity>;

const identityRecord = recordKind({ name: 'instance identity', version: 1, schema: InstanceIdentity, key: () => IDENTITY_KEY });

export async function readInstance(platform: Platform): Promise<InstanceIdentity | undefined> {
  return identityRecord.find(platform);
}

/** `https://acme.atlassian.net` → `acme`; `http://localhost:8080/blue` → `blue`. */
export function defaultInstanceName(siteUrl: string | undefined | null): string {
  if (!siteUrl) return 'Jira';
  try {
    const url = new URL(siteUrl);
    const segment = url.pathname.split('/').filter(Boolean).pop();
    const label = segment ?? url.hostname.split('.')[0] ?? 'Jira';
    return label.slice(0, 50) || 'Jira';
  } catch {
    return 'Jira';
  }
}

/** The identity, created on first use. Two first uses racing settle on whichever was written first. */
export async function ensureInstance(platform: Platform, givenSiteUrl?: string | null): Promise<InstanceIdentity> {
  const siteUrl = givenSiteUrl || null;
  const existing = await readInstance(platform);
  if (existing) {
    if (siteUrl && existing.siteUrl !== siteUrl) {
      const updated = { ...existing, siteUrl };
      await platform.kvs.set(IDENTITY_KEY, updated);
      return updated;
    }
    return existing;
  }
  const fresh: InstanceIdentity = {
    instanceId: platform.random.uuid(),
    name: defaultInstanceName(siteUrl),
    siteUrl,
    createdAt: platform.clock.now(),
  };
  if (await platform.kvs.setIfAbsent(IDENTITY_KEY, fresh)) return fresh;
  return (await readInstance(platform)) ?? fresh;
}

export async function renameInstance(platform: Platform, name: string, siteUrl?: string | null): Promise<InstanceIdentity> {
  const parsed = ShortName.safeParse(name);
  if (!parsed.success) throw new AppError('BadInput', `Instance name ${parsed.error.issues[0]!.message}.`);
  const identity = await ensureInstance(platform, siteUrl);
  const updated = { ...identity, name: parsed.data };
  await platform.kvs.set(IDENTITY_KEY, updated);
  return updated;
}

export async function exalateUrl(platform: Platform): Promise<string> {
  return platform.webTriggers.getUrl(PARTNER_TRIGGER_KEY);
}

/** Two spellings of one URL (case of the host, a trailing slash) are the same instance. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u.trim());
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    } catch {
      return u.trim().replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}
