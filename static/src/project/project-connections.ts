import type { Connection } from '../schemas';

/** Basic connections whose incoming project is this one. */
export function projectConnections(connections: Connection[], projectKey: string): Connection[] {
  return connections.filter((connection) => connection.mode === 'basic' && connection.localProjectKey === projectKey);
}
