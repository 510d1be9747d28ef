import { FORGE_LIMITS, type LimitName } from '../../forge/limits';
import { SlidingWindow } from '../../forge/sliding-window';

// Jira's per-issue write limit (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
// writes (create, update, delete) to one issue, at most 20 in 2 s and 100 in
// 30 s. The page does not say whether the windows slide; they slide here (the
// stricter reading). Only admitted writes count.

const L = FORGE_LIMITS.jira;

export class PerIssueWrites {
  private readonly issues = new Map<string, { short: SlidingWindow; long: SlidingWindow }>();

  /** Whether one more write to `issueId` fits; if not, which window is full and when it frees. */
  check(issueId: string, now: number): { ok: true } | { ok: false; limit: LimitName; max: number; waitMs: number } {
    const windows = this.issues.get(issueId);
    if (!windows) return { ok: true };
    if (!windows.short.fits(now, 1)) return { ok: false, limit: 'jira.perIssueWritesPer2Seconds', max: windows.short.limit, waitMs: windows.short.waitMs(now, 1) };
    if (!windows.long.fits(now, 1)) return { ok: false, limit: 'jira.perIssueWritesPer30Seconds', max: windows.long.limit, waitMs: windows.long.waitMs(now, 1) };
    return { ok: true };
  }

  record(issueId: string, now: number): void {
    let windows = this.issues.get(issueId);
    if (!windows) {
      windows = { short: new SlidingWindow(L.perIssueWritesPer2Seconds, 2_000), long: new SlidingWindow(L.perIssueWritesPer30Seconds, 30_000) };
      this.issues.set(issueId, windows);
    }
    windows.short.add(now, 1);
    windows.long.add(now, 1);
  }
}
