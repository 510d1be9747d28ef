import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { MessageOf } from '../domain/messages';
import { issuesUnderSyncStep } from '../connections/store';
import { sendMessage } from '../transport';
import { historyOps } from './history';
import { twinStore, type Twin } from './twins';

// A twin ends: here (an admin's unexalate, the issue deleted, a script's
// `syncHelper.unExalate()`), and the partner is told; or there, and this side
// hears of it. Either way the issues stay as they are.

/** Stop syncing one twin on this side and tell the partner; the issue stays. */
export async function endTwin(platform: Platform, twin: Twin, reason: string): Promise<void> {
  // The partner is told first: should storage refuse what follows, the retry finds the twin still here and
  // ends it again (the partner ignores a second notice). The other way round, the retry would find no twin
  // and the partner would never hear.
  if (twin.remoteIssueId) await sendMessage(platform, twin.connectionId, 'unexalate', { issueId: twin.localIssueId, yourIssueId: twin.remoteIssueId, reason });
  await forget(platform, twin, { direction: 'out', cause: reason });
}

/** The partner stopped syncing its issue: stop here too, keep the issue. */
export async function receiveUnexalate(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'unexalate'>): Promise<unknown> {
  const message = envelope.body;
  const twins = twinStore(platform.kvs);
  const twin = (await twins.get(connection.id, message.yourIssueId)) ?? (await twins.findByRemote(connection.id, message.issueId));
  if (!twin) return { ignored: 'no twin' };
  await forget(platform, twin, { direction: 'in', cause: message.reason ?? 'partner' });
  return { ok: true };
}

/** The twin record goes (with what it kept), the count with it; its history says why. */
async function forget(platform: Platform, twin: Twin, why: { direction: 'in' | 'out'; cause: string }): Promise<void> {
  // One transaction, so a retry after a refusal neither counts twice nor loses the history line.
  await twinStore(platform.kvs).remove(twin, [
    await issuesUnderSyncStep(platform, twin.connectionId, -1),
    ...(await historyOps(platform.kvs, twin, platform.clock.now(), { ...why, outcome: 'unexalated', changes: [] })).ops,
  ]);
}
