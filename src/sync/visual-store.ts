import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { defaultVisualMapping, VisualMapping, type VisualSide } from '../domain/visual-mapping';
import { recordKind } from '../domain/stored-record';

// Each side keeps its copy of the connection's one mapping document; the
// copies agree after every publish (see src/sync/visual-configure.ts).

export const mappingKey = (connectionId: string) => `visual-mapping:${connectionId}`;
const mappingRecord = recordKind({ name: 'Visual mapping', version: 1, schema: VisualMapping, key: mappingKey });

/** Which side of the mapping this installation's half of the connection is. */
export const sideOf = (connection: ConnectionRecord): VisualSide => (connection.inviter ? 'inviter' : 'invitee');

export async function getMapping(platform: Platform, connection: ConnectionRecord): Promise<VisualMapping> {
  const stored = await mappingRecord.get(platform.kvs, connection.id);
  if (stored) return stored;
  const own = connection.localProjectKey;
  const partner = connection.remote.projectKey ?? own;
  return defaultVisualMapping(connection.inviter ? { inviter: own, invitee: partner } : { inviter: partner, invitee: own });
}

export async function saveMapping(platform: Platform, connectionId: string, mapping: VisualMapping): Promise<void> {
  await platform.kvs.set(mappingKey(connectionId), mapping);
}

export async function deleteMapping(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(mappingKey(connectionId));
}
