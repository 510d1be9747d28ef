import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { twinErrorPrefix } from '../sync/sync-errors';
import { readStatistics, type ConnectionStatistics, type LatencySummary } from '../sync/statistics';
import { listQueue } from './queue-view';

// Connection health at a glance, for the Connections page: over the last 24
// hours, how late the partner's changes arrive here (p50 and p95 from the
// statistics' latency histograms), what waits in the queue, how many issues an
// error holds, and what the connection costs the installation's Forge storage
// and Jira budgets. Everything comes from records the app already keeps: the
// day records of the statistics (which carry each sync's storage units and
// Jira calls), the queue view and the open-error index. Nothing here is
// written, and nothing is added to the sync path.

/** Forge storage, per installation: 4,000 read and 4,000 write units a minute (docs/forge-limits.md). */
export const STORAGE_UNITS_PER_MINUTE = 4_000;
/**
 * Jira's points quota, per hour (tier 1: 65,000 points an app, docs/forge-limits.md); every call costs at least
 * one point (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/), so calls are a floor.
 */
export const JIRA_POINTS_PER_HOUR = 65_000;
/** The queue is counted up to here; beyond it the page says "more than". */
export const QUEUE_COUNT_LIMIT = 100;

// A type, not an interface: resolver answers are checked against loose object types.
export type HealthHour = {
  start: number;
  syncs: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  storageUnits: number;
  jiraCalls: number;
};

// A type, not an interface: resolver answers are checked against loose object types.
export type ConnectionHealth = {
  connectionId: string;
  name: string;
  from: number;
  to: number;
  /** Partner's send → applied here, over the 24 hours. */
  lag: LatencySummary;
  hours: HealthHour[];
  queue: { depth: number; more: boolean };
  pausedIssues: number;
  storage: {
    readUnits: number;
    writeUnits: number;
    /** Of the units all connections used in the 24 hours; null when none did. */
    share: number | null;
    /** The busiest hour's units a minute (read or write, whichever is higher), and that against Forge's limit. */
    busiestPerMinute: number;
    budgetPerMinute: number;
  };
  jira: {
    calls: number;
    share: number | null;
    busiestHourCalls: number;
    pointsPerHour: number;
  };
};

/** Issues an open error holds on a connection: one index entry per issue and phase (warnings and connection-wide faults aside). */
export async function countPausedIssues(platform: Platform, connectionId: string): Promise<number> {
  const prefix = twinErrorPrefix(connectionId);
  const issues = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await platform.kvs.query(prefix, { limit: 100, cursor });
    for (const { key } of page.results) {
      const [phase, ref] = key.slice(prefix.length).split(':');
      if (phase === 'warn' || !ref || ref === 'rconnection') continue;
      issues.add(ref);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return issues.size;
}

async function queueDepth(platform: Platform, connectionId: string): Promise<{ depth: number; more: boolean }> {
  const items = await listQueue(platform, { connectionId, limit: QUEUE_COUNT_LIMIT + 1 });
  // Messages the partner refused for good are listed on the queue page but no longer wait.
  const waiting = items.filter((item) => !item.status.startsWith('refused'));
  return { depth: Math.min(waiting.length, QUEUE_COUNT_LIMIT), more: waiting.length > QUEUE_COUNT_LIMIT };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Health of each connection over the 24 hours ending at `now`; shares are of what all of them used. */
export async function readConnectionHealth(platform: Platform, connections: ConnectionRecord[], now: number): Promise<ConnectionHealth[]> {
  const rows: HealthInputs[] = [];
  for (const connection of connections) {
    const [stats, queue, pausedIssues] = await Promise.all([
      readStatistics(platform, connection.id, 'day', now),
      queueDepth(platform, connection.id),
      countPausedIssues(platform, connection.id),
    ]);
    rows.push({ connection, stats, queue, pausedIssues });
  }
  return healthOf(rows);
}

export interface HealthInputs {
  connection: Pick<ConnectionRecord, 'id' | 'name'>;
  /** The connection's statistics for the day (hour buckets). */
  stats: ConnectionStatistics;
  queue: ConnectionHealth['queue'];
  pausedIssues: number;
}

/** The figures from what was read: each connection's share is of the units and calls of all of them. */
export function healthOf(rows: HealthInputs[]): ConnectionHealth[] {
  const totalUnits = rows.reduce((sum, { stats }) => sum + stats.totals.readUnits + stats.totals.writeUnits, 0);
  const totalCalls = rows.reduce((sum, { stats }) => sum + stats.totals.jiraCalls, 0);
  return rows.map(({ connection, stats, queue, pausedIssues }) => {
    const { totals } = stats;
    const busiestUnits = Math.max(0, ...stats.buckets.map((b) => Math.max(b.readUnits, b.writeUnits)));
    return {
      connectionId: connection.id,
      name: connection.name,
      from: stats.from,
      to: stats.to,
      lag: totals.latency,
      hours: stats.buckets.map((b) => ({
        start: b.start,
        syncs: b.in + b.out,
        errors: b.errors,
        p50Ms: b.latency.medianMs,
        p95Ms: b.latency.p95Ms,
        storageUnits: b.readUnits + b.writeUnits,
        jiraCalls: b.jiraCalls,
      })),
      queue,
      pausedIssues,
      storage: {
        readUnits: totals.readUnits,
        writeUnits: totals.writeUnits,
        share: share(totals.readUnits + totals.writeUnits, totalUnits),
        busiestPerMinute: Math.round((busiestUnits / 60) * 10) / 10,
        budgetPerMinute: STORAGE_UNITS_PER_MINUTE,
      },
      jira: {
        calls: totals.jiraCalls,
        share: share(totals.jiraCalls, totalCalls),
        busiestHourCalls: Math.max(0, ...stats.buckets.map((b) => b.jiraCalls)),
        pointsPerHour: JIRA_POINTS_PER_HOUR,
      },
    };
  });
}
