import type { Platform } from '../../ports';
import type { ReplicaMessage } from '../../domain/messages';
import type { DesiredIssue } from '../../domain/replica';
import { sendLocked, type LocalRead } from '../outgoing';
import { twinStore, type Twin } from '../twins';

// Concurrent edits: both sides may change a field before either hears of the
// other's change. Every replica carries, per replica field, when its sender
// last changed it; the twin keeps this side's times and the partner's as last
// applied. From those two times each side decides the same way.

/**
 * Which fields of the partner's replica may be written here. Only a field the
 * partner changed since the last replica applied here (its time moved) — so a
 * field it merely carried unchanged never overwrites an edit made here that has
 * not left yet. A manual sync, a retry or a new connection carries every field.
 * Concurrent edits converge: when both sides changed a field since they last
 * heard from each other, the later change wins on both sides (each side sees
 * the same two times: its own, kept in the twin, and the partner's, carried in
 * the replica); on a tie the inviter's side wins.
 */
export function partnerWins(message: Pick<ReplicaMessage, 'changedAt' | 'cause'>, twin: Pick<Twin, 'fieldTimes' | 'remoteFieldTimes'>, weAreInviter: boolean): (field: string) => boolean {
  const remoteTimes = message.changedAt ?? {};
  const carriesAll = !message.changedAt || message.cause === 'manual' || message.cause === 'retry' || message.cause === 'connect';
  return (field) => {
    const remote = remoteTimes[field] ?? 0;
    const local = twin.fieldTimes[field] ?? 0;
    const changedThere = carriesAll || remote > (twin.remoteFieldTimes[field] ?? 0);
    return changedThere && (remote > local || (remote === local && !weAreInviter));
  };
}

/**
 * The desired fields the partner wins, each judged by the replica field of the same name.
 *
 * Custom fields are judged like the others, as one field (`customFields`, the one replica field that carries
 * them all). They were once exempt, always written whatever the times said; nothing needed that (the
 * incoming script sets them from `replica.customFields` like any other field), and it broke the rule above:
 * a replica that carried a custom field unchanged overwrote an edit made here, and two sides editing at
 * once each kept the other's value (test/integration/sync.test.ts, "keeps a custom field edited here").
 * What every field shares: a desired field the script fills from a replica field of another name (a label
 * from `customKeys`, say) follows that name's time only on a manual sync, a retry or a Connect.
 */
export function withoutOlderEdits(desired: DesiredIssue, wins: (field: string) => boolean): DesiredIssue {
  const kept: Record<string, unknown> = { ...desired };
  for (const field of Object.keys(desired)) if (!wins(field)) delete kept[field];
  return kept as DesiredIssue;
}

/**
 * A person may have edited the issue here after its last replica left and
 * before its outgoing work ran. Sending that edit first stamps its fields with
 * this side's time, so the partner's replica, made before it saw the edit,
 * cannot overwrite it; the partner then receives the edit as usual. Whether
 * there is one, the edit's product event noted (see routeProductEvent); without
 * one this costs a storage read.
 */
export async function sendUnsentEdits(platform: Platform, twin: Twin, read: LocalRead): Promise<{ twin: Twin; sent: boolean }> {
  if ((await twinStore(platform.kvs).editedAt(twin.connectionId, twin.localIssueId)) === undefined) return { twin, sent: false };
  const outcome = (await sendLocked(platform, { kind: 'sync.outgoing', connectionId: twin.connectionId, localIssueId: twin.localIssueId, cause: 'event' }, read)).outcome;
  // Sending (or failing to) rewrote the twin: go on from what it saved.
  if (outcome !== 'sent' && outcome !== 'error') return { twin, sent: false };
  return { twin: (await twinStore(platform.kvs).get(twin.connectionId, twin.localIssueId)) ?? twin, sent: outcome === 'sent' };
}
