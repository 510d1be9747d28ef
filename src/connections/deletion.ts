import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { pushWork } from '../transport/kick';
import { writeTombstone } from '../transport/tombstone';
import type { TransportSettings } from '../transport/types';
import { connectionKey, getConnection, lastSyncKey, statsKey } from './store';
import { deleteSecrets, readSecrets } from './secrets';
import { invitationRefusalKey } from './invitation-refusals';
import { invitationKey, invitationUsedKey } from './invitations';
import { rotationKey } from './rotation';

// Deleting a connection here takes effect at once: it leaves the list, sync
// stops, the issues stay. Telling the partner is a durable notice of its own
// (a tombstone that outlives the connection, with a copy of the secret to
// sign with) because the partner may be away. The engine's twins and the
// transport's records go in a queued cleanup.

export interface RemoveOptions {
  /** False when the partner itself told us (nothing to tell back). */
  notifyPartner: boolean;
  settings: TransportSettings;
}

export async function removeConnection(platform: Platform, connection: ConnectionRecord, options: RemoveOptions): Promise<void> {
  const tellPartner = options.notifyPartner && connection.state !== 'pending' && connection.kind !== 'local';
  if (tellPartner) {
    const secrets = await readSecrets(platform, connection.id);
    if (secrets) await writeTombstone(platform, connection, secrets, options.settings);
  }
  await forget(platform, connection.id);
  if (tellPartner && connection.delivery !== 'held') {
    await pushWork(platform, { kind: 'transport.notify', connectionId: connection.id });
  }
  if (connection.kind === 'local') {
    // The two halves of a local connection go together.
    const other = await getConnection(platform, connection.remote.connectionId);
    if (other) await forget(platform, other.id);
  }
}

async function forget(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(connectionKey(connectionId));
  await platform.kvs.delete(statsKey(connectionId));
  await platform.kvs.delete(lastSyncKey(connectionId));
  await platform.kvs.delete(invitationKey(connectionId));
  await platform.kvs.delete(invitationUsedKey(connectionId));
  await platform.kvs.delete(invitationRefusalKey(connectionId));
  await platform.kvs.delete(rotationKey(connectionId));
  await deleteSecrets(platform, connectionId);
  await pushWork(platform, { kind: 'transport.cleanup', connectionId });
}
