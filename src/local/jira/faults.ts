// Fault switches for tests and benchmarks: Jira's rate limiting (429 with
// Retry-After and the documented rate-limit headers) for a share of requests
// chosen by a seeded generator, and outages.
import type { Clock } from '../../ports';
import type { OutageMode, SiteFaults } from '../contracts';
import { FORGE_LIMITS } from '../forge/limits';

/** mulberry32: small, fast and fully determined by its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Jira's default burst rates by method (docs/forge-limits.md), as the injected 429s name them.
const J = FORGE_LIMITS.jira;
const BURST_LIMIT: Record<string, number> = { GET: J.burstGetPerSecond, POST: J.burstPostPerSecond, PUT: J.burstPutPerSecond, DELETE: J.burstDeletePerSecond };

export class Faults implements SiteFaults {
  private share = 0;
  private retryAfterSeconds = 2;
  private random: () => number = generator(1);
  private outage: OutageMode | null = null;
  private refusals = 0;

  constructor(private readonly clock: Clock) {}

  setRateLimit(share: number, options: { retryAfterSeconds?: number; seed?: number } = {}): void {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`Rate-limit share must be within 0..1, got ${share}`);
    this.share = share;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2;
    this.random = generator(options.seed ?? 1);
  }

  setDown(mode: OutageMode | null): void {
    this.outage = mode;
  }

  get down(): OutageMode | null {
    return this.outage;
  }

  get rateLimited(): number {
    return this.refusals;
  }

  /**
   * What a fault does to this request: throws for a refused connection, or
   * answers 503/429; undefined lets the request through.
   */
  intercept(method: string): Response | undefined {
    if (this.outage === 'refused') throw new TypeError('fetch failed');
    if (this.outage === 'unavailable') {
      return new Response(JSON.stringify({ errorMessages: ['Service Unavailable'], errors: {} }), {
        status: 503,
        headers: { 'content-type': 'application/json;charset=UTF-8', 'retry-after': '10' },
      });
    }
    if (this.share > 0 && this.random() < this.share) return this.rateLimitedAnswer(method);
    return undefined;
  }

  private rateLimitedAnswer(method: string): Response {
    this.refusals++;
    const reset = new Date(this.clock.now() + this.retryAfterSeconds * 1000).toISOString().slice(0, 16) + 'Z';
    return new Response(JSON.stringify({ errorMessages: ['Rate limit exceeded.'], errors: {} }), {
      status: 429,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'retry-after': String(this.retryAfterSeconds),
        'x-ratelimit-limit': String(BURST_LIMIT[method] ?? 100),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset,
        'ratelimit-reason': 'jira-burst-based',
      },
    });
  }
}
