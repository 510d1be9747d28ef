import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord, ConnectionRow, ConnectionStatus } from '../domain/connection';
import { formatInstant } from '../domain/invitation';
import { announceState } from '../transport/announce';
import { clearSchedule, readDeliveryState, type DeliveryState } from '../transport/delivery-state';
import { kick } from '../transport/kick';
import { seedPollChain } from '../transport/poll-chain';
import { beginDeletion } from './deletion';
import { getConnection, getStats, listStoredConnections, readStoredConnection, requireConnection, requireListedConnection, saveConnection } from './store';

// What admins do to a connection after it exists: list, rename, switch on
// and off, delete.

/** A private side that has not polled for this long is reported as an error on the public side. */
const SILENT_PRIVATE_SIDE_MS = 10 * 60 * 1000;

export interface StatusLine {
  status: ConnectionStatus;
  reason: string | null;
  /** Set when what the partner did is why nothing flows. */
  partnerStatus?: 'deactivated' | 'deleted';
}

export function statusOf(connection: ConnectionRecord, delivery: DeliveryState, now: number): StatusLine {
  if (connection.endedByPartner) {
    // The UI knows four statuses; nothing flows and nothing will, which reads best as Deactivated with the reason.
    const how = connection.endedByPartner.uninstalled ? 'The partner uninstalled the app' : 'Deleted by the partner';
    return {
      status: 'Deactivated',
      reason: `${how} on ${formatInstant(connection.endedByPartner.at)}. Nothing syncs any more and the issues stay as they are; delete the connection here to remove what this side kept of it.`,
      partnerStatus: 'deleted',
    };
  }
  if (connection.state === 'pending') {
    const until = connection.invitationExpiresAt;
    if (until !== null && now > until) {
      return { status: 'Pending', reason: `The invitation expired on ${formatInstant(until)}. Renew it or delete the connection.` };
    }
    return {
      status: 'Pending',
      reason: `Waiting for the partner to accept the invitation${until !== null ? ` (the code is valid until ${formatInstant(until)})` : ''}.`,
    };
  }
  const partnerOff = delivery.partnerState?.active === false ? delivery.partnerState : null;
  if (connection.state === 'deactivated') {
    return {
      status: 'Deactivated',
      reason: `Outgoing changes wait until the connection is activated again.${partnerOff ? ` The partner has deactivated it too (${formatInstant(partnerOff.at)}).` : ''}`,
    };
  }
  if (partnerOff) {
    return {
      status: 'Deactivated',
      reason: `Deactivated by the partner on ${formatInstant(partnerOff.at)}. Changes made here wait until the partner activates it again.`,
      partnerStatus: 'deactivated',
    };
  }
  if (delivery.faulted) {
    const since = delivery.faultSince !== null ? ` since ${formatInstant(delivery.faultSince)}` : '';
    return {
      status: 'Error',
      reason: `${delivery.lastError ?? 'Delivery to the partner fails.'} (${delivery.failures} failed attempts in a row${since}; messages stay queued and delivery goes on by itself.)`,
    };
  }
  if (connection.delivery === 'held') {
    const heardAt = delivery.lastContactAt ?? connection.activatedAt ?? connection.createdAt;
    if (now - heardAt > SILENT_PRIVATE_SIDE_MS) {
      return { status: 'Error', reason: `The private side has not polled since ${formatInstant(heardAt)}; messages for it wait here.` };
    }
  }
  return { status: 'Active', reason: null };
}

export async function rowOf(platform: Platform, connection: ConnectionRecord): Promise<ConnectionRow> {
  const [stats, delivery] = await Promise.all([getStats(platform, connection.id), readDeliveryState(platform, connection.id)]);
  const { status, reason, partnerStatus } = statusOf(connection, delivery, platform.clock.now());
  return {
    id: connection.id,
    name: connection.name,
    description: connection.description,
    mode: connection.mode,
    kind: connection.kind,
    side: connection.kind === 'private' ? (connection.delivery === 'poll' ? 'private' : 'public') : null,
    localName: connection.localName,
    remoteName: connection.remote.name,
    localProjectKey: connection.localProjectKey,
    remoteProjectKey: connection.remote.projectKey,
    remoteUrl: connection.remote.url,
    status,
    statusReason: reason,
    partnerStatus: partnerStatus ?? null,
    issuesUnderSync: stats.issuesUnderSync,
    lastSync: stats.lastSync,
    lastContactAt: delivery.lastContactAt,
    createdAt: connection.createdAt,
  };
}

/** What the Connections page lists: every connection but those being deleted (the partner's ended ones too). */
export async function listConnectionRows(platform: Platform): Promise<ConnectionRow[]> {
  const records = (await listStoredConnections(platform)).filter((c) => !c.deletion);
  records.sort((a, b) => a.createdAt - b.createdAt || Number(b.inviter) - Number(a.inviter) || a.name.localeCompare(b.name));
  return Promise.all(records.map((r) => rowOf(platform, r)));
}

export async function setConnectionActive(platform: Platform, connectionId: string, active: boolean): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  if (connection.state === 'pending') {
    throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet; it becomes active when the partner accepts the invitation.`);
  }
  const wanted = active ? 'active' : 'deactivated';
  if (connection.state === wanted) return connection;
  const updated: ConnectionRecord = { ...connection, state: wanted };
  await saveConnection(platform, updated);
  await announceState(platform, updated);
  if (active) {
    // What queued while deactivated goes out now.
    await clearSchedule(platform, updated.id);
    if (updated.delivery === 'poll') await seedPollChain(platform, updated.id);
    else await kick(platform, updated);
    if (updated.kind === 'local') {
      // The other half's messages to this one were refused meanwhile: let them through now.
      const other = await getConnection(platform, updated.remote.connectionId);
      if (other) {
        await clearSchedule(platform, other.id);
        await kick(platform, other);
      }
    }
  }
  return updated;
}

export const ConnectionEdit = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').optional(),
  description: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
});

export async function updateConnection(platform: Platform, connectionId: string, edit: z.infer<typeof ConnectionEdit>): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  const updated: ConnectionRecord = {
    ...connection,
    ...(edit.name !== undefined ? { name: edit.name } : {}),
    ...(edit.description !== undefined ? { description: edit.description } : {}),
  };
  await saveConnection(platform, updated);
  return updated;
}

/** Deleting again while the first deletion runs changes nothing; a connection the partner ended can be deleted here. */
export async function deleteConnection(platform: Platform, connectionId: string): Promise<void> {
  if ((await readStoredConnection(platform, connectionId))?.deletion) return;
  await beginDeletion(platform, await requireListedConnection(platform, connectionId));
}
