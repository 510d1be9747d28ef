import { z } from 'zod';
import type { KvsTransactionOp, Platform } from '../ports';
import { isTransient } from '../domain/errors';
import type { TransportSettings } from './types';
import { deliveryKey, leaseKey } from './keys';
import { recordKind } from '../domain/stored-record';
import { heldPerConnection } from '../domain/held-across-invocations';

// How delivery to the partner is going, per connection: failures in a row,
// when to try next, and the fault the Connections page shows. Kept apart from
// the connection record so the worker never overwrites an admin's edit.

export const PartnerState = z.object({ active: z.boolean(), at: z.number() });
export type PartnerState = z.infer<typeof PartnerState>;

export const DeliveryState = z.object({
  failures: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** Shown as status Error with `lastError` as the reason. */
  faulted: z.boolean(),
  faultSince: z.number().nullable(),
  /** When the scheduled retry is due; maintenance re-drives a connection whose retry is overdue. */
  nextAttemptAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  /** Last time the partner reached us or answered us with a valid signature. */
  lastContactAt: z.number().nullable(),
  lastPong: z.object({ messageId: z.string(), at: z.number(), partnerName: z.string().nullable() }).nullable(),
  /**
   * Whether the partner's admin has the connection switched on, as last heard: from its notice
   * (a signed `state` message), from its signed "deactivated" refusals, or from it taking a message.
   * Older records have none.
   */
  partnerState: PartnerState.nullable().default(null),
});
export type DeliveryState = z.infer<typeof DeliveryState>;

const deliveryRecord = recordKind({ name: 'delivery state', version: 1, schema: DeliveryState, key: deliveryKey });

const initial: DeliveryState = {
  failures: 0,
  lastError: null,
  faulted: false,
  faultSince: null,
  nextAttemptAt: null,
  lastSuccessAt: null,
  lastContactAt: null,
  lastPong: null,
  partnerState: null,
};

/**
 * The state as this container last read or wrote it, by installation and connection: a success right after
 * a recorded one (within the minute `recordSuccess` writes at most once in) then needs no read. A failure
 * another container recorded meanwhile stays on the record until this one's next written success, at most a
 * minute on: the Connections page may show an error for that minute after delivery recovered.
 */
const held = heldPerConnection<DeliveryState>({ capacity: 256 });

function hold(platform: Platform, connectionId: string, state: DeliveryState): void {
  held.set(platform, connectionId, state, platform.clock.now());
}

/** The state this container last read or wrote for the connection, if it holds one. */
function heldCopy(platform: Platform, connectionId: string): DeliveryState | undefined {
  return held.get(platform, connectionId, platform.clock.now());
}

export async function readDeliveryState(platform: Platform, connectionId: string): Promise<DeliveryState> {
  const state = (await deliveryRecord.find(platform, connectionId)) ?? { ...initial };
  hold(platform, connectionId, state);
  return state;
}

async function write(platform: Platform, connectionId: string, state: DeliveryState): Promise<void> {
  held.forget(platform, connectionId);
  await platform.kvs.set(deliveryKey(connectionId), state);
  hold(platform, connectionId, state);
}

async function update(platform: Platform, connectionId: string, change: (s: DeliveryState) => DeliveryState): Promise<DeliveryState> {
  const next = change(await readDeliveryState(platform, connectionId));
  await write(platform, connectionId, next);
  return next;
}

/** Uniform in [0, 1) from the platform's random source, so tests can seed it. */
function unitRandom(platform: Platform): number {
  const b = platform.random.bytes(4);
  return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) / 2 ** 32;
}

/** Exponential with "equal jitter": half the step fixed, half random; never sooner than Retry-After. */
export function backoffSeconds(platform: Platform, failures: number, settings: TransportSettings, retryAfterSeconds?: number): number {
  const step = Math.min(settings.backoffMaxSeconds, settings.backoffBaseSeconds * 2 ** Math.max(0, failures - 1));
  const jittered = step / 2 + (step / 2) * unitRandom(platform);
  const wanted = Math.max(jittered, retryAfterSeconds ?? 0);
  return Math.max(1, Math.min(settings.backoffMaxSeconds, Math.ceil(wanted)));
}

export interface FailureReport {
  reason: string;
  retryAfterSeconds?: number;
  /** The partner refused in a way that will not pass by itself (bad signature, unknown connection): show it at once. */
  permanent?: boolean;
  /** The partner said, signed, that its admin deactivated the connection. */
  partnerDeactivated?: boolean;
}

/** Counts a failed attempt; returns the delay before the next one. */
export async function recordFailure(platform: Platform, connectionId: string, report: FailureReport, settings: TransportSettings): Promise<number> {
  const now = platform.clock.now();
  let delay = 0;
  await update(platform, connectionId, (s) => {
    const failures = s.failures + 1;
    delay = backoffSeconds(platform, failures, settings, report.retryAfterSeconds);
    const faulted = s.faulted || failures >= settings.failuresBeforeError || report.permanent === true;
    return {
      ...s,
      failures,
      lastError: report.reason,
      faulted,
      faultSince: faulted ? (s.faultSince ?? now) : null,
      nextAttemptAt: now + delay * 1000,
      ...(report.partnerDeactivated ? { partnerState: { active: false, at: now } } : {}),
    };
  });
  return delay;
}

/**
 * The partner is busy and said when to come back: the next attempt waits that long, and it is not a
 * failure (the connection does not turn to Error, the backoff does not grow).
 */
export async function recordBusy(platform: Platform, connectionId: string, retryAfterSeconds: number): Promise<number> {
  const delay = Math.max(1, Math.ceil(retryAfterSeconds * (1 + unitRandom(platform) * 0.5)));
  await update(platform, connectionId, (s) => ({ ...s, nextAttemptAt: platform.clock.now() + delay * 1000 }));
  return delay;
}

export async function recordSuccess(platform: Platform, connectionId: string): Promise<void> {
  const now = platform.clock.now();
  const healthy = (s: DeliveryState) =>
    // The partner took a message, so its side is switched on: a "deactivated by the partner" mark ends here.
    s.failures === 0 && !s.faulted && s.nextAttemptAt === null && (s.partnerState === null || s.partnerState.active) && s.lastSuccessAt !== null && now - s.lastSuccessAt < 60_000;
  const known = heldCopy(platform, connectionId);
  // A success this container recorded less than a minute ago, and nothing since: no read, no write.
  if (known && healthy(known)) return;
  const s = await readDeliveryState(platform, connectionId);
  if (healthy(s)) return;
  const partnerActive = s.partnerState === null || s.partnerState.active;
  await write(platform, connectionId, {
    ...s,
    failures: 0,
    lastError: null,
    faulted: false,
    faultSince: null,
    nextAttemptAt: null,
    lastSuccessAt: now,
    lastContactAt: now,
    partnerState: partnerActive ? s.partnerState : { active: true, at: now },
  });
}

/** The partner told us (or we learned) whether its side is switched on; an older word than the one held changes nothing. */
export async function notePartnerState(platform: Platform, connectionId: string, state: PartnerState): Promise<void> {
  const s = await readDeliveryState(platform, connectionId);
  if (s.partnerState && s.partnerState.at > state.at) return;
  await write(platform, connectionId, { ...s, partnerState: state });
}

/** The partner proved itself (a verified request or answer). Written at most once a minute; returns the state as it was. */
export async function recordContact(platform: Platform, connectionId: string): Promise<DeliveryState> {
  const now = platform.clock.now();
  const known = heldCopy(platform, connectionId);
  // Contact this container recorded or read less than a minute ago, nothing scheduled: no read, no write. (A
  // backoff another container scheduled meanwhile is then redriven by the next contact after that minute.)
  if (known && known.nextAttemptAt === null && known.lastContactAt !== null && now - known.lastContactAt < 60_000) return known;
  const s = await readDeliveryState(platform, connectionId);
  if (s.lastContactAt === null || now - s.lastContactAt >= 60_000) await write(platform, connectionId, { ...s, lastContactAt: now });
  return s;
}

export async function recordPong(platform: Platform, connectionId: string, messageId: string, partnerName: string | null): Promise<void> {
  const now = platform.clock.now();
  await update(platform, connectionId, (s) => ({ ...s, lastContactAt: now, lastPong: { messageId, at: now, partnerName } }));
}

export async function clearSchedule(platform: Platform, connectionId: string): Promise<void> {
  const s = await readDeliveryState(platform, connectionId);
  if (s.nextAttemptAt !== null) await write(platform, connectionId, { ...s, nextAttemptAt: null });
}

// One worker at a time per connection keeps deliveries in order and avoids
// duplicate sends. If a worker dies, its lease runs out and the next one takes over.
const Lease = z.object({ holder: z.string(), until: z.number() });
const leaseRecord = recordKind({ name: 'delivery lease', version: 1, schema: Lease, key: leaseKey });
export const LEASE_MS = 120_000;

/**
 * A lease this holder wrote, and until when. Until then no one else can take it, so letting go of it well
 * before that needs no read to check it is still ours.
 */
const written = new Map<string, number>();
/** How far before its end a lease is let go of unread: room for clocks that differ between invocations. */
const RELEASE_UNREAD_MARGIN_MS = 30_000;

export async function acquireLease(platform: Platform, connectionId: string, holder: string): Promise<boolean> {
  const key = leaseKey(connectionId);
  const lease = { holder, until: platform.clock.now() + LEASE_MS };
  if (!(await platform.kvs.setIfAbsent(key, lease))) {
    const current = await leaseRecord.find(platform, connectionId);
    if (current && current.until > platform.clock.now()) return false;
    await platform.kvs.delete(key);
    if (!(await platform.kvs.setIfAbsent(key, lease))) return false;
  }
  written.set(holder, lease.until);
  return true;
}

export async function renewLease(platform: Platform, connectionId: string, holder: string): Promise<void> {
  const until = platform.clock.now() + LEASE_MS;
  await platform.kvs.set(leaseKey(connectionId), { holder, until });
  written.set(holder, until);
}

/** Holders whose lease went in a transaction of theirs (`deliveryLeaseReleaseOp`): nothing left to let go. */
const releasedInTransaction = new Set<string>();

/**
 * The lease's release, to ride in the transaction that settles the last message a worker delivers (one
 * storage call and one write unit fewer than letting go after it); none when the lease is too near its end
 * to be let go unread. Call `committed()` once that transaction went through.
 */
export function deliveryLeaseReleaseOp(platform: Platform, connectionId: string, holder: string): { op: KvsTransactionOp; committed(): void } | undefined {
  const until = written.get(holder);
  if (until === undefined || platform.clock.now() >= until - RELEASE_UNREAD_MARGIN_MS) return undefined;
  return {
    op: { kind: 'delete', key: leaseKey(connectionId) },
    committed() {
      written.delete(holder);
      releasedInTransaction.add(holder);
    },
  };
}

export async function releaseLease(platform: Platform, connectionId: string, holder: string): Promise<void> {
  if (releasedInTransaction.delete(holder)) return;
  for (let attempt = 0; ; attempt++) {
    try {
      return await releaseLeaseOnce(platform, connectionId, holder);
    } catch (e) {
      // A lease left held turns every other worker away until it runs out (two minutes). Storage refusing the
      // release means a limit of its own: a second's requests, or a minute's units, which free up within that
      // minute. So the release is tried again here while the invocation has the time, rather than the
      // connection standing still for two minutes (a bulk stood idle a minute after its units came back).
      const wait = RELEASE_WAITS_MS[attempt];
      const left = platform.invocation?.remainingMs();
      if (!isTransient(e) || !platform.sleep || wait === undefined || (left !== undefined && left - wait < RELEASE_TIME_MARGIN_MS)) throw e;
      await platform.sleep(wait);
    }
  }
}

/** Waits before each new try to let go of a lease storage refused: about a minute in all, a unit limit's window. */
const RELEASE_WAITS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000];
/** Time the invocation must still have after such a wait. */
const RELEASE_TIME_MARGIN_MS = 5_000;

async function releaseLeaseOnce(platform: Platform, connectionId: string, holder: string): Promise<void> {
  const until = written.get(holder);
  written.delete(holder);
  if (until !== undefined && platform.clock.now() < until - RELEASE_UNREAD_MARGIN_MS) {
    await platform.kvs.delete(leaseKey(connectionId));
    return;
  }
  const current = await leaseRecord.find(platform, connectionId);
  if (current && current.holder === holder) await platform.kvs.delete(leaseKey(connectionId));
}

export async function leaseHeld(platform: Platform, connectionId: string): Promise<boolean> {
  const current = await leaseRecord.find(platform, connectionId);
  return current !== undefined && current.until > platform.clock.now();
}
