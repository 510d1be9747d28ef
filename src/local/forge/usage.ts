import { z } from 'zod';
import type { SiteCounters } from '../contracts';
import { currentInvocation, type InstallationBackend } from './globals';
import type { LimitName } from './limits';

// What each installation has used of the platform since the runtime started
// (or since the last reset), counted where the platform answers the SDKs, so
// nothing the app does can go around it: storage calls, units and bytes,
// invocations by module kind, events pushed, Jira REST calls, outbound
// fetches, and every time a limit turned a request away.

export type KvsCallKind =
  | 'get'
  | 'set'
  | 'delete'
  | 'query'
  | 'transaction'
  | 'batchGet'
  | 'batchSet'
  | 'batchDelete'
  | 'secretGet'
  | 'secretSet'
  | 'secretDelete';

/** How a module kind of manifest.yml is invoked; anything else counts under its own name. */
export type InvocationKind = 'resolver' | 'trigger' | 'webtrigger' | 'consumer' | 'scheduled' | (string & {});

const Count = z.number().int().nonnegative();
const Counts = z.record(z.string(), Count);

/** The answer of `GET /<site>/_local/usage`. */
export const UsageSnapshotSchema = z.object({
  site: z.string(),
  since: z.string(),
  limitsEnforced: z.boolean(),
  kvs: z.object({
    calls: z.object({
      total: Count,
      get: Count,
      set: Count,
      delete: Count,
      query: Count,
      transaction: Count,
      batch: z.object({ get: Count, set: Count, delete: Count }),
      secret: z.object({ get: Count, set: Count, delete: Count }),
    }),
    readUnits: Count,
    writeUnits: Count,
    bytesWritten: Count,
    /** Bytes of what reads returned (Forge prices KVS reads per GB read). */
    bytesRead: Count,
  }),
  invocations: z.object({ total: Count, resolver: Count, trigger: Count, webtrigger: Count, consumer: Count, scheduled: Count }).catchall(Count),
  events: z.object({ pushed: Count }),
  /** Milliseconds the installation's invocations ran, on the runtime's clock: what Forge bills as GB-seconds with the declared memory. */
  invocationMs: Count,
  /** Jira REST calls answered, and the points of Jira's quota the app's calls were charged. */
  jira: z.object({ calls: Count, byOperation: Counts, points: Count }),
  fetches: Count,
  limitsHit: Counts,
});
export type UsageSnapshot = z.infer<typeof UsageSnapshotSchema>;

export class SiteUsage {
  private since = new Date();
  private kvsCalls = new Map<KvsCallKind, number>();
  private readUnits = 0;
  private writeUnits = 0;
  private bytesWritten = 0;
  private bytesRead = 0;
  private invocations = new Map<string, number>();
  private pushed = 0;
  private invocationMs = 0;
  private fetches = 0;
  private limits = new Map<string, number>();

  constructor(
    readonly site: string,
    private readonly jira: SiteCounters,
    private readonly clock: () => number,
  ) {
    this.since = new Date(clock());
  }

  /** One storage call, answered or refused; units and bytes only for what was charged and written. */
  kvsCall(kind: KvsCallKind, charged: { readUnits: number; writeUnits: number; bytesWritten: number; bytesRead?: number }): void {
    bump(this.kvsCalls, kind);
    this.readUnits += charged.readUnits;
    this.writeUnits += charged.writeUnits;
    this.bytesWritten += charged.bytesWritten;
    this.bytesRead += charged.bytesRead ?? 0;
  }

  invocation(kind: InvocationKind): void {
    bump(this.invocations, kind);
  }

  /** How long one invocation ran, from its start until it answered or failed. */
  invocationTime(ms: number): void {
    this.invocationMs += Math.max(0, Math.round(ms));
  }

  eventsPushed(count: number): void {
    this.pushed += count;
  }

  /** One outbound fetch an invocation made (egress; `requestJira` is counted under `jira`). */
  outboundFetch(): void {
    this.fetches += 1;
  }

  /** A request turned away by the limit of this name (a path in FORGE_LIMITS). */
  limitHit(name: LimitName): void {
    bump(this.limits, name);
  }

  snapshot(limitsEnforced: boolean): UsageSnapshot {
    const call = (kind: KvsCallKind) => this.kvsCalls.get(kind) ?? 0;
    const invoked = (kind: string) => this.invocations.get(kind) ?? 0;
    return {
      site: this.site,
      since: this.since.toISOString(),
      limitsEnforced,
      kvs: {
        calls: {
          total: sum(this.kvsCalls),
          get: call('get'),
          set: call('set'),
          delete: call('delete'),
          query: call('query'),
          transaction: call('transaction'),
          batch: { get: call('batchGet'), set: call('batchSet'), delete: call('batchDelete') },
          secret: { get: call('secretGet'), set: call('secretSet'), delete: call('secretDelete') },
        },
        readUnits: this.readUnits,
        writeUnits: this.writeUnits,
        bytesWritten: this.bytesWritten,
        bytesRead: this.bytesRead,
      },
      invocations: {
        ...Object.fromEntries(this.invocations),
        total: sum(this.invocations),
        resolver: invoked('resolver'),
        trigger: invoked('trigger'),
        webtrigger: invoked('webtrigger'),
        consumer: invoked('consumer'),
        scheduled: invoked('scheduled'),
      },
      events: { pushed: this.pushed },
      invocationMs: this.invocationMs,
      jira: { calls: this.jira.total, byOperation: { ...this.jira.byOperation }, points: this.jira.points },
      fetches: this.fetches,
      limitsHit: Object.fromEntries(this.limits),
    };
  }

  /** Start counting afresh; the site's Jira REST counters too, since they are reported here. */
  reset(): void {
    this.since = new Date(this.clock());
    this.kvsCalls = new Map();
    this.readUnits = 0;
    this.writeUnits = 0;
    this.bytesWritten = 0;
    this.bytesRead = 0;
    this.invocations = new Map();
    this.pushed = 0;
    this.invocationMs = 0;
    this.fetches = 0;
    this.limits = new Map();
    this.jira.reset();
  }
}

// Which installation an invocation belongs to is known from the platform's
// scope; the fetch router finds that installation's counters through it.
const usageByBackend = new WeakMap<InstallationBackend, SiteUsage>();

export function attachUsage(backend: InstallationBackend, usage: SiteUsage): void {
  usageByBackend.set(backend, usage);
}

/**
 * Count an outbound fetch against the installation whose invocation makes it.
 * The fetch router calls this for every request; requests made outside an
 * invocation (tests, the runtime itself) are not the app's and are not counted.
 */
export function countOutboundFetch(): void {
  const backend = currentInvocation()?.backend;
  if (backend) usageByBackend.get(backend)?.outboundFetch();
}

/** A limit turned away a request of `backend`'s invocation (for limits checked outside the stores). */
export function countLimitHit(backend: InstallationBackend, name: LimitName): void {
  usageByBackend.get(backend)?.limitHit(name);
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<unknown, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}
