import { vi } from 'vitest';
import type { LatencyProfileName } from '../../src/local/forge/latency-profile';
import { sign } from '../../src/transport/signing';
import { invoke } from '../integration/helpers';
import { blueChange, drain, makeChange, makeTwins, openWorld, reopen, seeded, tally, type Change, type Pair, type Tally, type World } from './harness';

// The fault scenarios, sized by the caller: test/faults runs them at full
// size, test/faults-ci at a size CI affords. Each returns its tally; the
// caller prints and checks it.

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

/** Forge's five-minute scheduled triggers, fired as the fake clock passes each five minutes. */
function fiveMinuteSchedule(world: World): () => void {
  let last = Date.now();
  return () => {
    if (Date.now() - last < 5 * 60_000) return;
    world.rt.forge.fireScheduledTriggers();
    last = Date.now();
  };
}

/** Green goes away (connection refused, then 503) for a stretch in the middle of the updates. */
export async function partnerDown(size: { issues: number; updates: number; seed: number; profile?: LatencyProfileName; destination?: 'public' | 'private' }): Promise<Tally> {
  const world = await openWorld(size.destination === 'private' ? 'down-private' : 'down', { profile: size.profile, destination: size.destination });
  try {
    const pairs = await makeTwins(world, size.issues, 'down');
    const schedule = fiveMinuteSchedule(world);
    const random = seeded(size.seed);
    const changes: Change[] = [];
    const downFrom = Math.floor(size.updates * 0.2);
    const unavailableFrom = Math.floor(size.updates * 0.45);
    const upAt = Math.floor(size.updates * 0.7);
    for (let n = 0; n < size.updates; n++) {
      if (n === downFrom) world.rt.site('green').faults.setDown('refused');
      if (n === unavailableFrom) world.rt.site('green').faults.setDown('unavailable');
      if (n === upAt) world.rt.site('green').faults.setDown(null);
      const change = blueChange(pairs, random, n);
      await makeChange(world, change);
      changes.push(change);
      advance(Math.floor(random() * 3_000));
      schedule();
      if (n % 10 === 9) await world.rt.settle();
    }
    await drain(world);
    const over = size.destination === 'private' ? ' (private connection: green polls)' : '';
    return await tally(world, `partner down for updates ${downFrom}–${upAt} of ${size.updates}${over}`, changes, pairs, { oneWay: true });
  } finally {
    world.rt.close();
  }
}

/** The process dies at pseudo-random points (sometimes with work claimed and unfinished) and restarts on the same data. */
export async function killedAndRestarted(size: { issues: number; syncs: number; restarts: number; seed: number; profile?: LatencyProfileName; destination?: 'public' | 'private' }): Promise<Tally> {
  const world = await openWorld(size.destination === 'private' ? 'restart-private' : 'restart', { profile: size.profile, destination: size.destination });
  try {
    const pairs = await makeTwins(world, size.issues, 'restart');
    const random = seeded(size.seed);
    const changes: Change[] = [];
    const restartEvery = Math.max(1, Math.floor(size.syncs / size.restarts));
    let restarts = 0;
    for (let n = 0; n < size.syncs; n++) {
      const change = blueChange(pairs, random, n);
      await makeChange(world, change);
      changes.push(change);
      advance(Math.floor(random() * 2_000));
      if (n % restartEvery === restartEvery - 1) {
        for (let step = Math.floor(random() * 6); step > 0; step--) await world.rt.forge.runDue(1);
        // Sometimes the process dies holding events it took but never finished.
        if (random() < 0.3) world.rt.forge.queue.take(Date.now(), 1 + Math.floor(random() * 3), 60_000);
        await reopen(world);
        restarts++;
      }
    }
    await drain(world);
    const over = size.destination === 'private' ? ' (private connection: green polls)' : '';
    return await tally(world, `${restarts} kills and restarts during ${size.syncs} syncs${over}`, changes, pairs, { oneWay: true });
  } finally {
    world.rt.close();
  }
}

/** Both sites answer 429 with Retry-After to a share of the app's (and everyone's) REST requests. */
export async function rateLimited(size: { issues: number; updates: number; share: number; seed: number }): Promise<Tally> {
  const world = await openWorld('ratelimit');
  try {
    const pairs = await makeTwins(world, size.issues, 'ratelimit');
    const random = seeded(size.seed);
    for (const site of ['blue', 'green']) world.rt.site(site).faults.setRateLimit(size.share, { retryAfterSeconds: 5, seed: size.seed });
    world.rt.site('blue').counters.reset();
    world.rt.site('green').counters.reset();
    const changes: Change[] = [];
    for (let n = 0; n < size.updates; n++) {
      const change = blueChange(pairs, random, n);
      await makeChange(world, change);
      changes.push(change);
      advance(Math.floor(random() * 2_000));
      if (n % 10 === 9) await world.rt.settle();
    }
    await drain(world);
    const calls = world.rt.site('blue').counters.total + world.rt.site('green').counters.total;
    for (const site of ['blue', 'green']) world.rt.site(site).faults.setRateLimit(0);
    return await tally(world, `429 with Retry-After 5 s to ${Math.round(size.share * 100)}% of requests, ${size.updates} updates`, changes, pairs, {
      oneWay: true,
      notes: `${calls} REST requests answered on both sites`,
    });
  } finally {
    world.rt.close();
  }
}

interface Captured {
  headers: Record<string, string>;
  body: string;
}

/** Records every request blue makes to green's partner endpoint, passing it through. */
function captureToGreen(world: World): Captured[] {
  const captured: Captured[] = [];
  const http = world.rt.http as unknown as { fetch: (request: Request, ...rest: unknown[]) => Promise<Response> };
  const original = http.fetch.bind(http);
  http.fetch = async (request: Request, ...rest: unknown[]) => {
    const isReplay = request.headers.has('x-fault-replay');
    if (!isReplay && new URL(request.url).pathname === '/green/x/partner-endpoint' && request.method === 'POST') {
      const body = await request.clone().text();
      captured.push({ headers: Object.fromEntries(request.headers.entries()), body });
    }
    return original(request, ...rest);
  };
  return captured;
}

export async function connectionSecret(world: Pick<World, 'rt'>, site: string, connectionId: string): Promise<Buffer> {
  const response = await world.rt.forge.kvs.handle(`local-${site}`, '/api/v1/secret/get', { method: 'POST', body: JSON.stringify({ key: `connection-secret:${connectionId}` }) });
  const stored = (await response.json()) as { value: { current: string } };
  return Buffer.from(stored.value.current, 'base64url');
}

export async function postToPartner(world: World, site: string, headers: Record<string, string>, body: string): Promise<{ status: number; code?: string }> {
  // Marked so the capture does not record the test's own replays as the app's requests.
  const response = await world.rt.fetch(`/${site}/x/partner-endpoint`, { method: 'POST', headers: { ...headers, 'x-fault-replay': '1' }, body });
  const text = await response.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code };
}

/**
 * Every signed request blue sent green is delivered again right away (a
 * duplicate), again later in reverse order (reordered), once more after the
 * five-minute window (delayed too long), and older replicas are re-sent as
 * new messages after newer ones (a reordered first delivery): none of it may
 * change anything or bring an older state back.
 */
export async function duplicatedAndReordered(size: { issues: number; updates: number; seed: number }): Promise<Tally & { replays: Record<string, number> }> {
  const world = await openWorld('replay');
  try {
    const pairs = await makeTwins(world, size.issues, 'replay');
    const captured = captureToGreen(world);
    const secret = await connectionSecret(world, 'blue', world.blueConnectionId);
    const random = seeded(size.seed);
    const changes: Change[] = [];
    const replays: Record<string, number> = {};
    const count = (outcome: string) => (replays[outcome] = (replays[outcome] ?? 0) + 1);
    const replay = async (request: Captured, label: string) => {
      const answer = await postToPartner(world, 'green', request.headers, request.body);
      count(`${label} → ${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
    };

    let replayedUpTo = 0;
    for (let n = 0; n < size.updates; n++) {
      const change = blueChange(pairs, random, n);
      await makeChange(world, change);
      changes.push(change);
      advance(Math.floor(random() * 1_000));
      if (n % 5 === 4) {
        await world.rt.settle();
        const fresh = captured.slice(replayedUpTo);
        replayedUpTo = captured.length;
        for (const request of fresh) await replay(request, 'duplicate');
        // An older replica of the batch re-sent as a new message after the newer ones.
        const replicas = fresh.filter((r) => (JSON.parse(r.body) as { type: string }).type === 'replica');
        if (replicas.length > 1) {
          const older = JSON.parse(replicas[0]!.body) as { messageId: string };
          const body = JSON.stringify({ ...older, messageId: `${older.messageId}-again` });
          const timestamp = String(Date.now());
          const headers = { ...replicas[0]!.headers, 'x-sync-timestamp': timestamp, 'x-sync-signature': sign(secret, timestamp, `${older.messageId}-again`, body) };
          await replay({ headers, body }, 'older replica as a new message');
        }
      }
    }
    await drain(world);
    // Everything once more, newest first, inside the window.
    for (const request of [...captured].reverse()) await replay(request, 'reordered');
    await drain(world);
    // And once more after the window has passed.
    advance(6 * 60_000);
    for (const request of captured.slice(0, 20)) await replay(request, 'delayed 6 min');
    await drain(world);
    const types: Record<string, number> = {};
    for (const request of captured) {
      const type = (JSON.parse(request.body) as { type: string }).type;
      types[type] = (types[type] ?? 0) + 1;
    }
    const t = await tally(world, `${captured.length} partner requests (${JSON.stringify(types)}) each duplicated and reordered, ${size.updates} updates`, changes, pairs, { oneWay: true });
    return { ...t, replays };
  } finally {
    world.rt.close();
  }
}

/** People edit the same issues on both sides at once (comments and summaries), synced in pseudo-random slices. */
export async function concurrentEdits(size: { issues: number; rounds: number; seed: number }): Promise<Tally> {
  const world = await openWorld('concurrent');
  try {
    const pairs = await makeTwins(world, size.issues, 'concurrent');
    const random = seeded(size.seed);
    const changes: Change[] = [];
    let n = 0;
    for (let round = 0; round < size.rounds; round++) {
      for (const pair of pairs) {
        for (const site of ['blue', 'green'] as const) {
          if (random() < 0.5) continue;
          const kind = random() < 0.6 ? 'comment' : 'summary';
          const change: Change = { site, pair, kind, marker: `${site} ${kind} ${n++}` };
          await makeChange(world, change);
          changes.push(change);
        }
        // Part of the queued work runs between people's edits.
        if (random() < 0.2) await world.rt.forge.runDue(1 + Math.floor(random() * 4));
        advance(Math.floor(random() * 500));
      }
    }
    await drain(world);
    // No loops: once settled, a maintenance round finds nothing more to send.
    world.rt.forge.fireScheduledTriggers();
    await drain(world);
    return await tally(world, `concurrent edits on both sides of ${size.issues} issues`, changes, pairs);
  } finally {
    world.rt.close();
  }
}

export type { Pair };
export { invoke };
