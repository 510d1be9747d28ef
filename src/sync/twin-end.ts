import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { MessageOf } from '../domain/messages';
import { adjustIssuesUnderSync } from '../connections/store';
import { sendMessage } from '../transport';
import { recordHistory } from './history';
import { twinStore, type Twin } from './twins';

// A twin ends: here (an admin's unexalate, the issue deleted, a script's
// `syncHelper.unExalate()`), and the partner is told; or there, and this side
// hears of it. Either way the issues stay as they are.

/** Stop syncing one twin on this side and tell the partner; the issue stays. */
export async function endTwin(platform: Platform, twin: Twin, reason: string): Promise<void> {
  await forget(platform, twin, { direction: 'out', cause: reason });
  if (twin.remoteIssueId) await sendMessage(platform, twin.connectionId, 'unexalate', { issueId: twin.localIssueId, yourIssueId: twin.remoteIssueId, reason });
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
  await twinStore(platform.kvs).remove(twin);
  await adjustIssuesUnderSync(platform, twin.connectionId, -1);
  await recordHistory(platform.kvs, twin, platform.clock.now(), { ...why, outcome: 'unexalated', changes: [] });
}
