import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { AcceptInvitationInput, acceptInvitation } from '../connections/acceptance';
import { ensureInstance, exalateUrl, renameInstance, type InstanceIdentity } from '../connections/instance';
import { InitiateConnectionInput, initiateConnection, renewInvitation } from '../connections/initiate';
import { readInvitation } from '../connections/invitations';
import {
  ConnectionEdit,
  deleteConnection,
  listConnectionRows,
  rowOf,
  setConnectionActive,
  updateConnection,
} from '../connections/lifecycle';
import { requestRotation } from '../connections/rotation';
import { getConnection, requireConnection } from '../connections/store';
import { pingConnection } from '../transport/ping';
import { defineResolver, type ResolverContext, type ResolverHandler } from './define';

export { sendMessage } from '../transport/send';
export { adjustIssuesUnderSync, recordLastSync, getConnection } from '../connections/store';

// The UI's API for the instance and its connections. Secrets never appear in
// an answer: rows and results are built field by field.

const ConnectionId = z.object({ connectionId: z.string().min(1, 'is required') });

async function describeInstance(platform: Platform, identity: InstanceIdentity, context: ResolverContext) {
  return {
    ok: true as const,
    instanceId: identity.instanceId,
    name: identity.name,
    exalateUrl: await exalateUrl(platform),
    siteUrl: context.siteUrl ?? identity.siteUrl ?? '',
  };
}

export const connectionResolvers: Record<string, ResolverHandler> = {
  getInstance: defineResolver(z.object({}), async (platform, _payload, context) =>
    describeInstance(platform, await ensureInstance(platform, context.siteUrl), context),
  ),

  updateInstance: defineResolver(z.object({ name: z.string() }), async (platform, payload, context) =>
    describeInstance(platform, await renameInstance(platform, payload.name, context.siteUrl), context),
  ),

  listConnections: defineResolver(z.object({}), async (platform) => ({ ok: true, connections: await listConnectionRows(platform) })),

  initiateConnection: defineResolver(InitiateConnectionInput, async (platform, payload, context) => ({
    ok: true,
    ...(await initiateConnection(platform, payload, context.siteUrl)),
  })),

  acceptInvitation: defineResolver(AcceptInvitationInput, async (platform, payload, context) => {
    const connection = await acceptInvitation(platform, payload, context.siteUrl);
    return { ok: true, connectionId: connection.id, connection: await rowOf(platform, connection) };
  }),

  setConnectionActive: defineResolver(ConnectionId.extend({ active: z.boolean() }), async (platform, payload) => {
    const connection = await setConnectionActive(platform, payload.connectionId, payload.active);
    return { ok: true, connection: await rowOf(platform, connection) };
  }),

  updateConnection: defineResolver(ConnectionId.extend(ConnectionEdit.shape), async (platform, payload) => {
    const { connectionId, ...edit } = payload;
    const connection = await updateConnection(platform, connectionId, edit);
    return { ok: true, connection: await rowOf(platform, connection) };
  }),

  deleteConnection: defineResolver(ConnectionId, async (platform, payload) => {
    await deleteConnection(platform, payload.connectionId);
    return { ok: true, deleted: payload.connectionId };
  }),

  rotateSecret: defineResolver(ConnectionId, async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    const other = connection.kind === 'local' ? await getConnection(platform, connection.remote.connectionId) : undefined;
    return { ok: true, ...(await requestRotation(platform, connection, other)) };
  }),

  pingConnection: defineResolver(ConnectionId, async (platform, payload) => ({
    ok: true,
    ...(await pingConnection(platform, await requireConnection(platform, payload.connectionId))),
  })),

  getInvitation: defineResolver(ConnectionId, async (platform, payload) => {
    const connection = await requireConnection(platform, payload.connectionId);
    if (!connection.inviter || connection.kind === 'local') {
      throw new AppError('NotFound', `The connection "${connection.name}" was not made from an invitation issued here.`);
    }
    if (connection.state !== 'pending') return { ok: true, status: 'accepted' as const, expiresAt: null };
    const invitation = await readInvitation(platform, connection.id);
    const expiresAt = invitation?.expiresAt ?? connection.invitationExpiresAt;
    const expired = expiresAt !== null && platform.clock.now() > expiresAt;
    // The code itself cannot be shown again: only its token's digest is kept. renewInvitation makes a new one.
    return { ok: true, status: expired ? ('expired' as const) : ('waiting' as const), expiresAt };
  }),

  renewInvitation: defineResolver(
    ConnectionId.extend({ validForHours: z.number().min(1).max(24 * 30).optional() }),
    async (platform, payload, context) => {
      const connection = await requireConnection(platform, payload.connectionId);
      return { ok: true, connectionId: connection.id, ...(await renewInvitation(platform, connection, context.siteUrl, payload.validForHours)) };
    },
  ),
};
