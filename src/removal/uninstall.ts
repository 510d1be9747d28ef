import type { Platform } from '../ports';
import { KVS_LIMITS } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { listStoredConnections } from '../connections/store';
import { deleteSecrets, readSecrets } from '../connections/secrets';
import { tombstoneSecretKey } from '../transport/keys';
import { listTombstones, postDeleteNotice } from '../transport/tombstone';
import { deleteKeys } from './purge';

// Forge's preUninstall: one invocation, 55 s, no retries, and nothing of the
// app runs after it (https://developer.atlassian.com/platform/forge/manifest-reference/modules/pre-uninstall-trigger/).
// So partners are told first, every one at once and each within a bound:
// a partner that hears of it shows the connection as ended by us rather
// than failing deliveries for days. Then the installation's data goes,
// secrets first, as far as the time allows. Whatever is left is harmless:
// Forge keeps an uninstalled app's storage for 28 days for recovery only,
// never restores it into a new installation, and then deletes it
// (https://developer.atlassian.com/platform/forge/storage-reference/).

export interface UninstallOptions {
  /** How long telling the partners may take, in all. */
  tellWithinMs: number;
  /** When to stop deleting, counted from the start (Forge ends the invocation at 55 s). */
  stopAfterMs: number;
}

export const UNINSTALL_DEFAULTS: UninstallOptions = { tellWithinMs: 20_000, stopAfterMs: 50_000 };

export interface UninstallReport {
  told: number;
  notTold: number;
  keysDeleted: number;
  finished: boolean;
}

const NOTICE = { reason: 'The app was uninstalled on the partner site.', uninstalled: true } as const;

export async function uninstallApp(platform: Platform, options: UninstallOptions = UNINSTALL_DEFAULTS): Promise<UninstallReport> {
  const startedAt = platform.clock.now();
  const connections = await listStoredConnections(platform);
  const tombstones = await listTombstones(platform);

  const notices = [
    ...connections.filter(needsTelling).map((c) => () => tellPartner(platform, c)),
    ...tombstones
      .filter(({ tombstone }) => tombstone.url && tombstone.delivery !== 'held')
      .map(({ tombstone, secrets }) => async () => heard(await postDeleteNotice(platform, { url: tombstone.url!, remoteConnectionId: tombstone.remoteConnectionId }, secrets, NOTICE))),
  ];
  const outcomes = await Promise.all(notices.map((send) => within(options.tellWithinMs, send(), false)));
  const told = outcomes.filter(Boolean).length;

  // Secrets cannot be listed, only named: by the ids the records and tombstones give.
  const ids = new Set([...connections.map((c) => c.id), ...tombstones.map((t) => t.tombstone.connectionId)]);
  for (const id of ids) {
    await deleteSecrets(platform, id);
    await platform.kvs.deleteSecret(tombstoneSecretKey(id));
  }

  let keysDeleted = 0;
  let finished = false;
  while (platform.clock.now() - startedAt < options.stopAfterMs) {
    const page = await platform.kvs.query('', { limit: KVS_LIMITS.maxQueryLimit });
    if (page.results.length === 0) {
      finished = true;
      break;
    }
    await deleteKeys(platform, page.results.map((entry) => entry.key));
    keysDeleted += page.results.length;
  }
  platform.log.info('uninstalled: partners told and data removed', { told, notTold: notices.length - told, keysDeleted, finished });
  return { told, notTold: notices.length - told, keysDeleted, finished };
}

/**
 * A partner that can be called and still counts on the connection. A private partner
 * (`held`) cannot be called: it finds the endpoint gone at its next poll.
 */
function needsTelling(connection: ConnectionRecord): boolean {
  if (connection.kind === 'local' || connection.state === 'pending' || connection.endedByPartner) return false;
  // A deletion begun here whose tombstone is written tells the partner through the tombstone.
  if (connection.deletion && !connection.deletion.tellPartner) return false;
  return connection.delivery !== 'held' && connection.remote.url !== null;
}

async function tellPartner(platform: Platform, connection: ConnectionRecord): Promise<boolean> {
  const secrets = await readSecrets(platform, connection.id);
  if (!secrets || !connection.remote.url) return false;
  return heard(await postDeleteNotice(platform, { url: connection.remote.url, remoteConnectionId: connection.remote.connectionId }, secrets, NOTICE));
}

const heard = (reply: Awaited<ReturnType<typeof postDeleteNotice>>) => reply.kind === 'answered';

/** The promise's value, or `otherwise` once `ms` have passed (the call itself is abandoned, not cancelled). */
async function within<T>(ms: number, promise: Promise<T>, otherwise: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(otherwise), ms);
  });
  try {
    return await Promise.race([promise.catch(() => otherwise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
