import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { createJiraClient, type JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { getConnection, listConnectionRecords } from '../connections/store';
import { scopedJql } from './jql';
import { triggerStore, type Trigger } from './store';
import { pendingConnect } from '../sync/connect-requests';

// Triggers on product events: an issue created or changed so that it
// matches an active trigger comes under sync on that trigger's connection
// at once. Only connections the issue is not yet a twin on are candidates,
// and only those whose project is the issue's (the event names it).
//
// Cost per event, in Jira REST calls (storage: none when no connection of the
// issue's project is left to take it; else one query for the triggers and two
// reads per candidate connection: the connection and any waiting Connect):
//   0  when the event is not a create or an update, when no active trigger
//      is left after those filters (the common case for twins and for
//      projects without triggers);
//   1  `/search/jql` (ids only, maxResults 1) when the candidates belong to
//      one connection, however many triggers it has: `issue = <id> AND
//      ((q1) OR (q2) …)`, since either match brings the issue in;
//   1  as well when candidates span k ≥ 2 connections and the issue matches
//      none of them (all connections' bounded queries ORed in one search);
//      when it does match some, one search per connection follows except
//      the last, which is known to match when none before it did: at most
//      k more.
// Jira's `POST /jql/match` would answer every connection in one call; the
// local emulator does not offer it yet.

const ISSUE_EVENTS = new Set(['avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:assigned:issue']);

interface Candidate {
  connection: ConnectionRecord;
  triggers: Trigger[];
}

export interface EventIssue {
  id: string;
  /** The project key the event carries; when absent, Jira's bound on the project does the filtering. */
  projectKey?: string;
}

/**
 * The connections an event's issue should now come under sync on, by their
 * triggers; `syncedOn` holds the connections it is already a twin on.
 */
export async function connectionsByTrigger(platform: Platform, eventType: string, issue: EventIssue, syncedOn: Set<string>): Promise<string[]> {
  if (!ISSUE_EVENTS.has(eventType)) return [];
  // Only a connection of the issue's project that it is not a twin on yet can take it by a trigger. With
  // none (an edit of an issue synced on every connection of its project: most events), the triggers are not
  // read at all; the connection records are already in this invocation's read cache (the event's routing
  // listed them).
  if (issue.projectKey && !(await listConnectionRecords(platform)).some((c) => mayTakeByTrigger(c, issue.projectKey!, syncedOn))) return [];
  const triggers = (await triggerStore(platform).list()).filter((t) => t.active && !syncedOn.has(t.connectionId));
  if (triggers.length === 0) return [];

  const candidates = new Map<string, Candidate>();
  for (const trigger of triggers) {
    let candidate = candidates.get(trigger.connectionId);
    if (!candidate) {
      const connection = await getConnection(platform, trigger.connectionId);
      if (!connection || (issue.projectKey ? !mayTakeByTrigger(connection, issue.projectKey, syncedOn) : connection.state === 'pending')) continue;
      // A Connect waiting for the partner's answer will make the twin; a trigger must not make another.
      if (await pendingConnect(platform, issue.id, connection.id)) continue;
      candidate = { connection, triggers: [] };
      candidates.set(connection.id, candidate);
    }
    candidate.triggers.push(trigger);
  }
  if (candidates.size === 0) return [];
  return matching(createJiraClient(platform.jira), platform, issue.id, [...candidates.values()]);
}

/** A connection (not pending: a deactivated one still takes new twins, their replicas wait in its outbox) of `projectKey` the issue is not a twin on. */
function mayTakeByTrigger(connection: ConnectionRecord, projectKey: string, syncedOn: Set<string>): boolean {
  return connection.state !== 'pending' && !syncedOn.has(connection.id) && connection.localProjectKey.toUpperCase() === projectKey.toUpperCase();
}

const connectionQuery = (candidate: Candidate) =>
  scopedJql(candidate.connection.localProjectKey, candidate.triggers.map((t) => `(${t.jql.trim()})`).join(' OR '));

async function matching(jira: JiraClient, platform: Platform, issueId: string, candidates: Candidate[]): Promise<string[]> {
  const matches = async (query: string) => (await jira.search.jql(`issue = ${issueId} AND (${query})`, { maxResults: 1 })).issues.length > 0;
  const single = async (candidate: Candidate): Promise<boolean> => {
    try {
      return await matches(connectionQuery(candidate));
    } catch (e) {
      // A query Jira no longer accepts (a field or value gone since it was saved) must not stop the others.
      if (isJiraError(e) && e.kind === 'bad-request') {
        platform.log.warn('a trigger query is no longer valid in Jira; its triggers are skipped', { connectionId: candidate.connection.id, error: e.message });
        return false;
      }
      throw e;
    }
  };
  if (candidates.length === 1) return (await single(candidates[0]!)) ? [candidates[0]!.connection.id] : [];

  // Whether Jira said that at least one connection's query matches (false when it could not say).
  let someMatch = false;
  try {
    someMatch = await matches(candidates.map((c) => `(${connectionQuery(c)})`).join(' OR '));
    if (!someMatch) return [];
  } catch (e) {
    // One query Jira no longer accepts spoils the combined search: ask each connection on its own.
    if (!(isJiraError(e) && e.kind === 'bad-request')) throw e;
  }
  const matched: string[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const isLast = index === candidates.length - 1;
    if (isLast && someMatch && matched.length === 0) matched.push(candidate.connection.id);
    else if (await single(candidate)) matched.push(candidate.connection.id);
  }
  return matched;
}
