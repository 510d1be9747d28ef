import { AppError } from '../domain/errors';
import { decodeInvitation } from '../domain/invitation';
import { acceptInvitation } from '../pairing/acceptance';
import { ensureInstance, exalateUrl, renameInstance, type InstanceIdentity } from '../connections/instance';
import { initiateConnection, renewInvitation } from '../pairing/initiate';
import { isRevocation, readInvitation, readInvitationUse } from '../connections/invitations';
import { deleteConnection, listConnectionRows, rowOf, setConnectionActive, setCreateMissing, setStrictValues, updateConnection } from '../pairing/lifecycle';
import { revokeInvitation } from '../connections/revocation';
import { requestRotation } from '../pairing/rotation';
import { getConnection } from '../connections/store';
import { setPollingIntervals } from '../connections/polling';
import { pingConnection } from '../transport/ping';
import type { ResolverKey } from '../contract/resolvers';
import type { Handlers, ResolverCall } from './define';
import { assertAdminsProject, connectionInReach, inProjectReach } from './scope';

// The UI's API for the instance and its connections. Secrets never appear in
// an answer: rows and results are built field by field.

type Keys =
  | 'getInstance' | 'updateInstance' | 'listConnections' | 'initiateConnection' | 'acceptInvitation' | 'setConnectionActive'
  | 'updateConnection' | 'deleteConnection' | 'rotateSecret' | 'setStrictValues' | 'setCreateMissing' | 'setPollingIntervals' | 'pingConnection' | 'getInvitation' | 'renewInvitation' | 'revokeInvitation';

async function describeInstance(call: ResolverCall<ResolverKey>, identity: InstanceIdentity) {
  return {
    ok: true as const,
    instanceId: identity.instanceId,
    name: identity.name,
    exalateUrl: await exalateUrl(call.platform),
    siteUrl: call.context.siteUrl ?? identity.siteUrl ?? '',
  };
}

/** A project admin works on the project the page is open on, and makes Basic connections only. */
function assertProjectAdminMay(call: ResolverCall<ResolverKey>, projectKey: string, mode: string): void {
  const { grant } = call;
  if (grant.rule !== 'projectAdmin') return;
  if (projectKey.toUpperCase() !== grant.projectKey) {
    throw new AppError('Forbidden', `This page belongs to project ${grant.projectKey}: it cannot make connections for project ${projectKey.toUpperCase()}.`);
  }
  if (mode !== 'basic') {
    throw new AppError('Forbidden', `Project settings make Basic connections only; a ${mode === 'visual' ? 'Visual' : 'Script'} connection is made by a Jira admin in Apps → Exalate.`);
  }
}

export const connectionHandlers: Handlers<Keys> = {
  getInstance: async (call) => describeInstance(call, await ensureInstance(call.platform, call.context.siteUrl)),

  updateInstance: async (call) => describeInstance(call, await renameInstance(call.platform, call.input.name, call.context.siteUrl)),

  listConnections: async ({ platform, grant }) => {
    const rows = await listConnectionRows(platform);
    if (grant.rule !== 'projectAdmin') return { ok: true, connections: rows };
    return { ok: true, connections: rows.filter((row) => inProjectReach(row, grant.projectKey)) };
  },

  initiateConnection: async (call) => {
    const { input } = call;
    assertProjectAdminMay(call, input.projectKey, input.mode);
    // A local connection reaches into a second project: its admin must be the caller too.
    if (input.remoteProjectKey) await assertAdminsProject(call, input.remoteProjectKey, 'to connect it to this project');
    return { ok: true, ...(await initiateConnection(call.platform, input, call.context.siteUrl)) };
  },

  acceptInvitation: async (call) => {
    if (call.grant.rule === 'projectAdmin') assertProjectAdminMay(call, call.input.projectKey, decodeInvitation(call.input.invitationCode).mode);
    const connection = await acceptInvitation(call.platform, call.input, call.context.siteUrl);
    return { ok: true, connectionId: connection.id, connection: await rowOf(call.platform, connection) };
  },

  setConnectionActive: async (call) => {
    await connectionInReach(call, call.input.connectionId);
    const connection = await setConnectionActive(call.platform, call.input.connectionId, call.input.active);
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },

  updateConnection: async (call) => {
    const { connectionId, ...edit } = call.input;
    await connectionInReach(call, connectionId);
    const connection = await updateConnection(call.platform, connectionId, edit);
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },

  deleteConnection: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId, { endedToo: true, deletingToo: true });
    if (connection.deletion) return { ok: true, deleted: connection.id };
    // The two halves of a local connection go together: the caller must administer both projects.
    if (connection.kind === 'local' && connection.remote.projectKey) await assertAdminsProject(call, connection.remote.projectKey, 'to delete a connection that joins it');
    await deleteConnection(call.platform, connection.id);
    return { ok: true, deleted: connection.id };
  },

  rotateSecret: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    const other = connection.kind === 'local' ? await getConnection(call.platform, connection.remote.connectionId) : undefined;
    return { ok: true, ...(await requestRotation(call.platform, connection, other)) };
  },

  setStrictValues: async (call) => {
    await connectionInReach(call, call.input.connectionId);
    const connection = await setStrictValues(call.platform, call.input.connectionId, call.input.strict);
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },

  setCreateMissing: async (call) => {
    await connectionInReach(call, call.input.connectionId);
    const connection = await setCreateMissing(call.platform, call.input.connectionId, call.input.create);
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },

  setPollingIntervals: async (call) => {
    await connectionInReach(call, call.input.connectionId);
    const connection = await setPollingIntervals(call.platform, call.input.connectionId, call.input.polling);
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },

  pingConnection: async (call) => ({ ok: true, ...(await pingConnection(call.platform, await connectionInReach(call, call.input.connectionId))) }),

  getInvitation: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    if (!connection.inviter || connection.kind === 'local') {
      throw new AppError('NotFound', `The connection "${connection.name}" was not made from an invitation issued here.`);
    }
    if (connection.state !== 'pending') return { ok: true, status: 'accepted' as const, expiresAt: null };
    const use = await readInvitationUse(call.platform, connection.id);
    if (use && isRevocation(use)) return { ok: true, status: 'revoked' as const, expiresAt: null };
    const invitation = await readInvitation(call.platform, connection.id);
    const expiresAt = invitation?.expiresAt ?? connection.invitationExpiresAt;
    const expired = expiresAt !== null && call.platform.clock.now() > expiresAt;
    // The code itself cannot be shown again: only its token's digest is kept. renewInvitation makes a new one.
    return { ok: true, status: expired ? ('expired' as const) : ('waiting' as const), expiresAt };
  },

  renewInvitation: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    return { ok: true, connectionId: connection.id, ...(await renewInvitation(call.platform, connection, call.context.siteUrl, call.input.validForHours)) };
  },

  revokeInvitation: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    await revokeInvitation(call.platform, connection, await callerName(call));
    return { ok: true, connection: await rowOf(call.platform, connection) };
  },
};

/** Who is revoking, for this site's own row; the revocation stands without it if Jira cannot say. */
async function callerName(call: ResolverCall<ResolverKey>): Promise<string | null> {
  try {
    const me = await call.jira.myself();
    return me.displayName ?? null;
  } catch {
    return null;
  }
}
