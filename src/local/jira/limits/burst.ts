import { FORGE_LIMITS, type LimitName } from '../../forge/limits';

// Jira's burst limit (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
// a token bucket per site and per endpoint and method, refilled at the
// endpoint's steady rate; each request takes one token. The page gives the
// steady rates (per method, and for some endpoints their own) but not the
// buckets' sizes: here a bucket holds one second of its rate (an assumption,
// the strictest that still lets the steady rate through), so no burst above
// the steady rate is ever absorbed.

const L = FORGE_LIMITS.jira;

const BY_METHOD: Record<string, LimitName> = {
  GET: 'jira.burstGetPerSecond',
  POST: 'jira.burstPostPerSecond',
  PUT: 'jira.burstPutPerSecond',
  DELETE: 'jira.burstDeletePerSecond',
};

/** Endpoints the page lists with their own rate, as the emulator's routes name them. */
const BY_ENDPOINT: Record<string, LimitName> = {
  'GET /rest/api/3/issue/:issueIdOrKey': 'jira.burstGetIssuePerSecond',
  'GET /rest/api/3/user': 'jira.burstGetUserPerSecond',
  'GET /rest/api/3/issue/:issueIdOrKey/changelog': 'jira.burstGetChangelogPerSecond',
  'GET /rest/api/3/attachment/content/:id': 'jira.burstGetAttachmentContentPerSecond',
  'GET /rest/api/3/component': 'jira.burstGetComponentPerSecond',
  'POST /rest/api/3/search/approximate-count': 'jira.burstPostApproximateCountPerSecond',
  'PUT /rest/api/3/component/:id': 'jira.burstPutComponentPerSecond',
};

/** The limit on `method path` (path as the route names it, e.g. `/rest/api/3/issue/:issueIdOrKey`) and its steady rate. */
export function burstLimit(method: string, path: string): { name: LimitName; rate: number } {
  const name = BY_ENDPOINT[`${method} ${path}`] ?? BY_METHOD[method] ?? 'jira.burstGetPerSecond';
  return { name, rate: FORGE_LIMITS.jira[name.slice('jira.'.length) as keyof typeof L] };
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }

  /** Take a token, or say how many ms until one is there. */
  take(now: number): { ok: true; remaining: number } | { ok: false; waitMs: number } {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    return { ok: false, waitMs: Math.ceil(((1 - this.tokens) / this.rate) * 1000) };
  }

  private refill(now: number): void {
    if (now > this.last) this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = Math.max(this.last, now);
  }
}

/** One site's buckets. */
export class BurstLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  take(method: string, path: string, now: number): { ok: true } | { ok: false; limit: LimitName; rate: number; waitMs: number } {
    const endpoint = `${method} ${path}`;
    const limit = burstLimit(method, path);
    let bucket = this.buckets.get(endpoint);
    if (!bucket) this.buckets.set(endpoint, (bucket = new TokenBucket(limit.rate, now)));
    const taken = bucket.take(now);
    return taken.ok ? { ok: true } : { ok: false, limit: limit.name, rate: limit.rate, waitMs: taken.waitMs };
  }
}
