import { FORGE_LIMITS, type LimitName } from './limits';
import { SlidingWindow } from './sliding-window';

// Forge's rate limits on the KVS, per installation: requests per second, read
// and write units per minute, batch operations per minute, and bytes per key
// per second. A request over any of them is refused whole and charges
// nothing, so an app that backs off and retries is never charged twice.

const L = FORGE_LIMITS.kvs;

/** Units of one operation: one per started `unitBytes`, at least one (an empty read counts too). */
export function unitsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / L.unitBytes));
}

/** What one KVS request costs. */
export interface KvsCharge {
  readUnits: number;
  writeUnits: number;
  batch: boolean;
  /** Bytes read from and written to each key, for the per-key throughput limits. */
  keyReads: readonly (readonly [string, number])[];
  keyWrites: readonly (readonly [string, number])[];
}

export interface KvsRefusal {
  limit: LimitName;
  /** When the request would fit again, were nothing else to happen. */
  waitMs: number;
}

class InstallationQuota {
  readonly requests = new SlidingWindow(L.requestsPerSecond, 1_000);
  readonly reads = new SlidingWindow(L.readUnitsPerMinute, 60_000);
  readonly writes = new SlidingWindow(L.writeUnitsPerMinute, 60_000);
  readonly batches = new SlidingWindow(L.batchesPerMinute, 60_000);
  readonly keyReads = new Map<string, SlidingWindow>();
  readonly keyWrites = new Map<string, SlidingWindow>();
  commits = 0;
}

export class KvsQuota {
  private readonly installations = new Map<string, InstallationQuota>();

  /** The first limit this request would go over, or undefined when it fits. Charges nothing. */
  check(installation: string, now: number, charge: KvsCharge): KvsRefusal | undefined {
    const q = this.quota(installation);
    const windows: [LimitName, SlidingWindow, number][] = [
      ['kvs.requestsPerSecond', q.requests, 1],
      ['kvs.batchesPerMinute', q.batches, charge.batch ? 1 : 0],
      ['kvs.writeUnitsPerMinute', q.writes, charge.writeUnits],
      ['kvs.readUnitsPerMinute', q.reads, charge.readUnits],
    ];
    for (const [limit, window, amount] of windows) {
      if (amount > 0 && !window.fits(now, amount)) return { limit, waitMs: window.waitMs(now, amount) };
    }
    for (const [limit, perKey, list, max] of [
      ['kvs.perKeyReadBytesPerSecond', q.keyReads, charge.keyReads, L.perKeyReadBytesPerSecond],
      ['kvs.perKeyWriteBytesPerSecond', q.keyWrites, charge.keyWrites, L.perKeyWriteBytesPerSecond],
    ] as const) {
      for (const [key, bytes] of sumByKey(list)) {
        const window = perKey.get(key) ?? new SlidingWindow(max, 1_000);
        if (bytes > 0 && !window.fits(now, bytes)) return { limit, waitMs: window.waitMs(now, bytes) };
      }
    }
    return undefined;
  }

  commit(installation: string, now: number, charge: KvsCharge): void {
    const q = this.quota(installation);
    q.requests.add(now, 1);
    if (charge.batch) q.batches.add(now, 1);
    q.writes.add(now, charge.writeUnits);
    q.reads.add(now, charge.readUnits);
    for (const [perKey, list, max] of [
      [q.keyReads, charge.keyReads, L.perKeyReadBytesPerSecond],
      [q.keyWrites, charge.keyWrites, L.perKeyWriteBytesPerSecond],
    ] as const) {
      for (const [key, bytes] of sumByKey(list)) {
        let window = perKey.get(key);
        if (!window) perKey.set(key, (window = new SlidingWindow(max, 1_000)));
        window.add(now, bytes);
      }
    }
    // Per-key windows empty out after a second; forget them now and then so the maps stay small.
    if (++q.commits % 5_000 === 0) {
      for (const perKey of [q.keyReads, q.keyWrites]) {
        for (const [key, window] of perKey) if (window.used(now) === 0) perKey.delete(key);
      }
    }
  }

  private quota(installation: string): InstallationQuota {
    let q = this.installations.get(installation);
    if (!q) this.installations.set(installation, (q = new InstallationQuota()));
    return q;
  }
}

function sumByKey(list: readonly (readonly [string, number])[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [key, bytes] of list) sums.set(key, (sums.get(key) ?? 0) + bytes);
  return sums;
}
