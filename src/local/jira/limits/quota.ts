import { FORGE_LIMITS } from '../../forge/limits';

// Jira's points-based quota (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
// points per hour, reset "at the top of each UTC hour" (a fixed window on the
// clock, not a sliding one). Tier 1 is one pool for the app across every site
// it is installed on; Tier 2 gives each site its own. Once the pool is spent,
// "all requests are denied until the next hourly reset": a request is admitted
// while anything is left and charged after its answer (a read's cost depends on
// what it returned), so the last one admitted may take the pool below zero.

const HOUR_MS = 3_600_000;

export type QuotaScope = 'global' | 'tenant';

export class PointsQuota {
  private hour = -1;
  private spent = 0;

  constructor(
    /** `global`: Tier 1, one pool for all sites (the default); `tenant`: Tier 2, one per site. */
    readonly scope: QuotaScope = 'global',
    readonly pointsPerHour: number = FORGE_LIMITS.jira.pointsPerHour,
  ) {}

  /** The policy name Jira's `RateLimit` headers give this pool. */
  get policyName(): string {
    return this.scope === 'global' ? 'global-app-quota' : 'tenant-app-quota';
  }

  /** The `RateLimit-Reason` of a request this pool refuses. */
  get reason(): 'jira-quota-global-based' | 'jira-quota-tenant-based' {
    return this.scope === 'global' ? 'jira-quota-global-based' : 'jira-quota-tenant-based';
  }

  remaining(now: number): number {
    this.roll(now);
    return Math.max(0, this.pointsPerHour - this.spent);
  }

  exhausted(now: number): boolean {
    return this.remaining(now) === 0;
  }

  charge(now: number, points: number): void {
    this.roll(now);
    this.spent += points;
  }

  /** When the pool is full again: the next top of a UTC hour. */
  resetAt(now: number): number {
    return (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
  }

  private roll(now: number): void {
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.spent = 0;
    }
  }
}
