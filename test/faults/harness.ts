import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { LatencyProfileName } from '../../src/local/forge/latency-profile';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../src/local/runtime';
import { adf, connect, invoke, jira, keptPushes } from '../integration/helpers';

// Fault scenarios against the full local runtime (both sites, the Forge
// emulation, the app), on a fake Date so delayed work and backoff run without
// waiting. Every change is a uniquely marked comment or a summary edit, so
// what arrived, what was lost and what came twice can be counted on the
// other side through its REST API.

export const EPOCH = Date.parse('2026-11-23T09:00:00Z');

export interface World {
  rt: LocalRuntime;
  dataDir: string;
  baseUrl: string;
  blueConnectionId: string;
  greenConnectionId: string;
  /** The latency profile the runtime runs (and reopens) with. */
  profile: LatencyProfileName;
  /** A private connection: green polls blue. */
  private?: boolean;
}

/** Under the Forge profile each delay moves the fake clock: the scenario sees Forge's timing without waiting for it. */
const latencyOn = (profile: LatencyProfileName, seed: number): Pick<LocalRuntimeOptions, 'profile' | 'latency'> => ({
  profile,
  latency: { seed, wait: async (ms) => void vi.setSystemTime(Date.now() + ms) },
});

export interface Pair {
  blue: string;
  green: string;
}

export async function openWorld(name: string, options: { destination?: 'public' | 'private'; profile?: LatencyProfileName } = {}): Promise<World> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(EPOCH);
  const dataDir = mkdtempSync(join(tmpdir(), `faults-${name}-`));
  const baseUrl = `http://faults-${name}.test`;
  const profile = options.profile ?? 'local';
  const rt = await createLocalRuntime({ dataDir, reset: true, baseUrl, ...latencyOn(profile, 1) });
  const { blueConnectionId, greenConnectionId } = await connect(rt, options);
  return { rt, dataDir, baseUrl, blueConnectionId, greenConnectionId, profile, private: options.destination === 'private' };
}

export async function reopen(world: World): Promise<void> {
  world.rt.close();
  // A restarted runtime draws afresh (another seed), as a new process would.
  world.rt = await createLocalRuntime({ dataDir: world.dataDir, baseUrl: world.baseUrl, ...latencyOn(world.profile, Date.now()) });
}

/** A private side's poll chain never ends: its links alone are not work left. */
const isPollLink = (body: unknown) => typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'transport.poll' && 'chainId' in body;
/** With only poll links queued for this long, the chain has carried whatever the public side held (it polls at least once a minute). */
const POLL_ONLY_QUIET_MS = 10 * 60_000;

/**
 * Run queued work until none is left, jumping the fake clock to the next
 * delayed event (backoff, Retry-After) and firing the scheduled triggers once
 * a minute of fake time, as Forge would. On a private connection the poll
 * chain is always queued: the work is done once nothing but its links has
 * been queued for ten minutes.
 */

export async function drain(world: World, maxRounds = 4_000): Promise<void> {
  let lastSchedule = Date.now();
  let pollOnlySince: number | undefined;
  let quietChecked = false;
  for (let round = 0; round < maxRounds; round++) {
    await world.rt.settle();
    const pending = world.rt.forge.queue.pendingCount();
    if (pending === 0) {
      // Nothing queued is not yet nothing left: pushes Forge refused (500 events a minute) are kept in
      // storage and wait for the five-minute schedule (or a queue worker a minute on; none runs now), and a
      // private side whose poll chain Forge ended (its chain limit) waits for it to start a new one. Give the
      // schedule its turns, as Forge would, before calling the world quiet. A public world with nothing kept
      // is quiet now (and a jump of five minutes would age the requests a scenario holds back to deliver out
      // of order).
      if (keptPushes(world.rt) > 0) {
        vi.setSystemTime(Date.now() + 5 * 60_000);
        world.rt.forge.fireScheduledTriggers();
        lastSchedule = Date.now();
        continue;
      }
      if (quietChecked || !world.private) return;
      quietChecked = true;
      vi.setSystemTime(Date.now() + 5 * 60_000);
      world.rt.forge.fireScheduledTriggers();
      lastSchedule = Date.now();
      continue;
    }
    quietChecked = false;
    const pollOnly = world.rt.forge.queue.waiting(100).every((e) => isPollLink(e.body));
    if (!pollOnly) pollOnlySince = undefined;
    else if (pollOnlySince === undefined) pollOnlySince = Date.now();
    else if (Date.now() - pollOnlySince >= POLL_ONLY_QUIET_MS) return;
    const nextAt = world.rt.forge.queue.nextDueAt() ?? Date.now() + 1_000;
    vi.setSystemTime(Math.max(Date.now() + 1_000, nextAt));
    if (Date.now() - lastSchedule >= 60_000) {
      world.rt.forge.fireScheduledTriggers();
      lastSchedule = Date.now();
    }
  }
  throw new Error(`work still queued after ${maxRounds} rounds: ${world.rt.forge.queue.pendingCount()} events`);
}

/**
 * A resolver call as a person makes it, one after another at 50 a second: the
 * fake clock moves 20 ms first. Each call checks the person's permissions with
 * Jira (one GET /mypermissions), so hundreds of calls at one frozen instant
 * would run into Jira's burst limit (100 a second per endpoint) as no person can.
 */
export async function personInvoke<T = Record<string, unknown>>(world: World, site: string, key: string, payload: unknown = {}): Promise<T> {
  vi.setSystemTime(Date.now() + 20);
  return invoke<T>(world.rt, site, key, payload);
}

/** Issues made on blue and brought under sync, with their twins' keys on green. */
export async function makeTwins(world: World, count: number, label = 'fault'): Promise<Pair[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await jira<{ key: string }>(world.rt, 'blue', 'POST', '/issue', {
      fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `${label} ${i}`, description: adf(`${label} body ${i}`), labels: [label] },
    });
    if (created.status !== 201) throw new Error(`create failed: ${created.status}`);
    keys.push(created.body.key);
    await personInvoke(world, 'blue', 'exalateIssue', { connectionId: world.blueConnectionId, issueKey: created.body.key });
  }
  await drain(world);
  const pairs: Pair[] = [];
  for (const key of keys) {
    const status = await personInvoke<{ twins: { remoteKey: string | null; status: string }[] }>(world, 'blue', 'getIssueSyncStatus', { issueKey: key });
    const remoteKey = status.twins[0]?.remoteKey;
    if (!remoteKey) throw new Error(`${key} has no twin on green`);
    pairs.push({ blue: key, green: remoteKey });
  }
  return pairs;
}

/** Deterministic pseudo-random numbers (a linear congruential generator). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

export interface IssueState {
  summary: string;
  labels: string[];
  comments: string[];
}

const textOf = (node: unknown): string => {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(textOf).join('');
};

export async function stateOf(world: World, site: string, key: string): Promise<IssueState> {
  const got = await jira<{ fields: { summary: string; labels: string[]; comment: { comments: { body: unknown }[] } } }>(world.rt, site, 'GET', `/issue/${key}?fields=summary,labels,comment`);
  if (got.status !== 200) throw new Error(`read ${site} ${key}: ${got.status}`);
  return {
    summary: got.body.fields.summary,
    labels: [...got.body.fields.labels].sort(),
    // A copied comment starts with "<author>, on <site>:" (the default incoming script); the text is what counts.
    comments: got.body.fields.comment.comments.map((c) => textOf(c.body).replace(/^.*?(?: commented|, on [^:\n]*):\s*/, '')).sort(),
  };
}

/** One change a scenario makes: a marked comment, or a summary edit. */
export interface Change {
  site: 'blue' | 'green';
  pair: Pair;
  kind: 'comment' | 'summary';
  marker: string;
}

/** Makes the change as a person would, trying again when Jira answers 429. */
export async function makeChange(world: World, change: Change): Promise<void> {
  const key = change.pair[change.site];
  for (let attempt = 0; attempt < 50; attempt++) {
    const response =
      change.kind === 'comment'
        ? await jira(world.rt, change.site, 'POST', `/issue/${key}/comment`, { body: adf(change.marker) })
        : await jira(world.rt, change.site, 'PUT', `/issue/${key}`, { fields: { summary: change.marker } });
    if (response.status === 201 || response.status === 204) return;
    if (response.status !== 429) throw new Error(`${change.kind} on ${change.site} ${key}: ${response.status}`);
  }
  throw new Error(`${change.kind} on ${change.site} ${key}: still 429 after 50 attempts`);
}

/** A change on blue, chosen by the generator: mostly comments, some summary edits. */
export function blueChange(pairs: Pair[], random: () => number, n: number, site: 'blue' | 'green' = 'blue'): Change {
  const pair = pairs[Math.floor(random() * pairs.length)]!;
  const kind = random() < 0.7 ? 'comment' : 'summary';
  return { site, pair, kind, marker: `${site} ${kind} ${n}` };
}

export interface Tally {
  scenario: string;
  changesMade: number;
  changesArrived: number;
  lost: number;
  duplicated: number;
  echoEvents: number;
  finalStatesEqual: boolean;
  notes?: string;
  /** Requests Forge's limits turned away, per site, by limit (since the runtime last opened). */
  limitsHit?: Record<string, Record<string, number>>;
}

/**
 * Counts, from both sites' REST APIs and the app's sync history, what became
 * of every change. A comment arrived when its marker shows on the other side;
 * copies beyond one are duplicates (on either side). A summary edit arrived
 * when it is the issue's last summary edit and both sides show it (earlier
 * ones are meant to be superseded). Echo events: replicas a side sent that
 * carried no change (something bounced back), plus, in one-way runs, anything
 * the untouched side sent at all.
 */
export async function tally(world: World, scenario: string, changes: Change[], pairs: Pair[], options: { oneWay?: boolean; notes?: string } = {}): Promise<Tally> {
  const states = new Map<string, { blue: IssueState; green: IssueState }>();
  for (const pair of pairs) states.set(pair.blue, { blue: await stateOf(world, 'blue', pair.blue), green: await stateOf(world, 'green', pair.green) });

  let arrived = 0;
  let duplicated = 0;
  const samples: string[] = [];
  const lostByKind: Record<string, number> = {};
  const sample = (what: string, change: Change) => {
    if (what === 'lost') lostByKind[change.kind] = (lostByKind[change.kind] ?? 0) + 1;
    if (samples.length < 4) samples.push(`${what}: ${change.marker} (${change.pair.blue}/${change.pair.green}) blue=${JSON.stringify(states.get(change.pair.blue)!.blue)} green=${JSON.stringify(states.get(change.pair.blue)!.green)}`);
  };
  const lastSummary = new Map<string, string>();
  for (const change of changes) if (change.kind === 'summary') lastSummary.set(change.pair.blue, change.marker);
  for (const change of changes) {
    const state = states.get(change.pair.blue)!;
    const other = change.site === 'blue' ? state.green : state.blue;
    const own = change.site === 'blue' ? state.blue : state.green;
    if (change.kind === 'comment') {
      const there = other.comments.filter((c) => c === change.marker).length;
      const here = own.comments.filter((c) => c === change.marker).length;
      if (there > 0) arrived++;
      else sample('lost', change);
      if (there > 1 || here > 1) sample('duplicated', change);
      duplicated += Math.max(0, there - 1) + Math.max(0, here - 1);
    } else if (options.oneWay) {
      // Earlier edits of the same issue are superseded by later ones, by design.
      if (lastSummary.get(change.pair.blue) !== change.marker) arrived++;
      else if (state.blue.summary === change.marker && state.green.summary === change.marker) arrived++;
      else sample('lost', change);
    } else {
      // Edited on both sides: both sides agree on one of the edits made to it.
      const made = changes.filter((c) => c.kind === 'summary' && c.pair.blue === change.pair.blue).map((c) => c.marker);
      if (state.blue.summary === state.green.summary && made.includes(state.blue.summary)) arrived++;
      else sample('lost', change);
    }
  }

  let echoEvents = 0;
  for (const pair of pairs) {
    for (const site of ['blue', 'green'] as const) {
      const { entries } = await personInvoke<{ entries: { direction: string; outcome: string; changes: unknown[] }[] }>(world, site, 'getIssueHistory', { issueKey: pair[site] });
      for (const entry of entries) {
        if (entry.direction !== 'out' || entry.outcome !== 'sent') continue;
        if (entry.changes.length === 0 || (options.oneWay && site === 'green')) echoEvents++;
      }
    }
  }

  const finalStatesEqual = [...states.values()].every((s) => JSON.stringify(s.blue) === JSON.stringify(s.green));
  const lostNote = Object.keys(lostByKind).length ? `lost by kind ${JSON.stringify(lostByKind)}` : '';
  const notes = [options.notes, lostNote].filter(Boolean).join('; ') || undefined;
  if (samples.length > 0) console.log(`[faults] ${scenario}, first problems:\n  ${samples.join('\n  ')}`);
  // Over HTTP, as anyone would ask: the runtime may live in another process (the SIGKILL scenario).
  const limitsHit: Record<string, Record<string, number>> = {};
  for (const site of ['blue', 'green'] as const) {
    const usage = (await (await world.rt.fetch(`/${site}/_local/usage`)).json()) as { limitsHit: Record<string, number> };
    if (Object.keys(usage.limitsHit).length > 0) limitsHit[site] = usage.limitsHit;
  }
  return { scenario, changesMade: changes.length, changesArrived: arrived, lost: changes.length - arrived, duplicated, echoEvents, finalStatesEqual, notes, ...(Object.keys(limitsHit).length ? { limitsHit } : {}) };
}

export function print(t: Tally): void {
  console.log(
    `[faults] ${t.scenario}: changes made ${t.changesMade}, arrived ${t.changesArrived}, lost ${t.lost}, duplicated ${t.duplicated}, echo events ${t.echoEvents}, final states ${t.finalStatesEqual ? 'equal' : 'NOT equal'}${t.notes ? ` (${t.notes})` : ''}${t.limitsHit ? `; storage limits hit ${JSON.stringify(t.limitsHit)}` : ''}`,
  );
}
