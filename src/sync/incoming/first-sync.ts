import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import type { ReplicaMessage } from '../../domain/messages';
import type { DesiredIssue } from '../../domain/replica';
import { adjustIssuesUnderSync } from '../../connections/store';
import type { JiraClient } from '../../jira/client';
import { fieldsToWrite, type AppliedChange } from '../apply';
import { issueBrowseUrl, type FieldCatalog } from '../issue-reader';
import { newTwin, type Twin, type TwinStore } from '../twins';

// The first replica of a partner issue makes the issue here. Creating it must
// happen once whatever crashes and retries do, so the creation is claimed in
// storage first and the new issue's id written down as soon as Jira answers;
// a retry that finds the claim with an id goes on from there.

/** A claim without an issue this old was left by a worker that died before Jira answered. */
export const CLAIM_TAKEOVER_MS = 2 * 60_000;

export type FirstSync =
  | { kind: 'done'; twin: Twin; created: boolean; changes: AppliedChange[]; warnings: string[]; url: string | null }
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
): Promise<FirstSync> {
  const now = platform.clock.now();
  let claim = await twins.getCreation(connection.id, remoteIssueId);
  if (claim && !claim.localIssueId && now - claim.at > CLAIM_TAKEOVER_MS) {
    await twins.releaseCreation(connection.id, remoteIssueId);
    claim = undefined;
  }
  if (!claim) {
    const token = platform.random.uuid();
    if (!(await twins.claimCreation(connection.id, remoteIssueId, { token, at: now }))) return { kind: 'in-progress' };
    claim = { token, at: now };
  }
  const { fields, changes, warnings } = fieldsToWrite(desired, null, catalog);
  let created = false;
  if (!claim.localIssueId) {
    const made = await jira.issues.create({
      fields: { ...fields, project: { key: desired.projectKey ?? connection.localProjectKey }, issuetype: { name: desired.typeName ?? 'Task' }, summary: desired.summary ?? message.issueKey },
      // Jira itself learns the issue is synced: the same `exalate` property the sender writes on its ack.
      properties: [{ key: 'exalate', value: { twins: [{ connectionId: connection.id, connectionName: connection.name, remoteKey: message.issueKey, remoteUrl: (message.replica as { url?: string }).url ?? null }] } }],
    });
    claim = { ...claim, localIssueId: made.id, localKey: made.key, localUrl: made.self ? issueBrowseUrl(made.self, made.key) : undefined };
    await twins.recordCreated(connection.id, remoteIssueId, claim);
    created = true;
  }
  const twin: Twin = {
    ...newTwin({ connectionId: connection.id, localIssueId: claim.localIssueId!, localKey: claim.localKey!, origin: 'remote', now }),
    remoteIssueId,
    remoteKey: message.issueKey,
  };
  await twins.save(twin);
  await twins.releaseCreation(connection.id, remoteIssueId);
  if (created) await adjustIssuesUnderSync(platform, connection.id, 1);
  return { kind: 'done', twin, created, changes, warnings, url: claim.localUrl ?? null };
}
