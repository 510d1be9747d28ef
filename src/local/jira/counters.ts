// REST calls answered per operation (the contract's operationIds), for the
// benchmark's "Jira REST calls per synced issue". Calls turned away before
// reaching an operation (429, 503, refused, unknown caller) are not counted.
import type { SiteCounters } from '../contracts';

export class Counters implements SiteCounters {
  total = 0;
  byOperation: Record<string, number> = {};
  points = 0;

  count(operationId: string): void {
    this.total += 1;
    this.byOperation[operationId] = (this.byOperation[operationId] ?? 0) + 1;
  }

  /** Points of Jira's quota an answered call of the app was charged. */
  chargePoints(points: number): void {
    this.points += points;
  }

  reset(): void {
    this.total = 0;
    this.points = 0;
    this.byOperation = {};
  }
}
