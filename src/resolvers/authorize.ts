import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError, isAppError } from '../domain/errors';
import { PERMISSION_OF, type AccessRule, type ModuleKey } from '../contract/access';
import { createJiraClient, type JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';

// Who is asking, decided from the platform's context and Jira's answers as
// that person, before a resolver does anything. A check that cannot be made
// (Jira down, an answer we cannot read) refuses: it fails closed.

/** What a resolver learns from the platform about who called it and from where. */
export interface ResolverContext {
  accountId?: string;
  moduleKey?: string;
  cloudId?: string;
  siteUrl?: string;
  /** Module-specific context, e.g. `{ issue: { key } }` on the issue panel, `{ project: { key } }` on project settings. */
  extension?: Record<string, unknown>;
}

export interface IssueRef {
  id: string;
  key: string;
  projectKey: string;
  /** The issue's browse URL, when Jira gave its `self`. */
  url: string | null;
}

/** What the caller was found to hold; handlers narrow what they do by it. */
export type Grant =
  | { rule: 'jiraAdmin'; accountId: string }
  | { rule: 'projectAdmin'; accountId: string; projectKey: string }
  | { rule: 'issueBrowse' | 'issueEdit'; accountId: string; issue: IssueRef; canEdit: boolean };

const PERMISSION_NAMES: Record<string, string> = {
  ADMINISTER: 'Administer Jira',
  ADMINISTER_PROJECTS: 'Administer Projects',
  BROWSE_PROJECTS: 'Browse Projects',
  EDIT_ISSUES: 'Edit Issues',
};

const PageProject = z.looseObject({ project: z.looseObject({ key: z.string().min(1) }) });
const PageIssue = z.looseObject({ issue: z.looseObject({ key: z.string().min(1) }) });

export function refusal(permission: string, where: string): AppError {
  return new AppError('Forbidden', `You need the Jira permission "${PERMISSION_NAMES[permission] ?? permission}" (${permission}) ${where}; nothing was done.`, { permission });
}

/** One invocation's answers from Jira's permission API: asked once, then reused; gone with the invocation. */
export class PermissionCache {
  private readonly answers = new Map<string, Promise<Record<string, boolean>>>();

  constructor(private readonly jira: JiraClient) {}

  held(permissions: string[], where: { projectKey?: string; issueKey?: string } = {}): Promise<Record<string, boolean>> {
    const key = JSON.stringify([permissions, where.projectKey ?? null, where.issueKey ?? null]);
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.jira.permissions.mine(permissions, where);
      this.answers.set(key, answer);
    }
    return answer;
  }
}

/** The Jira client acting as the caller; resolvers read through it whatever a person asked to see. */
export function jiraAsCaller(platform: Platform, accountId: string): JiraClient {
  return createJiraClient(platform.jira, { asUser: accountId });
}

async function failClosed<T>(what: string, check: () => Promise<T>, notVisible: () => AppError): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (isAppError(e)) throw e;
    // Jira hides what the caller may not see behind 404 (and 403 for some checks).
    if (isJiraError(e) && (e.kind === 'not-found' || e.kind === 'forbidden' || e.kind === 'unauthorized')) throw notVisible();
    // Jira's rate limits (a burst of calls checks as many permissions): "busy, try again", as for storage's.
    if (isJiraError(e) && e.kind === 'rate-limited') {
      const wait = Math.max(1, Math.ceil((e.retryAfterMs ?? 1_000) / 1000));
      throw new AppError('RateLimited', `Jira is busy and could not check your permissions (${what}), so nothing was done. Try again in ${wait} s.`, { retryAfterSeconds: wait });
    }
    const reason = isJiraError(e) ? `Jira answered ${e.status || 'nothing'}` : e instanceof Error ? e.message : String(e);
    throw new AppError('Forbidden', `Your permissions could not be checked (${what}: ${reason}), so nothing was done. Try again in a moment.`);
  }
}

/**
 * Check `rule` for the caller of a resolver from module `moduleKey`. Answers
 * the grant the handler works within, or throws Forbidden naming what is missing.
 */
export async function authorize(platform: Platform, context: ResolverContext, moduleKey: ModuleKey, rule: AccessRule, permissions: PermissionCache): Promise<Grant> {
  const accountId = context.accountId;
  if (!accountId) throw new AppError('Forbidden', 'Who is asking is unknown (no signed-in user), so nothing was done.');
  const permission = PERMISSION_OF[rule];

  if (rule === 'jiraAdmin') {
    const held = await failClosed('global permissions', () => permissions.held([permission]), () => refusal(permission, 'to use the Exalate admin pages'));
    if (!held[permission]) throw refusal(permission, 'to use the Exalate admin pages');
    return { rule, accountId };
  }

  if (rule === 'projectAdmin') {
    const page = PageProject.safeParse(context.extension ?? {});
    if (!page.success) throw new AppError('Forbidden', `This page is not open on a project (module ${moduleKey}), so nothing was done.`);
    const projectKey = page.data.project.key.toUpperCase();
    const where = `on project ${projectKey} to manage its connections`;
    const held = await failClosed(`permissions on ${projectKey}`, () => permissions.held([permission, 'ADMINISTER'], { projectKey }), () => refusal(permission, where));
    if (!held[permission] && !held.ADMINISTER) throw refusal(permission, where);
    return { rule, accountId, projectKey };
  }

  const page = PageIssue.safeParse(context.extension ?? {});
  if (!page.success) throw new AppError('Forbidden', `This panel is not open on an issue (module ${moduleKey}), so nothing was done.`);
  const issueKey = page.data.issue.key.toUpperCase();
  const where = rule === 'issueEdit' ? `on ${issueKey} to change how it syncs` : `on ${issueKey} to see how it syncs`;
  const held = await failClosed(`permissions on ${issueKey}`, () => permissions.held(['BROWSE_PROJECTS', 'EDIT_ISSUES'], { issueKey }), () => refusal(permission, where));
  if (!held[permission]) throw refusal(permission, where);
  // Read as the caller: what the panel shows is what they may see.
  const issue = await failClosed(
    `reading ${issueKey}`,
    () => jiraAsCaller(platform, accountId).issues.get(issueKey, { fields: ['project'] }),
    () => refusal('BROWSE_PROJECTS', where),
  );
  return {
    rule,
    accountId,
    issue: { id: issue.id, key: issue.key, projectKey: issue.fields.project?.key ?? '', url: null },
    canEdit: held.EDIT_ISSUES === true,
  };
}
