import type { IncomingResult, LocalIssue, Replica } from '../../domain/replica';
import type { JiraClient } from '../../jira/client';
import { applyAttachments, applyComments, fieldsToWrite, type AppliedChange } from '../apply';
import type { FieldCatalog } from '../issue-reader';
import { refusalMessage, writeAccepted } from '../refusals';
import { moveToStatus } from '../workflow-path';
import type { Twin } from '../twins';
import { withoutOlderEdits } from './concurrency';
import { applyLinks, type LinkEnds } from '../links';
import { withAvailableItems } from '../project-items';
import { applyWorklogs } from '../worklogs';
import type { AttachmentOrphanFinder, OrphanFinder } from './orphans';

// What an incoming script decided, applied to the local issue: only the
// difference, and only what the partner wins (./concurrency.ts). One edit call
// for every changed field, a transition toward the wished status, one call per
// comment or attachment change. A value Jira refuses skips that field only
// (../refusals.ts) unless the connection is strict; a status no transition
// path reaches is left as it is. Both come back as `listed`: lines for the
// errors list that pause nothing.

export interface IncomingApply {
  jira: JiraClient;
  /** The twin; its comment and attachment maps record every copy made here, as it is made. */
  twin: Twin;
  /** The issue as read before the script ran; null when it was just created from the desired fields (a first sync). */
  current: LocalIssue | null;
  result: IncomingResult;
  /** Whether the partner's value of a replica field may be written here (on a first sync, every field). */
  wins: (field: string) => boolean;
  /** Whether a value the script derived (not the replica's own value of that field) may be written (./concurrency.ts). */
  derivedWins?: (field: string) => boolean;
  /** The replica the script read, to tell a copied value from a derived one. */
  replica?: Partial<Replica>;
  catalog: FieldCatalog;
  /** The bytes the partner sent for one of its attachments, when every chunk has arrived. */
  content: (remoteAttachmentId: string, sha256: string) => Promise<Uint8Array | undefined>;
  /** The connection's strict switch: a refused value pauses the issue instead of skipping the field. */
  strict?: boolean;
  /** The connection's create-missing switch: link types, components and versions the partner names are created here. */
  createMissing?: boolean;
  /** Where links' other ends are synced; without it, links are not mirrored. */
  links?: LinkEnds;
  /** Comment copies a stopped run made and did not record (./orphans.ts); none looked for when absent. */
  orphans?: OrphanFinder;
  /** The same for attachment copies. */
  attachmentOrphans?: AttachmentOrphanFinder;
}

/** A problem a person should see in the errors list, though the rest of the issue synced. */
export interface ListedWarning {
  kind: string;
  message: string;
}

export async function applyIncomingResult(input: IncomingApply): Promise<{ changes: AppliedChange[]; warnings: string[]; listed: ListedWarning[] }> {
  const { jira, twin, current, result } = input;
  const changes: AppliedChange[] = [];
  const warnings: string[] = [];
  const listed: ListedWarning[] = [];
  const kept = current ? withoutOlderEdits(result.issue, input.wins, input.derivedWins && input.replica ? { replica: input.replica, wins: input.derivedWins } : undefined) : undefined;
  if (current && kept) {
    const items = await withAvailableItems(jira, current.projectKey, kept, current, input.createMissing === true);
    const planned = fieldsToWrite(items.desired, current, input.catalog);
    warnings.push(...planned.warnings, ...items.warnings);
    // A value that cannot go into the field here (another type, no such field) is refused as Jira would.
    listed.push(...[...planned.warnings, ...items.warnings].map((message) => ({ kind: 'value-refused', message })));
    if (Object.keys(planned.fields).length) {
      const { refused } = await writeAccepted(
        planned.fields,
        async (fields) => {
          if (Object.keys(fields).length) await jira.issues.edit(twin.localKey, { fields });
        },
        { strict: input.strict === true, catalog: input.catalog },
      );
      const refusedIds = new Set(refused.map((r) => r.jiraField));
      changes.push(...planned.changes.filter((c) => ![...refusedIds].some((id) => planned.changeOf.get(id) === c)));
      for (const refusal of refused) {
        warnings.push(refusalMessage(refusal));
        listed.push({ kind: 'value-refused', message: refusalMessage(refusal) });
      }
    }
  }
  if (result.status && input.wins('status')) {
    const statusNow = current?.status.name ?? (await jira.issues.get(twin.localKey, { fields: ['status'] })).fields.status?.name ?? '';
    const moved = await moveToStatus(jira, twin.localKey, statusNow, result.status);
    if (moved.ok && moved.path.length) changes.push({ field: 'status', from: statusNow, to: moved.reached });
    if (moved.error) {
      warnings.push(`Status: ${moved.error}`);
      listed.push({ kind: 'status-unreachable', message: `Status: ${moved.error}` });
    }
  }
  // On a first sync every link is new here; after it, only a list the partner changed (or the script derived) counts.
  const wantedLinks = current ? kept?.issueLinks : result.issue.issueLinks;
  if (wantedLinks && input.links) {
    const linked = await applyLinks({ jira, issueId: twin.localIssueId, current: current?.issueLinks ?? [], wanted: wantedLinks, ends: input.links, createMissing: input.createMissing === true });
    changes.push(...linked.changes);
    warnings.push(...linked.notes, ...linked.refused);
    listed.push(...linked.refused.map((message) => ({ kind: 'value-refused', message })));
  }
  changes.push(...(await applyComments(jira, twin.localKey, result.comments, twin, input.orphans)).changes);
  changes.push(...(await applyWorklogs(jira, twin.localKey, result.worklogs ?? [], twin)).changes);
  const attachments = await applyAttachments(jira, twin.localKey, result.attachments, twin, input.content, input.attachmentOrphans);
  changes.push(...attachments.changes);
  for (const filename of attachments.missing) warnings.push(`The content of "${filename}" did not arrive; it will be added with the next change.`);
  return { changes, warnings, listed };
}
