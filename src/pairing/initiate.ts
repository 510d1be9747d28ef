import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import type { InitiateConnectionInput } from '../contract/inputs';
import type { PartnerInfo } from '../domain/protocol';
import { partnerSiteProblem } from '../transport/partner-url';
import { siteOf } from '../domain/site-url';
import { ensureInstance, exalateUrl, type InstanceIdentity } from '../connections/instance';
import { assertNameFree, freeName } from '../connections/names';
import { resolveDestination } from './destination';
import { clearRefusal } from '../connections/invitation-refusals';
import { DEFAULT_INVITATION_HOURS, invitationUsedKey, isRevocation, issueInvitation, readInvitationUse, STALE_CLAIM_MS } from '../connections/invitations';
import { bindPartnerSite, parsePartnerSite } from '../connections/partner-site';
import { assertProjectExists } from '../connections/projects';
import { randomSecret, writeSecrets } from '../connections/secrets';
import { saveConnection } from '../connections/store';

// "Initiate connection": a destination URL makes a public connection (the
// destination must answer as an Exalate instance), no URL a private one (the
// partner will poll us), and this instance's own URL a local connection
// between two of its projects, made whole at once with no code. Every code is
// bound to the partner's Jira site (`partner-site.ts`).


export type InitiateResult =
  | { kind: 'public' | 'private'; connectionId: string; invitationCode: string; expiresAt: number; partnerSiteUrl: string; acceptUrl?: string }
  | { kind: 'local'; connectionId: string; partnerConnectionId: string };

const HttpUrl = z.url({ protocol: /^https?$/ });

export async function initiateConnection(platform: Platform, input: InitiateConnectionInput, siteUrl: string | undefined): Promise<InitiateResult> {
  if (input.destinationUrl !== null && !HttpUrl.safeParse(input.destinationUrl).success) {
    throw new AppError('BadInput', `destinationUrl: "${input.destinationUrl}" is not a URL (it should look like https://…).`);
  }
  if (input.adminAccess && input.destinationUrl === null) {
    throw new AppError('BadInput', "Without the destination's URL there is no page to go to: copy the invitation code to the partner instead.");
  }
  const givenSite = parsePartnerSite(input.partnerSiteUrl);
  const siteProblem = givenSite === null ? null : partnerSiteProblem(givenSite, platform.partnerUrls);
  if (siteProblem) throw new AppError('BadInput', `partnerSiteUrl: ${siteProblem}`);
  // Said now, before anything is stored: what the destination is, or what to paste instead.
  const destination = input.destinationUrl === null ? null : await resolveDestination(platform, input.destinationUrl, siteUrl);
  await assertProjectExists(platform, input.projectKey);
  const identity = await ensureInstance(platform, siteUrl);
  const ownUrl = await exalateUrl(platform);
  // A local connection has no code to bind.
  if (destination?.kind === 'this-instance') return initiateLocal(platform, input);
  const name = await nameFor(platform, input);

  const partner: PartnerInfo | null = destination?.kind === 'endpoint' ? destination.info : null;
  const partnerSiteUrl =
    destination?.kind === 'site'
      ? bindNamedSite(givenSite, destination.siteUrl)
      : bindPartnerSite(givenSite, partner && input.destinationUrl ? { destinationUrl: input.destinationUrl, info: partner } : null, siteUrl ?? identity.siteUrl);
  // The partner's accept page: as the partner described itself, or, for a site, where this app's admin page lives there.
  const acceptPage = partner ? partner.acceptPage : destination?.kind === 'site' ? (platform.pages?.adminPageUrl(partnerSiteUrl, 'connections') ?? null) : null;

  const now = platform.clock.now();
  // A site URL is public too: its Exalate URL comes with the acceptance, confirmed by a challenge before any push.
  const kind = destination ? 'public' : 'private';
  const connection: ConnectionRecord = {
    v: 1,
    id: platform.random.uuid(),
    name,
    description: input.description ?? '',
    mode: input.mode,
    // Nothing published yet: the default rules, read from nowhere.
    rulesVersion: 0,
    kind,
    delivery: destination ? 'push' : 'held',
    state: 'pending',
    localName: input.localName,
    localProjectKey: input.projectKey,
    remote: {
      instanceId: partner?.instanceId ?? null,
      name: input.remoteName,
      url: partner?.exalateUrl ?? null,
      // While pending, the site the code is bound to; renewals bind to it again.
      siteUrl: partnerSiteUrl,
      projectKey: null,
      connectionId: '',
    },
    inviter: true,
    createdAt: now,
    activatedAt: null,
    invitationExpiresAt: null,
  };
  connection.remote.connectionId = connection.id;
  const issued = await issueInvitation(platform, {
    connection,
    inviter: inviterOf(input.localName, identity, ownUrl, siteUrl),
    partnerSiteUrl,
    expectedUrl: partner?.exalateUrl ?? null,
    expectedInstanceId: partner?.instanceId ?? null,
    validForHours: input.validForHours ?? DEFAULT_INVITATION_HOURS,
  });
  await saveConnection(platform, { ...connection, invitationExpiresAt: issued.expiresAt });
  return {
    kind,
    connectionId: connection.id,
    invitationCode: issued.code,
    expiresAt: issued.expiresAt,
    partnerSiteUrl,
    ...(input.adminAccess && acceptPage ? { acceptUrl: acceptUrlFor(acceptPage, issued.code) } : {}),
  };
}

/** The connection's name: the admin's, refused when this site has it already; else `Local_to_Remote`, made unique. */
async function nameFor(platform: Platform, input: InitiateConnectionInput): Promise<string> {
  if (!input.name) return freeName(platform, `${input.localName}_to_${input.remoteName}`);
  await assertNameFree(platform, input.name);
  return input.name;
}

/** A site destination binds the code to that site; a differing `partnerSiteUrl` is a contradiction, said as one. */
function bindNamedSite(given: string | null, site: string): string {
  if (given !== null && given !== site) {
    throw new AppError('BadInput', `partnerSiteUrl: the destination is the Jira site ${site}, not ${given}. Leave the partner's site empty, or paste the same site.`);
  }
  return site;
}

export function inviterOf(localName: string, identity: InstanceIdentity, ownUrl: string, siteUrl: string | undefined) {
  return { name: localName, instanceId: identity.instanceId, url: ownUrl, siteUrl: identity.siteUrl || siteUrl || ownUrl };
}

/** The partner's accept page, as the partner itself described it, with the code carried along. */
export function acceptUrlFor(acceptPage: string, code: string): string {
  return `${acceptPage}${acceptPage.includes('?') ? '&' : '?'}invitation=${encodeURIComponent(code)}`;
}

async function initiateLocal(platform: Platform, input: InitiateConnectionInput): Promise<InitiateResult> {
  if (!input.remoteProjectKey) {
    throw new AppError('BadInput', 'remoteProjectKey: a local connection joins two projects of this site; choose the second project.');
  }
  if (input.remoteProjectKey.toUpperCase() === input.projectKey.toUpperCase()) {
    throw new AppError('BadInput', 'remoteProjectKey: a local connection needs two different projects.');
  }
  await assertProjectExists(platform, input.remoteProjectKey);
  const now = platform.clock.now();
  const firstId = platform.random.uuid();
  const secondId = platform.random.uuid();
  const name = await nameFor(platform, input);
  const reverseName = input.name ? `${input.name} (reverse)` : await freeName(platform, `${input.remoteName}_to_${input.localName}`);
  if (input.name) await assertNameFree(platform, reverseName);
  const half = (id: string, otherId: string, local: [string, string], remote: [string, string], halfName: string): ConnectionRecord => ({
    v: 1,
    id,
    name: halfName,
    description: input.description ?? '',
    mode: input.mode,
    // Nothing published yet: the default rules, read from nowhere.
    rulesVersion: 0,
    kind: 'local',
    delivery: 'local',
    state: 'active',
    localName: local[0],
    localProjectKey: local[1],
    remote: { instanceId: null, name: remote[0], url: null, siteUrl: null, projectKey: remote[1], connectionId: otherId },
    inviter: id === firstId,
    createdAt: now,
    activatedAt: now,
    invitationExpiresAt: null,
  });
  const first = half(firstId, secondId, [input.localName, input.projectKey], [input.remoteName, input.remoteProjectKey], name);
  const second = half(secondId, firstId, [input.remoteName, input.remoteProjectKey], [input.localName, input.projectKey], reverseName);
  const secret = randomSecret(platform);
  await writeSecrets(platform, firstId, { current: secret });
  await writeSecrets(platform, secondId, { current: secret });
  await saveConnection(platform, first);
  await saveConnection(platform, second);
  return { kind: 'local', connectionId: firstId, partnerConnectionId: secondId };
}

/** A fresh code for a pending invitation, bound to the same partner site; the earlier code stops working, even a revoked one. */
export async function renewInvitation(
  platform: Platform,
  connection: ConnectionRecord,
  siteUrl: string | undefined,
  validForHours = DEFAULT_INVITATION_HOURS,
): Promise<{ invitationCode: string; expiresAt: number }> {
  if (connection.state !== 'pending' || !connection.inviter) {
    throw new AppError('Conflict', `The connection "${connection.name}" is not waiting for an invitation to be accepted.`);
  }
  const partnerSiteUrl = siteOf(connection.remote.siteUrl);
  if (!partnerSiteUrl) {
    throw new AppError('Conflict', `The connection "${connection.name}" was made before invitations were bound to the partner's site, so it cannot get a new code. Delete it and initiate a new connection.`);
  }
  const use = await readInvitationUse(platform, connection.id);
  if (use && !isRevocation(use) && platform.clock.now() - use.at < STALE_CLAIM_MS) {
    throw new AppError('Conflict', `The invitation of "${connection.name}" is being accepted right now; wait a moment and reload.`);
  }
  const identity = await ensureInstance(platform, siteUrl);
  const ownUrl = await exalateUrl(platform);
  const issued = await issueInvitation(platform, {
    connection,
    inviter: inviterOf(connection.localName, identity, ownUrl, siteUrl),
    partnerSiteUrl,
    expectedUrl: connection.kind === 'public' ? connection.remote.url : null,
    expectedInstanceId: connection.remote.instanceId,
    validForHours,
  });
  // The revocation marker or a crashed acceptance's claim would shadow the new code.
  if (use) await platform.kvs.delete(invitationUsedKey(connection.id));
  await clearRefusal(platform, connection.id);
  await saveConnection(platform, { ...connection, invitationExpiresAt: issued.expiresAt });
  return { invitationCode: issued.code, expiresAt: issued.expiresAt };
}
