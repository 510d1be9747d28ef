import { FORGE_LIMITS, type LimitName } from '../src/local/forge/limits';
import type { SideCost } from './edit-cost';

// What the per-edit counts mean for one installation: how many synced edits a
// minute it can sustain before one of Forge's per-installation limits binds,
// and what a million synced edits cost at Forge's published prices.

/**
 * "Forge platform pricing" (https://developer.atlassian.com/platform/forge/forge-platform-pricing/),
 * page last updated 30 Jun 2025, prices in force from 1 Jan 2026, USD overage per unit above the monthly free
 * allowance (the allowance is left out: a million edits is far past it, and this is the marginal cost).
 */
export const FORGE_PRICES = {
  list: 'Forge platform pricing (developer.atlassian.com/platform/forge/forge-platform-pricing), updated 30 Jun 2025, in force from 1 Jan 2026',
  functionsPerGbSecond: 0.000025,
  kvsReadsPerGb: 0.055,
  kvsWritesPerGb: 1.09,
} as const;

/** Forge counts storage data in decimal gigabytes. */
const GB = 1e9;

export interface LimitRate {
  limit: LimitName;
  side: 'blue' | 'green';
  /** What one edit uses of this limit on this side. */
  perEdit: number;
  /** Edits a minute this limit allows on this side (Infinity when an edit uses none of it). */
  editsPerMinute: number;
}

export interface Ceiling {
  editsPerMinute: number;
  binds: LimitName;
  side: 'blue' | 'green';
  /** Every limit considered, slowest first. */
  rates: LimitRate[];
}

/**
 * Per minute, what each per-installation limit allows divided by what an edit uses of it, on each side
 * (an installation that sends edits, and one that receives them); the lowest binds. Web triggers count
 * against the per-installation invocation rate (the web trigger page: they are subject to the invocation
 * limits); consumers and triggers are async and are not. Every Jira call is counted against the GET/POST
 * burst rate, the larger of the two burst limits, so the figure errs on the low side only if the app's
 * writes are most of its calls.
 */
export function ceiling(perEdit: { blue: SideCost; green: SideCost }): Ceiling {
  const L = FORGE_LIMITS;
  const rates: LimitRate[] = [];
  for (const side of ['blue', 'green'] as const) {
    const c = perEdit[side];
    const uses: [LimitName, number, number][] = [
      ['kvs.readUnitsPerMinute', c.readUnits, L.kvs.readUnitsPerMinute],
      ['kvs.writeUnitsPerMinute', c.writeUnits, L.kvs.writeUnitsPerMinute],
      ['kvs.requestsPerSecond', c.storageCalls.total, L.kvs.requestsPerSecond * 60],
      ['kvs.batchesPerMinute', c.storageCalls.batchGet + c.storageCalls.batchSet + c.storageCalls.batchDelete, L.kvs.batchesPerMinute],
      ['events.eventsPerMinute', c.asyncEvents, L.events.eventsPerMinute],
      ['invocations.userLedPerInstallationPerMinute', c.invocations.resolver + c.invocations.webtrigger, L.invocations.userLedPerInstallationPerMinute],
      ['jira.burstPostPerSecond', c.jiraCalls, L.jira.burstPostPerSecond * 60],
      // The hourly quota spread over its hour's minutes: a steady stream may spend no faster than that.
      ['jira.pointsPerHour', c.jiraPoints, L.jira.pointsPerHour / 60],
    ];
    for (const [limit, used, perMinute] of uses) {
      rates.push({ limit, side, perEdit: used, editsPerMinute: used > 0 ? Math.floor(perMinute / used) : Infinity });
    }
  }
  rates.sort((a, b) => a.editsPerMinute - b.editsPerMinute);
  const first = rates[0]!;
  return { editsPerMinute: first.editsPerMinute, binds: first.limit, side: first.side, rates };
}

export interface Cost {
  priceList: string;
  /** USD per million synced edits, both installations together, by what is billed. */
  perMillionEdits: { functions: number; kvsReads: number; kvsWrites: number; total: number };
}

export function costPerMillionEdits(perEdit: { blue: SideCost; green: SideCost }): Cost {
  const both = (pick: (c: SideCost) => number) => pick(perEdit.blue) + pick(perEdit.green);
  const million = 1e6;
  const functions = both((c) => c.gbSeconds) * million * FORGE_PRICES.functionsPerGbSecond;
  const kvsReads = (both((c) => c.bytesRead) * million / GB) * FORGE_PRICES.kvsReadsPerGb;
  const kvsWrites = (both((c) => c.bytesWritten) * million / GB) * FORGE_PRICES.kvsWritesPerGb;
  const cents = (n: number) => Math.round(n * 100) / 100;
  return {
    priceList: FORGE_PRICES.list,
    perMillionEdits: { functions: cents(functions), kvsReads: cents(kvsReads), kvsWrites: cents(kvsWrites), total: cents(functions + kvsReads + kvsWrites) },
  };
}
