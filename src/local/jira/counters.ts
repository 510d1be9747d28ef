// REST calls answered per operation (the contract's operationIds), for the
// benchmark's "Jira REST calls per synced issue". Calls turned away before
// reaching an operation (429, 503, refused, unknown caller) are not counted.
import type { SiteCounters } from '../contracts';

export class Counters implements SiteCounters {
  total = 0;
  byOperation: Record<string, number> = {};

  count(operationId: string): void {
    this.total += 1;
    this.byOperation[operationId] = (this.byOperation[operationId] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.byOperation = {};
  }
}
