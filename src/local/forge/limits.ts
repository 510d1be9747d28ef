import { KVS_LIMITS } from '../../ports';

// Forge's published limits, as the local runtime enforces them: one value per
// row of docs/forge-limits.md, which names each one's source page, the date it
// was checked, and what was chosen where the pages are silent or disagree
// (test/forge/limits-table.test.ts keeps the two in step). The shape limits the
// app's core must know as well (key, value, depth, page and batch sizes) live
// in src/ports.ts and are taken from there, so the two cannot drift.
//
// Sizes: where a page says "KB"/"MB" the decimal unit is used (10 KB = 10,000
// bytes), the smaller reading; "KiB" is binary.

const KB = 1_000;
const MB = 1_000_000;

export const FORGE_LIMITS = {
  kvs: {
    /** Requests of any kind per installation, in any one second. */
    requestsPerSecond: 1_000,
    /** Read units per installation in any sixty seconds (one unit per started `unitBytes` of what a read returns). */
    readUnitsPerMinute: 4_000,
    /** Write units per installation in any sixty seconds (one unit per started `unitBytes` of what a write sends). */
    writeUnitsPerMinute: 4_000,
    unitBytes: 10 * KB,
    /** Batch operations (batchGet, batchSet, batchDelete) per installation in any sixty seconds. */
    batchesPerMinute: 45,
    perKeyReadBytesPerSecond: 12 * MB,
    perKeyWriteBytesPerSecond: 1 * MB,
    keyMaxLength: KVS_LIMITS.maxKeyLength,
    valueMaxBytes: KVS_LIMITS.maxValueBytes,
    /** `setSecret` values: the secret storage page says 128 KiB, less than plain values. */
    secretValueMaxBytes: 128 * 1024,
    maxDepth: KVS_LIMITS.maxDepth,
    queryDefaultLimit: 10,
    queryMaxLimit: KVS_LIMITS.maxQueryLimit,
    batchMaxKeys: KVS_LIMITS.maxBatchKeys,
    batchMaxBytes: 4 * MB,
    transactionMaxOps: KVS_LIMITS.maxTransactionOps,
    transactionMaxBytes: 4 * MB,
    ttlMaxSeconds: 365 * 86_400,
  },
  events: {
    eventsPerPush: 50,
    pushMaxBytes: 200 * KB,
    eventsPerMinute: 500,
    /** Each event, when its consumer's timeout is over `longRunningAboveSeconds`. */
    longRunningEventMaxBytes: 100 * KB,
    longRunningAboveSeconds: 55,
    delayMaxSeconds: 900,
    /** Push requests across one chain of invocations started by one invocation. */
    cyclicPushesPerChain: 1_000,
    retryDataMaxBytes: 4 * KB,
    retryAfterMaxSeconds: 900,
  },
  invocations: {
    resolverSeconds: 25,
    /** Product-event triggers: the page's general runtime row, which covers every function not named in another. */
    triggerSeconds: 25,
    webTriggerSeconds: 55,
    /** Consumers and scheduled triggers without `timeoutSeconds`. */
    defaultTimeoutSeconds: 55,
    maxTimeoutSeconds: 900,
    userLedPerUserPerMinute: 1_200,
    userLedPerInstallationPerMinute: 5_000,
    /** Only a secondary source (CHANGE-3420 as quoted); kept because it is the stricter for bursts. */
    userLedPerInstallationPerSecond: 300,
    /** Egress calls (not requestJira) per invocation, per started minute of its timeout. */
    fetchesPerRuntimeMinute: 100,
    outboundRequestSeconds: 180,
    payloadMaxBytes: 5 * MB,
    bridgeRequestMaxBytes: 500 * KB,
    bridgeResponseMaxBytes: 5 * MB,
    webTriggerRequestMaxBytes: 5 * MB,
    webTriggerResponseMaxBytes: 5 * MB,
  },
  jira: {
    /**
     * Points per hour (UTC clock hours) for the app: Tier 1, the global pool shared by every site the
     * app is installed on. A read costs 1 + its objects (issues 1, users 2), a write 1.
     */
    pointsPerHour: 65_000,
    /** Burst: steady requests per second per site, per endpoint and method, by method (the page's defaults). */
    burstGetPerSecond: 100,
    burstPostPerSecond: 100,
    burstPutPerSecond: 50,
    burstDeletePerSecond: 50,
    /** Endpoints with their own bucket, as the page lists them (only those the emulator serves). */
    burstGetIssuePerSecond: 150,
    burstGetUserPerSecond: 150,
    burstGetChangelogPerSecond: 200,
    burstGetAttachmentContentPerSecond: 300,
    burstGetComponentPerSecond: 200,
    burstPostApproximateCountPerSecond: 150,
    burstPutComponentPerSecond: 500,
    /** Writes (create, update, delete) to one issue, in any 2 s and in any 30 s. */
    perIssueWritesPer2Seconds: 20,
    perIssueWritesPer30Seconds: 100,
  },
} as const;

export type ForgeLimits = typeof FORGE_LIMITS;

/** A limit's name, as `limitsHit` reports it: its path in FORGE_LIMITS, e.g. `kvs.writeUnitsPerMinute`. */
export type LimitName = {
  [Area in keyof ForgeLimits]: `${Area & string}.${keyof ForgeLimits[Area] & string}`;
}[keyof ForgeLimits];

/** Every limit by name, flattened, for the table test and for anyone listing them. */
export function limitEntries(): [LimitName, number][] {
  const out: [LimitName, number][] = [];
  for (const [area, values] of Object.entries(FORGE_LIMITS)) {
    for (const [name, value] of Object.entries(values)) out.push([`${area}.${name}` as LimitName, value as number]);
  }
  return out;
}
