import type { Platform } from '../ports';
import type { LocalIssue } from '../domain/replica';
import type { ScopeFilter, SideScope } from '../domain/visual-mapping';
import { methodFrom } from '../domain/visual-mapping';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { listConnectionRecords } from '../connections/store';
import { fieldCatalog, readLocalIssue } from './issue-reader';
import { getMapping, sideOf } from './visual-store';

// Visual mode's Automatic sync method: an issue created or changed in this
// side's scope project that matches the scope filters comes under sync by
// itself, as a trigger would bring it. Once a twin exists its events carry it,
// whatever the method.

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

function userMatches(user: LocalIssue['assignee'], value: string): boolean {
  if (!user) return lower(value) === 'unassigned' || lower(value) === 'none';
  const v = lower(value);
  return lower(user.email) === v || lower(user.displayName) === v || lower(user.accountId) === v;
}

function adfText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: unknown; content?: unknown };
  return `${typeof n.text === 'string' ? n.text : ''}${Array.isArray(n.content) ? n.content.map(adfText).join(' ') : ''}`;
}

/** One filter: any of its values matches. */
export function filterMatches(issue: LocalIssue, filter: ScopeFilter): boolean {
  return filter.values.some((value) => {
    switch (filter.field) {
      case 'labels': return issue.labels.some((l) => lower(l) === lower(value));
      case 'issueType': return lower(issue.type.name) === lower(value);
      case 'status': return lower(issue.status.name) === lower(value);
      case 'priority': return lower(issue.priority?.name) === lower(value);
      case 'summary': return lower(issue.summary).includes(lower(value));
      case 'description': return lower(adfText(issue.description)).includes(lower(value));
      case 'assignee': return userMatches(issue.assignee, value);
      case 'reporter': return userMatches(issue.reporter, value);
    }
  });
}

/** The scope: the project, and every filter. */
export function inScope(issue: LocalIssue, scope: SideScope): boolean {
  return lower(issue.projectKey) === lower(scope.projectKey) && scope.filters.every((f) => filterMatches(issue, f));
}

const SCOPE_EVENTS = new Set(['avi:jira:created:issue', 'avi:jira:updated:issue']);

/** Whether an event of this type may bring an issue into an Automatic Visual scope (every connection is listed for it). */
export const mayEnterVisualScope = (eventType: string) => SCOPE_EVENTS.has(eventType);

/**
 * Connections, other than `skip`, whose Visual mapping syncs this issue
 * automatically from this side. The issue is read from Jira only when some
 * active Visual connection is Automatic from this side for its project.
 */
export async function connectionsByVisualScope(platform: Platform, eventType: string, issue: { id: string; projectKey?: string }, skip: Set<string>): Promise<string[]> {
  if (!SCOPE_EVENTS.has(eventType)) return [];
  const candidates = [];
  for (const connection of await listConnectionRecords(platform)) {
    if (connection.mode !== 'visual' || connection.state !== 'active' || skip.has(connection.id)) continue;
    const mapping = await getMapping(platform, connection);
    const side = sideOf(connection);
    if (methodFrom(mapping, side) !== 'automatic') continue;
    if (issue.projectKey && lower(issue.projectKey) !== lower(mapping.scope[side].projectKey)) continue;
    candidates.push({ id: connection.id, scope: mapping.scope[side] });
  }
  if (candidates.length === 0) return [];
  const jira = createJiraClient(platform.jira);
  let local: LocalIssue;
  try {
    ({ issue: local } = await readLocalIssue({ jira, storage: platform, issueIdOrKey: issue.id, catalog: await fieldCatalog(jira, platform, platform.clock.now()) }));
  } catch (e) {
    if (isJiraError(e) && e.kind === 'not-found') return [];
    throw e;
  }
  return candidates.filter((c) => inScope(local, c.scope)).map((c) => c.id);
}
