import type { Platform } from '../../ports';
import type { ReplicaMessage } from '../../domain/messages';
import type { DesiredIssue, Replica } from '../../domain/replica';
import { sameJson } from '../../rules/incoming-ops';
import { comparableCustom } from '../custom-fields';
import { sendLocked, type LocalRead } from '../outgoing';
import { twinStore, type Twin } from '../twins';
import type { EditTimes } from '../edit-times';

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
 * The first replica after a Connect whose initial sync the partner wins: every field is written here,
 * whatever the times say. The flag alone is not enough: only a twin the Connect left expecting it
 * (`Twin.initialSync`) honours it, and only once, so a partner cannot use it later to overwrite edits.
 */
export function takesInitialSync(message: Pick<ReplicaMessage, 'initialSync'>, twin: Pick<Twin, 'initialSync'>): boolean {
  return message.initialSync === true && twin.initialSync === 'expect';
}

/**
 * The desired fields the partner wins, each judged by the replica field of the same name.
 *
 * Custom fields are judged like the others, as one field (`customFields`, the one replica field that carries
 * them all). They were once exempt, always written whatever the times said; that broke the rule above: a
 * replica that carried a custom field unchanged overwrote an edit made here, and two sides editing at once
 * each kept the other's value (test/integration/sync.test.ts, "keeps a custom field edited here").
 *
 * A value the script derived rather than copied is judged by `derived` (see scriptSetWins): a desired field
 * whose value is not the replica's own value of that name (labels computed from the priority, a person
 * mapped to a fallback) is written although the partner did not change that very field, unless this side
 * changed it more recently than the partner's change. A copied value keeps the per-field rule, which is what
 * makes concurrent edits converge.
 */
export function withoutOlderEdits(desired: DesiredIssue, wins: (field: string) => boolean, derived?: { replica: Partial<Replica>; wins: (field: string) => boolean }): DesiredIssue {
  const kept: Record<string, unknown> = { ...desired };
  for (const field of Object.keys(desired) as (keyof DesiredIssue)[]) {
    if (wins(field)) continue;
    delete kept[field];
    if (!derived || !DERIVABLE.has(field) || !derived.wins(field)) continue;
    if (field === 'customFields') {
      const theirs = derived.replica.customFields ?? {};
      const own = Object.entries(desired.customFields ?? {}).filter(([name, value]) => !sameJson(comparableCustom(value), comparableCustom(theirs[name])));
      if (own.length) kept.customFields = Object.fromEntries(own);
    } else if (!sameJson(comparable(field, desired[field]), comparable(field, derived.replica[field as keyof Replica]))) {
      kept[field] = desired[field];
    }
  }
  return kept as DesiredIssue;
}

/** Desired fields a script may derive; the others (project, type, parent) follow the per-field rule only. */
const DERIVABLE = new Set<string>(['summary', 'description', 'priority', 'labels', 'assignee', 'reporter', 'dueDate', 'resolution', 'customFields', 'components', 'fixVersions']);

/** Values as the "copied or derived" test compares them: names, account ids, label sets. */
function comparable(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if ((field === 'labels' || field === 'components' || field === 'fixVersions') && Array.isArray(value)) return [...value].sort();
  if (field === 'assignee' || field === 'reporter') return (value as { accountId?: string }).accountId ?? null;
  if (field === 'priority' || field === 'resolution') return (value as { name?: string }).name ?? null;
  return value;
}

/**
 * Whether a value the script derived may be written to `field`: when this side last changed that field
 * before the partner's change this replica carries (its latest field time that moved; all of them on a
 * manual sync, a retry or a Connect).
 */
export function scriptSetWins(message: Pick<ReplicaMessage, 'changedAt' | 'cause'>, twin: Pick<Twin, 'fieldTimes' | 'remoteFieldTimes'>): (field: string) => boolean {
  const times = Object.entries(message.changedAt ?? {});
  const moved = times.filter(([field, at]) => at > (twin.remoteFieldTimes[field] ?? 0)).map(([, at]) => at);
  const partnerChange = Math.max(0, ...(moved.length ? moved : times.map(([, at]) => at)));
  return (field) => (twin.fieldTimes[field] ?? 0) < partnerChange;
}

/**
 * Whether the issue, as just read, holds a person's edit that no outgoing run has read yet: its history (or a
 * comment) is newer than what the last send read. A twin that never sent knows of nothing sent: any person's
 * change counts. The app's own changes (applying the partner's) are not a person's and do not count.
 */
export function hasUnsentEdit(twin: Pick<Twin, 'editsReadUpTo'>, edits: Pick<EditTimes, 'lastPersonEdit'>): boolean {
  return edits.lastPersonEdit !== undefined && edits.lastPersonEdit > (twin.editsReadUpTo ?? Number.NEGATIVE_INFINITY);
}

/**
 * A person may have edited the issue here after its last replica left and
 * before its outgoing work ran: Forge delivers the edit's product event up to
 * three minutes late, so the partner's replica can come first. Sending that
 * edit first stamps its fields with when it was made (../edit-times.ts), so
 * the partner's replica, made before or after it, is judged against its real
 * time; the partner then receives the edit as usual. The issue's history, read
 * with it anyway, tells whether there is one; failing that (another app's
 * edit), the product event's note does, at a storage read.
 */
export async function sendUnsentEdits(platform: Platform, twin: Twin, read: LocalRead): Promise<{ twin: Twin; sent: boolean }> {
  if (!hasUnsentEdit(twin, read.edits) && (await twinStore(platform.kvs).editedAt(twin.connectionId, twin.localIssueId)) === undefined) return { twin, sent: false };
  const outcome = (await sendLocked(platform, { kind: 'sync.outgoing', connectionId: twin.connectionId, localIssueId: twin.localIssueId, cause: 'event' }, read)).outcome;
  // Nothing the partner would see changed: what was read is accounted for (written with the twin's next save),
  // so the next replica does not look again.
  if (outcome === 'unchanged') return { twin: { ...twin, editsReadUpTo: Math.max(read.edits.lastPersonEdit ?? 0, twin.editsReadUpTo ?? 0) }, sent: false };
  // Sending (or failing to) rewrote the twin: go on from what it saved.
  if (outcome !== 'sent' && outcome !== 'error') return { twin, sent: false };
  return { twin: (await twinStore(platform.kvs).get(twin.connectionId, twin.localIssueId)) ?? twin, sent: outcome === 'sent' };
}
