import { assertNameFree } from '../connections/names';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord, ConnectionRow, ConnectionStatus } from '../domain/connection';
import type { ConnectionEdit } from '../contract/inputs';
import { formatInstant } from '../domain/invitation';
import { announceState } from '../transport/announce';
import { clearSchedule, readDeliveryState, type DeliveryState } from '../transport/delivery-state';
import { kick } from '../transport/kick';
import { seedPollChain } from '../transport/poll-chain';
import { pollingShown } from '../connections/polling';
import { beginDeletion } from './deletion';
import { readRefusal, type InvitationRefusal } from '../connections/invitation-refusals';
import { isRevocation, readInvitationUse, type InvitationRevocation } from '../connections/invitations';
import { getConnection, getStats, listStoredConnections, readStoredConnection, requireConnection, requireListedConnection, saveConnection } from '../connections/store';
import { readNameCheck } from '../sync/name-drift';

// What admins do to a connection after it exists: list, rename, switch on
// and off, delete.

/** A private side that has not polled for this long is reported as an error on the public side. */
const SILENT_PRIVATE_SIDE_MS = 10 * 60 * 1000;

/** What the inviter knows about its pending invitation besides the connection record. */
export interface InvitationMarks {
  revocation?: InvitationRevocation;
  /** The last refused attempt to accept the code. */
  refusal?: InvitationRefusal;
}

export type InvitationState = 'waiting' | 'expired' | 'revoked';

export function invitationStateOf(connection: ConnectionRecord, marks: InvitationMarks, now: number): InvitationState | null {
  if (connection.state !== 'pending' || !connection.inviter || connection.kind === 'local') return null;
  if (marks.revocation) return 'revoked';
  const until = connection.invitationExpiresAt;
  return until !== null && now > until ? 'expired' : 'waiting';
}

function pendingReason(connection: ConnectionRecord, marks: InvitationMarks, now: number): string {
  const until = connection.invitationExpiresAt;
  const site = connection.inviter && connection.remote.siteUrl ? ` on ${connection.remote.siteUrl}` : '';
  let reason: string;
  if (marks.revocation) {
    const by = marks.revocation.by ? ` by ${marks.revocation.by}` : '';
    // No renew button on the pages: a new invitation is a new connection there.
    reason = `The invitation code was revoked${by} on ${formatInstant(marks.revocation.at)}. Delete this connection; to invite the partner again, initiate a new one.`;
  } else if (until !== null && now > until) {
    reason = `The invitation expired on ${formatInstant(until)}. Renew it or delete the connection.`;
  } else {
    reason = `Waiting for the partner to accept the invitation${site}${until !== null ? ` (the code is valid until ${formatInstant(until)})` : ''}.`;
  }
  // Someone else holding the code is worth the admin's attention however the invitation stands.
  return marks.refusal ? `${reason} ${formatInstant(marks.refusal.at)}: ${marks.refusal.reason}` : reason;
}

export interface StatusLine {
  status: ConnectionStatus;
  reason: string | null;
  /** Set when what the partner did is why nothing flows. */
  partnerStatus?: 'deactivated' | 'deleted';
}

export function statusOf(connection: ConnectionRecord, delivery: DeliveryState, now: number, marks: InvitationMarks = {}): StatusLine {
  if (connection.endedByPartner) {
    // The UI knows four statuses; nothing flows and nothing will, which reads best as Deactivated with the reason.
    const how = connection.endedByPartner.uninstalled ? 'The partner uninstalled the app' : 'Deleted by the partner';
    return {
      status: 'Deactivated',
      reason: `${how} on ${formatInstant(connection.endedByPartner.at)}. Nothing syncs any more and the issues stay as they are; delete the connection here to remove what this side kept of it.`,
      partnerStatus: 'deleted',
    };
  }
  if (connection.state === 'pending') return { status: 'Pending', reason: pendingReason(connection, marks, now) };
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

/** Only the inviting side of a pending connection has marks; other rows cost no reads for them. */
async function marksOf(platform: Platform, connection: ConnectionRecord): Promise<InvitationMarks> {
  if (connection.state !== 'pending' || !connection.inviter) return {};
  const [use, refusal] = await Promise.all([readInvitationUse(platform, connection.id), readRefusal(platform, connection.id)]);
  return { revocation: use && isRevocation(use) ? use : undefined, refusal };
}

export async function rowOf(platform: Platform, connection: ConnectionRecord): Promise<ConnectionRow> {
  const [stats, delivery, marks, names] = await Promise.all([
    getStats(platform, connection.id),
    readDeliveryState(platform, connection.id),
    marksOf(platform, connection),
    readNameCheck(platform, connection.id),
  ]);
  const now = platform.clock.now();
  const { status, reason, partnerStatus } = statusOf(connection, delivery, now, marks);
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
    remoteSiteUrl: connection.remote.siteUrl,
    invitation: invitationStateOf(connection, marks, now),
    status,
    statusReason: reason,
    partnerStatus: partnerStatus ?? null,
    issuesUnderSync: stats.issuesUnderSync,
    lastSync: stats.lastSync,
    lastContactAt: delivery.lastContactAt,
    createdAt: connection.createdAt,
    strictValues: connection.strictValues === true,
    createMissing: connection.createMissing === true,
    polling: pollingShown(connection),
    ruleWarnings: names?.warnings ?? [],
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


export async function updateConnection(platform: Platform, connectionId: string, edit: ConnectionEdit): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  if (edit.name !== undefined) await assertNameFree(platform, edit.name, connection.id);
  const updated: ConnectionRecord = {
    ...connection,
    ...(edit.name !== undefined ? { name: edit.name } : {}),
    ...(edit.description !== undefined ? { description: edit.description } : {}),
  };
  await saveConnection(platform, updated);
  return updated;
}

/** The strict switch: whether a value Jira here refuses pauses the issue rather than skipping that field. */
export async function setStrictValues(platform: Platform, connectionId: string, strict: boolean): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  const updated: ConnectionRecord = { ...connection, strictValues: strict };
  await saveConnection(platform, updated);
  return updated;
}

/** The create-missing switch: whether link types, components and versions the partner names are created here. */
export async function setCreateMissing(platform: Platform, connectionId: string, create: boolean): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  const updated: ConnectionRecord = { ...connection, createMissing: create };
  await saveConnection(platform, updated);
  return updated;
}

/** Deleting again while the first deletion runs changes nothing; a connection the partner ended can be deleted here. */
export async function deleteConnection(platform: Platform, connectionId: string): Promise<void> {
  if ((await readStoredConnection(platform, connectionId))?.deletion) return;
  await beginDeletion(platform, await requireListedConnection(platform, connectionId));
}
