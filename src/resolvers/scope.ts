import type { ConnectionRecord } from '../domain/connection';
import { AppError } from '../domain/errors';
import type { ResolverKey } from '../contract/resolvers';
import { readStoredConnection, requireConnection, requireListedConnection } from '../connections/store';
import { isJiraError } from '../jira/errors';
import { issueBrowseUrl } from '../sync/issue-reader';
import { refusal, type IssueRef } from './authorize';
import type { ResolverCall } from './define';

// How far a grant reaches. A Jira admin reaches every connection and issue;
// a project admin only the Basic connections and the issues of the project
// the page is open on; an issue panel only its own issue, and only through
// connections whose project is the issue's.

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toUpperCase() === b.toUpperCase();

/** Whether a project admin's page shows this connection: a Basic connection of its project. */
export function inProjectReach(connection: Pick<ConnectionRecord, 'mode' | 'localProjectKey'>, projectKey: string): boolean {
  return connection.mode === 'basic' && same(connection.localProjectKey, projectKey);
}

/**
 * The connection a call names, if the caller's grant reaches it; otherwise Forbidden (or NotFound). One the
 * partner deleted is refused with that reason, unless `endedToo` (deleting it here is still the admin's to do);
 * one already being deleted only with `deletingToo` (deleting it again is no error).
 */
export async function connectionInReach(
  call: ResolverCall<ResolverKey>,
  connectionId: string,
  options: { endedToo?: boolean; deletingToo?: boolean } = {},
): Promise<ConnectionRecord> {
  const deleting = options.deletingToo ? await readStoredConnection(call.platform, connectionId) : undefined;
  const connection = deleting?.deletion
    ? deleting
    : options.endedToo
      ? await requireListedConnection(call.platform, connectionId)
      : await requireConnection(call.platform, connectionId);
  const { grant } = call;
  if (grant.rule === 'projectAdmin') {
    if (!same(connection.localProjectKey, grant.projectKey)) {
      throw new AppError('Forbidden', `This connection belongs to project ${connection.localProjectKey}: from the settings of ${grant.projectKey} you can only manage ${grant.projectKey}'s connections.`);
    }
    if (connection.mode !== 'basic') {
      throw new AppError('Forbidden', `Project settings manage Basic connections only; "${connection.name}" is a ${connection.mode === 'visual' ? 'Visual' : 'Script'} connection, managed by a Jira admin in Apps → Exalate.`);
    }
  }
  if ((grant.rule === 'issueBrowse' || grant.rule === 'issueEdit') && !same(connection.localProjectKey, grant.issue.projectKey)) {
    throw new AppError('Forbidden', `The connection "${connection.name}" syncs project ${connection.localProjectKey}, not ${grant.issue.key}'s project ${grant.issue.projectKey}.`);
  }
  return connection;
}

/**
 * The issue a call acts on: on the issue panel the panel's own issue (a
 * payload naming another is refused); elsewhere the issue the payload names,
 * read as the caller, so nobody acts on an issue they cannot see.
 */
export async function issueInReach(call: ResolverCall<ResolverKey>, payloadKey: string | undefined): Promise<IssueRef> {
  const { grant } = call;
  if (grant.rule === 'issueBrowse' || grant.rule === 'issueEdit') {
    if (payloadKey && payloadKey.toUpperCase() !== grant.issue.key.toUpperCase()) {
      throw new AppError('Forbidden', `This panel belongs to ${grant.issue.key}; it cannot act on ${payloadKey.toUpperCase()}.`);
    }
    return grant.issue;
  }
  if (!payloadKey) throw new AppError('BadInput', 'issueKey: is required');
  let issue;
  try {
    issue = await call.jira.issues.get(payloadKey, { fields: ['project'] });
  } catch (e) {
    if (isJiraError(e) && (e.kind === 'not-found' || e.kind === 'forbidden')) {
      throw new AppError('NotFound', `Issue ${payloadKey} does not exist or you do not have permission to see it.`);
    }
    throw e;
  }
  const ref: IssueRef = { id: issue.id, key: issue.key, projectKey: issue.fields.project?.key ?? '', url: issue.self ? issueBrowseUrl(issue.self, issue.key) : null };
  if (grant.rule === 'projectAdmin' && !same(ref.projectKey, grant.projectKey)) {
    throw new AppError('Forbidden', `${ref.key} is not in project ${grant.projectKey}: from its settings you can only sync ${grant.projectKey}'s issues.`);
  }
  return ref;
}

/** Every exalate path: an issue outside the connection's project is never sent, whatever the connection's kind. */
export function assertIssueInScope(connection: ConnectionRecord, issue: IssueRef): void {
  if (!same(connection.localProjectKey, issue.projectKey)) {
    throw new AppError('BadInput', `${issue.key} is not in project ${connection.localProjectKey}, the project this side of "${connection.name}" syncs; nothing was sent.`);
  }
}

/** A project admin's action that also reaches another project of this site (a local connection's other half). */
export async function assertAdminsProject(call: ResolverCall<ResolverKey>, projectKey: string, what: string): Promise<void> {
  if (call.grant.rule !== 'projectAdmin') return;
  const held = await call.permissions.held(['ADMINISTER_PROJECTS', 'ADMINISTER'], { projectKey }).catch(() => ({}) as Record<string, boolean>);
  if (!held.ADMINISTER_PROJECTS && !held.ADMINISTER) throw refusal('ADMINISTER_PROJECTS', `on project ${projectKey.toUpperCase()} ${what}`);
}
