import { z } from 'zod';
import { asWaiting } from './globals';

// How long the platform takes, per kind of operation, when the local runtime
// plays Forge (`--profile forge`) instead of answering at once (`local`).
// Each figure is in docs/forge-limits.md ("Latency profile") with its source,
// or marked there as an assumption chosen on the slow side. Delays are drawn
// from a log-normal distribution fixed by its median and 99th percentile (a
// long right tail, as network and queue latencies have), capped where Forge
// documents a bound, and drawn from a seeded source so a run can be repeated.

export const LatencyProfileNameSchema = z.enum(['local', 'forge']);
export type LatencyProfileName = z.infer<typeof LatencyProfileNameSchema>;

/** The points in the runtime where a delay is taken. */
export type LatencyOperation =
  /** One Key-Value Store request (get, set, query, batch, transaction), as the SDK sees it. */
  | 'storage'
  /** One Jira REST call made with requestJira. */
  | 'jira'
  /** From an async event's push (plus any delayInSeconds) until its consumer starts. */
  | 'queuePickup'
  /** Network and platform overhead of one call to a web trigger, paid by the caller. */
  | 'webTrigger'
  /** From a change in Jira until the product-event trigger runs. */
  | 'productEvent'
  /** From a write in Jira until JQL search sees it (the search index lags). */
  | 'searchVisibility';

export const LATENCY_OPERATIONS: readonly LatencyOperation[] = ['storage', 'jira', 'queuePickup', 'webTrigger', 'productEvent', 'searchVisibility'];

const DistributionSchema = z.object({
  medianMs: z.number().positive(),
  p99Ms: z.number().positive(),
  /** No draw above this (a documented bound), if any. */
  maxMs: z.number().positive().optional(),
});
export type LatencyDistribution = z.infer<typeof DistributionSchema>;

/** The Forge profile: one row per operation of docs/forge-limits.md's latency table. */
export const FORGE_LATENCY: Record<LatencyOperation, LatencyDistribution> = z.record(z.string(), DistributionSchema).parse({
  // Assumption: not published. A regional managed store behind an HTTP API.
  storage: { medianMs: 30, p99Ms: 250 },
  // Assumption: not published. requestJira goes through Forge's proxy to the product.
  jira: { medianMs: 150, p99Ms: 1_500 },
  // Community-observed sub-second pickup; seconds when the platform backs off internally.
  queuePickup: { medianMs: 500, p99Ms: 15_000, maxMs: 900_000 },
  // Assumption: HTTPS ingress to a web trigger plus function start.
  webTrigger: { medianMs: 300, p99Ms: 3_000 },
  // The trigger page allows up to 3 minutes late; the median is an assumption.
  productEvent: { medianMs: 2_000, p99Ms: 60_000, maxMs: 180_000 },
  // Eventual consistency of /search/jql (Atlassian's "search and reconcile" advice); figures assumed.
  searchVisibility: { medianMs: 1_000, p99Ms: 10_000, maxMs: 60_000 },
}) as Record<LatencyOperation, LatencyDistribution>;

/** z for the 99th percentile of the standard normal distribution. */
const Z99 = 2.326_347_874;

/** A seeded source of uniform numbers in [0, 1) (mulberry32): the same seed gives the same delays. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One log-normal draw for `d` from two uniform numbers (Box–Muller). */
export function drawMs(d: LatencyDistribution, u1: number, u2: number): number {
  const sigma = Math.log(d.p99Ms / d.medianMs) / Z99;
  const normal = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  const ms = d.medianMs * Math.exp(sigma * normal);
  return Math.round(Math.min(ms, d.maxMs ?? Infinity));
}

export interface LatencyProfileOptions {
  /** Seed of the random source (default 1), so two runs draw the same delays. */
  seed?: number;
  /**
   * How a delay is taken inside an invocation: real time by default; tests pass
   * one that moves their fake clock, the bench one that moves its virtual clock.
   */
  wait?: (ms: number) => Promise<void>;
}

export class LatencyProfile {
  private readonly random: () => number;
  private readonly waitFor: (ms: number) => Promise<void>;
  /** Delays drawn so far per operation, for the bench and the tests. */
  readonly drawn = new Map<LatencyOperation, { count: number; totalMs: number }>();

  constructor(
    readonly name: LatencyProfileName,
    options: LatencyProfileOptions = {},
    private readonly table: Record<LatencyOperation, LatencyDistribution> = FORGE_LATENCY,
  ) {
    this.random = seededRandom(options.seed ?? 1);
    this.waitFor = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.waitsItsOwnWay = options.wait !== undefined;
  }

  /** A `wait` was given (a test's or the bench's clock): the runtime's own waits (`LocalForge.sleep`) take it too. */
  readonly waitsItsOwnWay: boolean;

  /**
   * Waits `ms` the way this profile waits. The invocation that waits counts as waiting on the clock
   * meanwhile (`asWaiting`), so a driver of virtual time can tell it from one that is still at work.
   */
  wait(ms: number): Promise<void> {
    return asWaiting(this.waitFor(ms));
  }

  /** The delay for one `operation`: 0 in the local profile, a draw from its distribution in the Forge one. */
  sample(operation: LatencyOperation): number {
    if (this.name === 'local') return 0;
    const ms = drawMs(this.table[operation], this.random(), this.random());
    const seen = this.drawn.get(operation) ?? { count: 0, totalMs: 0 };
    this.drawn.set(operation, { count: seen.count + 1, totalMs: seen.totalMs + ms });
    return ms;
  }

  /** Take the delay of one synchronous operation (storage, Jira, web trigger) before it is answered. */
  async delay(operation: LatencyOperation): Promise<void> {
    const ms = this.sample(operation);
    if (ms > 0) await this.wait(ms);
  }

  /**
   * When an index that lags by this profile sees a write made at `writtenAt`:
   * the draw is keyed by what was written, so every search agrees on it.
   */
  searchVisibleAt(key: string, writtenAt: number): number {
    if (this.name === 'local') return writtenAt;
    const random = seededRandom(hash(`${key}@${writtenAt}`));
    return writtenAt + drawMs(this.table.searchVisibility, random(), random());
  }
}

function hash(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}
