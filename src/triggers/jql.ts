import { AppError } from '../domain/errors';
import { isJiraError } from '../jira/errors';
import type { JiraClient } from '../jira/client';

// A trigger's query only ever sees the connection's own project. The admin's
// query goes on lines of its own inside the bound, so that Jira's messages
// ("… (line 1, character 12)") point into it after one line is taken off.

export const MAX_QUERY_LENGTH = 5000;

export function scopedJql(projectKey: string, query: string): string {
  return `(\n${query.trim()}\n) AND project = "${projectKey}"`;
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

/** Jira's own words about a query, with positions as the admin wrote it. */
export function jiraQueryMessage(messages: string[]): string {
  return messages.map((m) => m.replace(/\bline (\d+)\b/g, (_, n: string) => `line ${Math.max(1, Number(n) - 1)}`)).join(' ');
}

/**
 * Checks a trigger query against Jira within the project it is bound to and
 * answers how many issues match now (one approximate-count call).
 */
export async function checkTriggerQuery(jira: JiraClient, projectKey: string, query: string): Promise<number> {
  if (!query.trim()) throw new AppError('BadInput', 'jql: is required');
  if (query.length > MAX_QUERY_LENGTH) throw new AppError('BadInput', `jql: must be at most ${MAX_QUERY_LENGTH} characters`);
  if (hasOrderBy(query)) throw new AppError('BadInput', 'jql: a trigger selects issues and cannot sort them; leave out ORDER BY.');
  try {
    return await jira.search.approximateCount(scopedJql(projectKey, query));
  } catch (e) {
    if (isJiraError(e) && e.kind === 'bad-request') {
      const words = jiraQueryMessage([...e.errorMessages, ...Object.values(e.errors)]);
      throw new AppError('BadInput', `Jira does not accept this query: ${words || e.message}`);
    }
    if (isJiraError(e)) throw new AppError('JiraError', `Jira could not check the query just now: ${e.message}`);
    throw e;
  }
}
