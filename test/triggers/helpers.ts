import { vi } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { connect, invoke, jira, twoSites } from '../integration/helpers';

// Driving the two sites through their REST APIs and the app's resolvers,
// with the clock moved by hand so delayed queue work runs without waiting.

/** Both sites, connected (public, Script mode), with `Date` faked at a fixed morning; `stop` restores real time. */
export async function connectedSites() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  const rt = await twoSites();
  const { blueConnectionId, greenConnectionId } = await connect(rt);
  return { rt, blueConnectionId, greenConnectionId };
}

export function stop(rt: LocalRuntime | undefined): void {
  rt?.close();
  vi.useRealTimers();
}

/**
 * Run queued work, moving the (fake) clock past delayed work, until nothing is left. The clock moves at least
 * `stepMs` a round, and straight to the next delayed work when that is later (a "later" after a rate limit).
 */
export async function drain(rt: LocalRuntime, stepMs = 5_000, maxRounds = 60): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    await rt.settle();
    // An invocation waiting out a storage refusal on the clock (src/forge/kvs.ts) is not done either.
    const wake = rt.forge.nextWakeAt();
    if (rt.forge.queue.pendingCount() === 0 && wake === undefined) return;
    // At least a second at a time: a bulk page's issues wait out a limit side by side, each a little apart.
    vi.setSystemTime(wake !== undefined ? Math.max(Date.now() + 1_000, wake) : Math.max(Date.now() + stepMs, rt.forge.queue.nextDueAt() ?? 0));
  }
  throw new Error(`work still queued after ${maxRounds} rounds: ${rt.forge.queue.pendingCount()} events`);
}

export async function createIssue(rt: LocalRuntime, site: string, fields: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const created = await jira<{ id: string; key: string }>(rt, site, 'POST', '/issue', { fields: { issuetype: { name: 'Task' }, ...fields } });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export interface IssueStatus {
  twins: { connectionId: string; remoteKey: string | null; status: string }[];
  connects: { connectionId: string; remoteIssueKey: string; state: string; reason: string | null }[];
  operations: Record<string, { connectionId: string }[]>;
}

export const syncStatus = (rt: LocalRuntime, site: string, issueKey: string) => invoke<IssueStatus>(rt, site, 'getIssueSyncStatus', { issueKey });

export async function issuesUnderSync(rt: LocalRuntime, site: string, connectionId: string): Promise<number> {
  const { connections } = await invoke<{ connections: { id: string; issuesUnderSync: number }[] }>(rt, site, 'listConnections');
  return connections.find((c) => c.id === connectionId)!.issuesUnderSync;
}

/** Every issue of a project the query matches, keys and summaries. */
export async function searchAll(rt: LocalRuntime, site: string, jql: string): Promise<{ key: string; summary: string }[]> {
  const out: { key: string; summary: string }[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await jira<{ issues: { key: string; fields: { summary: string } }[]; nextPageToken?: string }>(rt, site, 'POST', '/search/jql', {
      jql,
      fields: ['summary'],
      maxResults: 100,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    out.push(...page.body.issues.map((i) => ({ key: i.key, summary: i.fields.summary })));
    nextPageToken = page.body.nextPageToken;
  } while (nextPageToken);
  return out;
}

/** Expects a resolver call to fail, and answers its message. */
export async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the call to fail');
}

/** How many `/search/jql` calls a site has answered so far. */
export const searches = (rt: LocalRuntime, site: string) => rt.site(site).counters.byOperation.searchAndReconsileIssuesUsingJqlPost ?? 0;

/**
 * Counts, from now on, the storage queries `site`'s app makes for its trigger records, seen at the runtime's
 * KVS boundary: how a test tells an event that read the triggers from one that did not.
 */
export function countTriggerReads(rt: LocalRuntime, site: string): () => number {
  let reads = 0;
  const store = rt.forge.kvs;
  const handle = store.handle.bind(store);
  store.handle = (installation, path, init) => {
    if (installation === `local-${site}` && path === '/api/v1/query' && String(init?.body ?? '').includes('"trigger:"')) reads++;
    return handle(installation, path, init);
  };
  return () => reads;
}
