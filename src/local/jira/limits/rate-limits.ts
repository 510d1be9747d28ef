import type { Clock } from '../../../ports';
import type { LimitName } from '../../forge/limits';
import { BurstLimits } from './burst';
import { PerIssueWrites } from './per-issue';
import { isWrite, pointsFor } from './points';
import type { PointsQuota } from './quota';

// Jira Cloud's three rate limits on an app's REST calls, as one site enforces
// them (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
// the points quota (./quota.ts), the burst limit per endpoint (./burst.ts) and
// the per-issue write limit (./per-issue.ts). Only calls the app makes through
// the Forge platform are held to them; people's own calls are not the app's.
// A refused call is not answered, not counted and charges nothing; it is
// answered 429 with the headers the page documents for its reason. Every
// admitted call of the app carries the quota's `RateLimit-Policy`/`RateLimit`.

/** The route a request matched, as the gate needs it. */
export interface GatedRoute {
  method: string;
  /** The route's path, e.g. `/rest/api/3/issue/:issueIdOrKey` (the burst bucket's endpoint). */
  path: string;
  operationId: string;
}

/** Once 20 % or less of the quota is left, answers say how much (`r=`, `X-RateLimit-NearLimit`). */
const NEAR_LIMIT_SHARE = 0.2;

export class JiraRateLimits {
  private readonly burst = new BurstLimits();
  private readonly perIssue = new PerIssueWrites();

  constructor(
    private readonly clock: Clock,
    readonly quota: PointsQuota,
    /** Told the points each admitted call was charged (the site's usage counters). */
    private readonly onCharged: (points: number) => void = () => undefined,
  ) {}

  /**
   * Admit one call of the app, or answer it 429. `issueIds` are the issues a
   * write changes (none for reads and for writes to no issue).
   */
  admit(route: GatedRoute, issueIds: string[], onLimitHit: (limit: LimitName) => void): Response | undefined {
    const now = this.clock.now();
    if (this.quota.exhausted(now)) {
      onLimitHit('jira.pointsPerHour');
      const resetAt = this.quota.resetAt(now);
      return this.refuse(now, resetAt - now, this.quota.reason, this.quota.pointsPerHour, {
        'x-ratelimit-nearlimit': 'true',
        ...this.quotaHeaders(now),
      });
    }
    const write = isWrite(route.method, route.operationId);
    if (write) {
      for (const issueId of issueIds) {
        const full = this.perIssue.check(issueId, now);
        if (!full.ok) {
          onLimitHit(full.limit);
          return this.refuse(now, full.waitMs, 'jira-per-issue-on-write', full.max);
        }
      }
    }
    const token = this.burst.take(route.method, route.path, now);
    if (!token.ok) {
      onLimitHit(token.limit);
      return this.refuse(now, token.waitMs, 'jira-burst-based', token.rate);
    }
    if (write) for (const issueId of issueIds) this.perIssue.record(issueId, now);
    return undefined;
  }

  /** Charge an admitted call's points and give its answer the quota's headers. */
  async charge(route: GatedRoute, answer: Response): Promise<Response> {
    const points = await pointsFor(route.method, route.operationId, answer);
    const now = this.clock.now();
    this.quota.charge(now, points);
    this.onCharged(points);
    const headers = new Headers(answer.headers);
    for (const [name, value] of Object.entries(this.quotaHeaders(now))) headers.set(name, value);
    if (this.quota.remaining(now) < this.quota.pointsPerHour * NEAR_LIMIT_SHARE) headers.set('x-ratelimit-nearlimit', 'true');
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
  }

  /** The structured quota headers: the pool's size and window, seconds to its reset, and what is left once that is little. */
  private quotaHeaders(now: number): Record<string, string> {
    const name = this.quota.policyName;
    const remaining = this.quota.remaining(now);
    const resetSeconds = Math.ceil((this.quota.resetAt(now) - now) / 1000);
    const near = remaining < this.quota.pointsPerHour * NEAR_LIMIT_SHARE;
    return {
      'ratelimit-policy': `"${name}";q=${this.quota.pointsPerHour};w=3600`,
      ratelimit: `"${name}";${near ? `r=${remaining};` : ''}t=${resetSeconds}`,
    };
  }

  private refuse(now: number, waitMs: number, reason: string, limit: number, extra: Record<string, string> = {}): Response {
    // Whole seconds, never 0: a client that waits what it is told finds room.
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new Response(JSON.stringify({ errorMessages: ['Rate limit exceeded.'], errors: {} }), {
      status: 429,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': new Date(now + retryAfter * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'ratelimit-reason': reason,
        ...extra,
      },
    });
  }
}
