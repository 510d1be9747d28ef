import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AppError } from '../domain/errors';
import { DEFAULT_POLLING, PollingSettings, type PollingEdit } from '../domain/polling';
import { describeZodError } from '../domain/zod-error';
import { requireConnection, saveConnection } from './store';

// A private connection's polling intervals, as a Jira admin sets them on the
// private side (the only side that polls). The edit is merged over what is
// in force and checked whole, so a change to one interval cannot leave the
// set out of order. The chain takes them from its next link on.

export async function setPollingIntervals(platform: Platform, connectionId: string, edit: PollingEdit): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  if (connection.delivery !== 'poll') {
    throw new AppError('Conflict', `The connection "${connection.name}" does not poll from this side: only the private side of a private connection has polling intervals.`);
  }
  const merged = PollingSettings.safeParse({ ...(connection.polling ?? DEFAULT_POLLING), ...edit });
  if (!merged.success) throw new AppError('BadInput', `These polling intervals do not fit together: ${describeZodError(merged.error)}.`);
  const updated: ConnectionRecord = { ...connection, polling: merged.data };
  await saveConnection(platform, updated);
  return updated;
}

/** What the Connections page shows: the intervals in force on the private side, null elsewhere. */
export const pollingShown = (connection: ConnectionRecord): PollingSettings | null =>
  connection.delivery === 'poll' ? (connection.polling ?? DEFAULT_POLLING) : null;
