import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AckMessage, type MessageOf } from '../domain/messages';
import { lastSyncNowOp } from '../connections/store';
import { createJiraClient } from '../jira/client';
import { twinLockName, withTwinLock } from './twin-lock';
import { twinStore } from './twins';

// `ack` messages: the partner applied our replica, so now we know its issue,
// key and link.

export const AckWork = z.object({ kind: z.literal('sync.ack'), connectionId: z.string(), ack: AckMessage });
export type AckWork = z.infer<typeof AckWork>;

/**
 * The twin is written under its lease (an outgoing or incoming step may be writing
 * it); when that is held, the ack waits in the queue instead.
 */
export async function receiveAck(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'ack'>): Promise<unknown> {
  const ack = envelope.body;
  const applied = await applyAckLocked(platform, connection, ack);
  if (applied === 'busy') await platform.queue.push([{ body: { kind: 'sync.ack', connectionId: connection.id, ack } satisfies AckWork }]);
  return applied === 'busy' ? { queued: true } : applied;
}

export async function applyAckLocked(platform: Platform, connection: ConnectionRecord, ack: AckMessage): Promise<'busy' | { ok: true } | { ignored: string }> {
  const locked = await withTwinLock(platform, twinLockName(connection.id, ack.yourIssueId), () => applyAck(platform, connection, ack));
  return locked.ran ? locked.value : 'busy';
}

async function applyAck(platform: Platform, connection: ConnectionRecord, ack: AckMessage): Promise<{ ok: true } | { ignored: string }> {
  const twins = twinStore(platform.kvs);
  const twin = await twins.get(connection.id, ack.yourIssueId);
  if (!twin) return { ignored: 'no twin' };
  const caughtUp = ack.seq >= twin.outSeq;
  const now = platform.clock.now();
  await twins.save(
    {
      ...twin,
      remoteIssueId: ack.issueId,
      remoteKey: ack.issueKey,
      remoteUrl: ack.url ?? twin.remoteUrl,
      status: twin.status === 'error' ? 'error' : caughtUp ? 'synchronized' : 'pending',
      lastSyncAt: now,
    },
    // "Last sync" on the Connections page counts both directions: an outgoing sync ends when the partner acks it.
    [lastSyncNowOp(connection.id, { issueKey: twin.localKey, at: now })],
  );
  // The first ack makes the twin whole: tell Jira itself, as an issue property, that the issue is synced.
  if (!twin.remoteIssueId) await markIssueSynced(platform, connection, twin.localIssueId, ack.issueKey, ack.url);
  return { ok: true };
}

/** `exalate` issue property: the issue's twins, so Jira (JQL, other apps) can see it is synced. */
export async function markIssueSynced(platform: Platform, connection: ConnectionRecord, localIssueId: string, remoteKey: string, remoteUrl: string | null): Promise<void> {
  const jira = createJiraClient(platform.jira);
  const current = ((await jira.properties.get(localIssueId, 'exalate').catch(() => undefined)) ?? {}) as { twins?: { connectionId: string }[] };
  const twins = (current.twins ?? []).filter((t) => t.connectionId !== connection.id);
  twins.push({ connectionId: connection.id, connectionName: connection.name, remoteKey, remoteUrl } as { connectionId: string });
  await jira.properties.set(localIssueId, 'exalate', { twins }).catch((e) => platform.log.warn('could not write the exalate issue property', { error: String(e) }));
}
