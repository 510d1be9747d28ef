import { z } from 'zod';
import type { KvsTransactionOp, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { AckBody, ReplicaAnswer, type AckFailure, type AckMessage, type MessageOf } from '../domain/messages';
import { getConnection, lastSyncNowOp, saveConnection } from '../connections/store';
import { createJiraClient } from '../jira/client';
import { leaseReleaseOp, twinLockName, withTwinLock } from './twin-lock';
import { twinStore, type Twin } from './twins';
import { saveWithHistory } from './history';
import { syncErrorStore } from './sync-errors';
import { statOp } from './statistics';

// `ack` messages: the partner applied our replica, so now we know its issue,
// key and link; or its first sync failed, and the twin shows why.

export const AckWork = z.object({ kind: z.literal('sync.ack'), connectionId: z.string(), ack: AckBody });
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

/**
 * The partner answered one of our replicas with its ack (`ReplicaMessage.ackInAnswer`): taken here as if it
 * had come as a message. Throwing keeps the replica in the outbox; its repeat is answered from the partner's
 * replay record (or, that gone, with the same ack again), so the ack is never lost. `finish` (the replica out
 * of the outbox) rides in the ack's transaction when there is one: true then.
 */
export async function takeAckFromAnswer(platform: Platform, connection: ConnectionRecord, result: unknown, finish: KvsTransactionOp[] = []): Promise<boolean> {
  const answer = ReplicaAnswer.safeParse(result);
  if (!answer.success) return false;
  if (answer.data.takesFiles && !connection.partnerTakesFiles) await notePartnerTakesFiles(platform, connection.id);
  if (!answer.data.ack) return false;
  const ack = answer.data.ack;
  const applied = await applyAckLocked(platform, connection, ack, finish);
  if (applied === 'busy') await platform.queue.push([{ body: { kind: 'sync.ack', connectionId: connection.id, ack } satisfies AckWork }]);
  return applied !== 'busy' && 'finished' in applied && applied.finished;
}

/**
 * The partner takes small files inside the replica: kept on the connection record, which every outgoing
 * step reads anyway, so it costs one write in the connection's life. Read again first, so that the record
 * written is the newest (an admin's change a moment ago stays).
 */
async function notePartnerTakesFiles(platform: Platform, connectionId: string): Promise<void> {
  const current = await getConnection(platform, connectionId);
  if (!current || current.partnerTakesFiles) return;
  await saveConnection(platform, { ...current, partnerTakesFiles: true });
}

export async function applyAckLocked(platform: Platform, connection: ConnectionRecord, ack: AckBody, finish: KvsTransactionOp[] = []): Promise<'busy' | { ok: true; finished: boolean } | { ignored: string }> {
  // The step that sent the replica may have handed its lease on to this ack (./twin-lock.ts `leaseHandOp`).
  const locked = await withTwinLock(
    platform,
    twinLockName(connection.id, ack.yourIssueId),
    () => ('failed' in ack ? applyFailure(platform, connection, ack) : applyAck(platform, connection, ack, finish)),
    { ackOf: ack.seq },
  );
  return locked.ran ? locked.value : 'busy';
}

async function applyAck(platform: Platform, connection: ConnectionRecord, ack: AckMessage, finish: KvsTransactionOp[]): Promise<{ ok: true; finished: boolean } | { ignored: string }> {
  const twins = twinStore(platform.kvs);
  const twin = await twins.get(connection.id, ack.yourIssueId);
  if (!twin) return { ignored: 'no twin' };
  const caughtUp = ack.seq >= twin.outSeq;
  const now = platform.clock.now();
  // The partner made the issue after all (its admin fixed and retried): the partner's failure no longer stands.
  const cleared = await clearPartnerFailure(platform, twin);
  // The ack is the last write to the twin in this step: the twin's lease is let go in the same transaction.
  const release = leaseReleaseOp(platform.kvs, twinLockName(connection.id, ack.yourIssueId));
  await twins.save(
    {
      ...cleared,
      remoteIssueId: ack.issueId,
      remoteKey: ack.issueKey,
      remoteUrl: ack.url ?? twin.remoteUrl,
      status: cleared.status === 'error' ? 'error' : caughtUp ? 'synchronized' : 'pending',
      lastSyncAt: now,
    },
    // "Last sync" on the Connections page counts both directions: an outgoing sync ends when the partner acks it.
    // The ack's own statistic counts nothing but what this invocation used (the connection's share of storage and Jira).
    [lastSyncNowOp(connection.id, { issueKey: twin.localKey, at: now }), statOp(platform, connection.id, {}, now), ...finish, ...(release ? [release.op] : [])],
  );
  release?.committed();
  // The first ack makes the twin whole: tell Jira itself, as an issue property, that the issue is synced.
  if (!twin.remoteIssueId) await markIssueSynced(platform, connection, twin.localIssueId, ack.issueKey, ack.url);
  return { ok: true, finished: finish.length > 0 };
}

/** Kind of the sender's error that stands for the partner's failed first sync. */
export const PARTNER_FAILED = 'partner-first-sync-failed';

/**
 * The partner could not make its issue: the twin shows the partner's reason as an error (the issue panel,
 * the history, the Errors page) and pauses its sends, which the partner could not take anyway, until
 * someone retries it here or the partner, retried there, acks after all.
 */
async function applyFailure(platform: Platform, connection: ConnectionRecord, ack: AckFailure): Promise<{ ok: true; finished: boolean } | { ignored: string }> {
  const twins = twinStore(platform.kvs);
  const twin = await twins.get(connection.id, ack.yourIssueId);
  if (!twin) return { ignored: 'no twin' };
  if (twin.remoteIssueId) return { ignored: 'the partner has the issue already' };
  const now = platform.clock.now();
  const message = `${connection.remote.name} could not create the issue: ${ack.failed.message}`;
  const stored = await syncErrorStore(platform.kvs, () => platform.random.uuid()).record(
    { connectionId: connection.id, phase: 'outgoing', localIssueId: twin.localIssueId, issueKey: twin.localKey, remoteIssueId: null, kind: PARTNER_FAILED, message, scriptLine: null, scriptColumn: null },
    now,
  );
  await saveWithHistory(platform.kvs, { ...twin, status: 'error', blockedBy: stored.id }, now, { direction: 'out', cause: 'ack', outcome: 'error', seq: ack.seq, message, changes: [] });
  return { ok: true, finished: false };
}

async function clearPartnerFailure(platform: Platform, twin: Twin): Promise<Twin> {
  if (!twin.blockedBy) return twin;
  const errors = syncErrorStore(platform.kvs, () => platform.random.uuid());
  const error = await errors.get(twin.blockedBy);
  if (error?.kind !== PARTNER_FAILED) return twin;
  if (error.status === 'open') await errors.resolve(error.id);
  return { ...twin, blockedBy: null, status: 'pending' };
}

/** `exalate` issue property: the issue's twins, so Jira (JQL, other apps) can see it is synced. */
export async function markIssueSynced(platform: Platform, connection: ConnectionRecord, localIssueId: string, remoteKey: string, remoteUrl: string | null): Promise<void> {
  const jira = createJiraClient(platform.jira);
  const current = ((await jira.properties.get(localIssueId, 'exalate').catch(() => undefined)) ?? {}) as { twins?: { connectionId: string }[] };
  const twins = (current.twins ?? []).filter((t) => t.connectionId !== connection.id);
  twins.push({ connectionId: connection.id, connectionName: connection.name, remoteKey, remoteUrl } as { connectionId: string });
  await jira.properties.set(localIssueId, 'exalate', { twins }).catch((e) => platform.log.warn('could not write the exalate issue property', { error: String(e) }));
}
