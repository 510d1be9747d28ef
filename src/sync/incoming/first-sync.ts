import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import type { ReplicaMessage } from '../../domain/messages';
import type { DesiredIssue } from '../../domain/replica';
import { withAvailableItems } from '../project-items';
import { issuesUnderSyncStep } from '../../connections/store';
import { isTransient } from '../../domain/errors';
import { LaterWithCarry } from '../later';
import { statOp } from '../statistics';
import type { JiraClient } from '../../jira/client';
import { fieldsToWrite, type AppliedChange } from '../apply';
import { issueBrowseUrl, type FieldCatalog } from '../issue-reader';
import { refusalMessage, writeAccepted } from '../refusals';
import type { ListedWarning } from './apply';
import { newTwin, type CreationClaim, type Twin, type TwinStore } from '../twins';

// The first replica of a partner issue makes the issue here. Creating it must
// happen once whatever crashes and retries do, so the creation is claimed in
// storage first and the new issue's id written down as soon as Jira answers;
// a retry that finds the claim with an id goes on from there.

/** An issue made here by an earlier run whose record storage refused (see LaterWithCarry). */
export interface CarriedIssue {
  localIssueId: string;
  localKey: string;
  localUrl?: string;
}

/** A claim without an issue this old was left by a worker that died before Jira answered. */
export const CLAIM_TAKEOVER_MS = 2 * 60_000;

export type FirstSync =
  | {
      kind: 'done';
      twin: Twin;
      changes: AppliedChange[];
      warnings: string[];
      listed: ListedWarning[];
      url: string | null;
      /** The issue was made by an earlier run that stopped: it may hold copies that run made (./orphans.ts). */
      resumed: boolean;
    }
  /** Another worker holds the claim: this work comes back later. */
  | { kind: 'in-progress' };

/** Claim the creation, create the issue with the desired fields, write down its id at once, then the twin. */
export async function createLocalIssue(
  platform: Platform,
  jira: JiraClient,
  twins: TwinStore,
  connection: ConnectionRecord,
  remoteIssueId: string,
  message: Pick<ReplicaMessage, 'issueKey' | 'replica'>,
  desired: DesiredIssue,
  catalog: FieldCatalog,
  /** The issue an earlier run created and storage refused to write down: it came with the work (LaterWithCarry). */
  carried?: CarriedIssue,
): Promise<FirstSync> {
  const now = platform.clock.now();
  // Claimed first, read only when a claim is there already (an earlier run's): most first syncs find none.
  const token = platform.random.uuid();
  let claim: CreationClaim | undefined = (await twins.claimCreation(connection.id, remoteIssueId, { token, at: now })) ? { token, at: now } : await twins.getCreation(connection.id, remoteIssueId);
  if (claim && !claim.localIssueId && claim.token !== token) {
    // Another worker's claim, its issue not made yet: that worker is at it, unless it has been too long.
    if (now - claim.at <= CLAIM_TAKEOVER_MS) return { kind: 'in-progress' };
    await twins.releaseCreation(connection.id, remoteIssueId);
    claim = undefined;
  }
  if (!claim) {
    if (!(await twins.claimCreation(connection.id, remoteIssueId, { token, at: now }))) return { kind: 'in-progress' };
    claim = { token, at: now };
  }
  if (!claim.localIssueId && carried) claim = { ...claim, ...carried };
  const resumed = claim.localIssueId !== undefined;
  const items = resumed ? { desired, warnings: [] } : await withAvailableItems(jira, desired.projectKey ?? connection.localProjectKey, desired, null, connection.createMissing === true);
  const planned = fieldsToWrite(items.desired, null, catalog);
  let changes = planned.changes;
  const warnings = [...planned.warnings, ...items.warnings];
  const listed: ListedWarning[] = [...planned.warnings, ...items.warnings].map((message) => ({ kind: 'value-refused', message }));
  if (!claim.localIssueId) {
    let made: { id: string; key: string; self?: string } | undefined;
    // A value Jira refuses costs that field, not the issue (../refusals.ts), unless the connection is strict.
    const { refused } = await writeAccepted(
      planned.fields,
      async (fields) => {
        made = await jira.issues.create({
          fields: { ...fields, project: { key: desired.projectKey ?? connection.localProjectKey }, issuetype: { name: desired.typeName ?? 'Task' }, summary: desired.summary ?? message.issueKey },
          // Jira itself learns the issue is synced: the same `exalate` property the sender writes on its ack.
          properties: [{ key: 'exalate', value: { twins: [{ connectionId: connection.id, connectionName: connection.name, remoteKey: message.issueKey, remoteUrl: (message.replica as { url?: string }).url ?? null }] } }],
        });
      },
      { strict: connection.strictValues === true, catalog },
    );
    const refusedChanges = new Set(refused.map((r) => planned.changeOf.get(r.jiraField)));
    changes = changes.filter((c) => !refusedChanges.has(c));
    for (const refusal of refused) {
      warnings.push(refusalMessage(refusal));
      listed.push({ kind: 'value-refused', message: refusalMessage(refusal) });
    }
    if (!made) throw new Error('Jira answered the issue creation without the new issue');
    claim = { ...claim, localIssueId: made.id, localKey: made.key, localUrl: made.self ? issueBrowseUrl(made.self, made.key) : undefined };
    try {
      // The twin is where the new issue's id is written down, at once.
      return done(await saveNewTwin(platform, twins, connection, remoteIssueId, message, claim, now));
    } catch (e) {
      if (!isTransient(e)) throw e;
      // Storage will not write the new issue's id down now, and the next run for this partner issue (any
      // of its queued work) would then make a second one: take this one back. Only if Jira will not
      // delete it either does the id ride along in this work instead.
      const undone = await jira.issues.delete(made.id).then(
        () => true,
        () => false,
      );
      if (undone) throw e;
      throw new LaterWithCarry(e, { created: { localIssueId: made.id, localKey: made.key, ...(claim.localUrl ? { localUrl: claim.localUrl } : {}) } });
    }
  }
  return done(await saveNewTwin(platform, twins, connection, remoteIssueId, message, claim, now));

  function done(twin: Twin): FirstSync {
    return { kind: 'done', twin, changes, warnings, listed, url: claim!.localUrl ?? null, resumed };
  }
}

/**
 * The twin of the issue made (or found made by an earlier run), counted as it is saved (issues under sync,
 * twins created), with the creation claim let go in the same write: the twin now says which issue was made.
 */
async function saveNewTwin(platform: Platform, twins: TwinStore, connection: ConnectionRecord, remoteIssueId: string, message: Pick<ReplicaMessage, 'issueKey'>, claim: CreationClaim, now: number): Promise<Twin> {
  const twin: Twin = {
    ...newTwin({ connectionId: connection.id, localIssueId: claim.localIssueId!, localKey: claim.localKey!, origin: 'remote', now }),
    remoteIssueId,
    remoteKey: message.issueKey,
  };
  await twins.save(twin, [await issuesUnderSyncStep(platform, connection.id, 1), statOp(platform, connection.id, { created: 1 }, now), twins.releaseCreationOp(connection.id, remoteIssueId)]);
  return twin;
}
