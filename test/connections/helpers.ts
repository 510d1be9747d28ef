import type { ConnectionRow } from '../../src/domain/connection';
import { markerOf, type Site, type World } from '../transport/world';

// Making connections the way an admin does, through the resolvers.

export interface Initiated {
  connectionId: string;
  invitationCode: string;
  expiresAt: number;
  partnerSiteUrl: string;
  acceptUrl?: string;
}

export async function initiate(from: Site, to: Site | null, extra: Record<string, unknown> = {}): Promise<Initiated> {
  return from.call<Initiated>('initiateConnection', {
    destinationUrl: to ? to.exalateUrl : null,
    mode: 'script',
    localName: from.name === 'blue' ? 'BlueJira' : 'GreenJira',
    remoteName: to ? (to.name === 'blue' ? 'BlueJira' : 'GreenJira') : 'Hidden',
    projectKey: 'UD',
    ...extra,
  });
}

export async function connectPublic(world: World) {
  const blue = world.site('blue');
  const green = world.site('green');
  const { connectionId, invitationCode } = await initiate(blue, green);
  await green.call('acceptInvitation', { invitationCode, projectKey: 'SC' });
  return { blue, green, id: connectionId };
}

/** Blue is the public side; green has no URL and polls. The admin names green's site, which the code is bound to. */
export async function connectPrivate(world: World) {
  const blue = world.site('blue');
  const green = world.site('green');
  const { connectionId, invitationCode } = await initiate(blue, null, { remoteName: 'GreenJira', partnerSiteUrl: green.siteUrl });
  await green.call('acceptInvitation', { invitationCode, projectKey: 'SC' });
  await world.runDue();
  return { publicSide: blue, privateSide: green, id: connectionId };
}

export async function connectLocal(world: World) {
  const blue = world.site('blue');
  const made = await blue.call<{ connectionId: string; partnerConnectionId: string }>('initiateConnection', {
    destinationUrl: blue.exalateUrl,
    mode: 'basic',
    localName: 'Design',
    remoteName: 'Chasers',
    projectKey: 'UD',
    remoteProjectKey: 'SC',
  });
  return { site: blue, first: made.connectionId, second: made.partnerConnectionId };
}

export async function rows(site: Site): Promise<ConnectionRow[]> {
  return (await site.call<{ connections: ConnectionRow[] }>('listConnections')).connections;
}

export async function row(site: Site, id: string): Promise<ConnectionRow | undefined> {
  return (await rows(site)).find((r) => r.id === id);
}

/** Every stored key of a site (values and secrets) that carries the connection id. */
export function keysWith(site: Site, id: string): string[] {
  const snap = site.snapshot();
  return [...Object.keys(snap.values), ...Object.keys(snap.secrets)].filter((k) => k.includes(id));
}

/** The purge's wait before its second pass (src/removal/purge.ts), and a little more. */
export const PURGE_SETTLES_MS = 16 * 60_000;

export const bodies = (site: Site, id?: string) => site.replicasFrom(id).map(markerOf);
