import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { defaultVisualMapping, VisualMapping, type VisualSide } from '../domain/visual-mapping';

// Each side keeps its copy of the connection's one mapping document; the
// copies agree after every publish (see src/sync/visual-configure.ts).

export const mappingKey = (connectionId: string) => `visual-mapping:${connectionId}`;

/** Which side of the mapping this installation's half of the connection is. */
export const sideOf = (connection: ConnectionRecord): VisualSide => (connection.inviter ? 'inviter' : 'invitee');

export async function getMapping(platform: Platform, connection: ConnectionRecord): Promise<VisualMapping> {
  const stored = await platform.kvs.get(mappingKey(connection.id));
  if (stored !== undefined) return VisualMapping.parse(stored);
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
