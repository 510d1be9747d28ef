import { AppError } from '../domain/errors';
import { isJiraError } from '../jira/errors';
import type { JiraClient } from '../jira/client';
import { MAX_QUERY_LENGTH } from '../contract/inputs';
import { excludingClause, requiredProjects } from './jql-scope';

// A trigger's query only ever sees the connection's own project: it runs as
// `project = "<key>" AND (<query>)`.

export function scopedJql(projectKey: string, query: string): string {
  return `project = "${projectKey}" AND (${query.trim()})`;
}

/** Whether the query sorts (ORDER BY outside quoted text): a trigger selects, it cannot sort. */
export function hasOrderBy(query: string): boolean {
  let quote: string | null = null;
  let outside = '';
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      outside += ' ';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      outside += ' ';
    } else {
      outside += ch;
    }
  }
  return /\border\s+by\b/i.test(outside);
}

/** Jira's own words about a query. */
export function jiraQueryMessage(messages: string[]): string {
  return messages.join(' ');
}

const UNBOUNDED = /^Unbounded JQL queries are not allowed/;

/**
 * Checks a trigger query against Jira and answers how many issues it matches
 * now in the project it is bound to. The query is first sent as written, so
 * that Jira's syntax messages ("… (line 1, character 12)") point into what
 * the admin typed (Jira may refuse it only for being unbounded, which the
 * bound fixes); then bounded, for the count. Two approximate-count calls.
 */
export async function checkTriggerQuery(jira: JiraClient, projectKey: string, query: string): Promise<number> {
  if (!query.trim()) throw new AppError('BadInput', 'jql: is required');
  if (query.length > MAX_QUERY_LENGTH) throw new AppError('BadInput', `jql: must be at most ${MAX_QUERY_LENGTH} characters`);
  if (hasOrderBy(query)) throw new AppError('BadInput', 'jql: a trigger selects issues and cannot sort them; leave out ORDER BY.');
  await countOrRefuse(jira, query.trim(), true);
  if (requiredProjects(query).length > 0) {
    // The query names projects: it must allow this one (by key, name or id), or it could never fire.
    const project = await jira.projects.get(projectKey).catch(() => undefined);
    const excluded = excludingClause(query, [projectKey, ...(project ? [project.name, project.id] : [])]);
    if (excluded) {
      throw new AppError(
        'BadInput',
        `jql: this query only selects issues of ${excluded}, but the connection syncs project ${projectKey}, so the trigger would never fire. Leave the project out (a trigger only ever sees ${projectKey}), or add the trigger to the connection of that project.`,
      );
    }
  }
  return countOrRefuse(jira, scopedJql(projectKey, query), false);
}

async function countOrRefuse(jira: JiraClient, jql: string, unboundedIsFine: boolean): Promise<number> {
  try {
    return await jira.search.approximateCount(jql);
  } catch (e) {
    if (isJiraError(e) && e.kind === 'bad-request') {
      const messages = [...e.errorMessages, ...Object.values(e.errors)].filter((m) => !(unboundedIsFine && UNBOUNDED.test(m)));
      if (messages.length === 0) return 0;
      throw new AppError('BadInput', `Jira does not accept this query: ${jiraQueryMessage(messages)}`);
    }
    if (isJiraError(e)) throw new AppError('JiraError', `Jira could not check the query just now: ${e.message}`);
    throw e;
  }
}
