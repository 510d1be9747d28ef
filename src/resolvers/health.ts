import { listConnectionRecords, requireConnection } from '../connections/store';
import { readConnectionHealth } from '../operations/connection-health';
import type { Handlers } from './define';

// The Connections page's health figures (src/operations/connection-health.ts). Read-only; the shares are of
// what every connection used, so all of them are read even when one is asked for.

export const healthHandlers: Handlers<'getConnectionHealth'> = {
  getConnectionHealth: async ({ platform, input }) => {
    const all = await listConnectionRecords(platform);
    if (input.connectionId) await requireConnection(platform, input.connectionId);
    const health = await readConnectionHealth(platform, all, platform.clock.now());
    return { ok: true, connections: input.connectionId ? health.filter((h) => h.connectionId === input.connectionId) : health };
  },
};
