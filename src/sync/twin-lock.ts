import { z } from 'zod';
import type { KvsTransactionOp, Platform } from '../ports';
import { recordKind } from '../domain/stored-record';

// Forge runs queue events concurrently and at least once, so two workers may
// hold work for the same twin. A short lease in storage keeps one twin's
// steps in one worker at a time; a lease left by a crashed worker expires.

const LEASE_MS = 60_000;

/**
 * A lease handed on to the ack of a replica runs longer: the answer comes once the replica is delivered,
 * which behind a storage limit (the sender's minute of write units spent) can be a minute or more away.
 * Taken by that ack, it costs no write; run out, the ack takes it over with one. Only work on this twin
 * waits on it meanwhile, and that work would send behind the unacked replica anyway.
 */
export const HANDED_LEASE_MS = 120_000;

/** The lease every step that writes one twin takes: outgoing, incoming once the twin exists, acks, unexalate. */
const TWIN_LOCK_PREFIX = 'twin:';
export const twinLockName = (connectionId: string, localIssueId: string) => `${TWIN_LOCK_PREFIX}${connectionId}:${localIssueId}`;

/** Where a lease of that name is stored. */
export const lockKey = (name: string) => `lock:${name}`;

/**
 * `awaitsAck`: the step that wrote the twin last handed its lease on to the ack of its replica with this
 * sequence number (`leaseHandOp`), which takes it without writing.
 */
const leaseRecord = recordKind({ name: 'lease', version: 1, schema: z.object({ until: z.number(), awaitsAck: z.number().int().optional() }), key: lockKey });

/** A lease handed on to an ack is taken only with at least this long left, for the ack's own writes. */
export const HANDED_MARGIN_MS = 15_000;

/**
 * The leases this invocation holds, by name, with when each runs out: keyed by the invocation's storage
 * (one per invocation), so a step that already holds a twin's lease (an outgoing run delivering its replica
 * and taking the ack from the answer) runs nested work for that twin without taking it again.
 */
const heldByInvocation = new WeakMap<object, Map<string, number>>();

/**
 * This invocation's held leases, made and registered at once: work side by side in one invocation (a bulk
 * page's issues) must share the one map. Made after an await, each would make its own, all but the last be
 * lost, and their leases be let go by a delete of their own rather than in their transactions.
 */
function heldBy(kvs: object): Map<string, number> {
  let mine = heldByInvocation.get(kvs);
  if (!mine) heldByInvocation.set(kvs, (mine = new Map<string, number>()));
  return mine;
}

/**
 * What this invocation last wrote under a lease it holds (the twin it saved): while the lease is held no one
 * else writes that twin, so a later step of the same invocation (taking the ack from the partner's answer)
 * reads it from here instead of from storage. Dropped with the lease.
 */
const keptByInvocation = new WeakMap<object, Map<string, unknown>>();

export function keepUnderLease(kvs: object, name: string, value: unknown): void {
  if (!heldByInvocation.get(kvs)?.has(name)) return;
  const kept = keptByInvocation.get(kvs) ?? new Map<string, unknown>();
  keptByInvocation.set(kvs, kept.set(name, structuredClone(value)));
}

/** What `keepUnderLease` holds for `name`, while the lease is still held; a copy. */
export function keptUnderLease(kvs: object, name: string): unknown {
  if (!heldByInvocation.get(kvs)?.has(name)) return undefined;
  const value = keptByInvocation.get(kvs)?.get(name);
  return value === undefined ? undefined : structuredClone(value);
}

export function forgetKept(kvs: object, name: string): void {
  keptByInvocation.get(kvs)?.delete(name);
}

/** Leases this invocation let go inside a transaction of its own (`leaseReleaseOp`): the step's end deletes nothing more. */
const releasedByInvocation = new WeakMap<object, Set<string>>();

/** What ends this invocation's hold on a lease inside a transaction: the op, and `committed()` once it went through. */
export interface LeaseEndOp {
  op: KvsTransactionOp;
  committed(): void;
}

function endInTransaction(kvs: object, name: string, op: KvsTransactionOp): LeaseEndOp | undefined {
  const mine = heldByInvocation.get(kvs);
  if (!mine?.has(name)) return undefined;
  return {
    op,
    committed() {
      mine.delete(name);
      forgetKept(kvs, name);
      const released = releasedByInvocation.get(kvs) ?? new Set<string>();
      releasedByInvocation.set(kvs, released.add(name));
    },
  };
}

/**
 * The lease `name`'s release, to ride in the transaction that ends this invocation's writes to the twin (one
 * storage call fewer than letting go after it), or none when this invocation does not hold it. Call
 * `committed()` once that transaction went through: the lease is let go then, and a later step of this
 * invocation that needs the twin again takes the lease anew.
 */
export function leaseReleaseOp(kvs: object, name: string): LeaseEndOp | undefined {
  return endInTransaction(kvs, name, { kind: 'delete', key: lockKey(name) });
}

/**
 * The lease `name` handed on to the ack of the replica `seq` this step sends, in the same transaction, instead
 * of let go: the worker that takes the partner's answer (another invocation: the delivery worker) then writes
 * the twin under it without taking a lease of its own, one storage write fewer an outgoing sync. Until then
 * (or until it runs out, HANDED_LEASE_MS on) other work on the twin finds it held and comes back, as it would
 * while this step ran. None when this invocation does not hold the lease.
 */
export function leaseHandOp(kvs: object, name: string, seq: number, now: number): LeaseEndOp | undefined {
  return endInTransaction(kvs, name, { kind: 'set', key: lockKey(name), value: { until: now + HANDED_LEASE_MS, awaitsAck: seq } });
}

/** A lease handed on to an ack with less than HANDED_MARGIN_MS left is renewed by the ack, while this much is left. */
const RENEW_MARGIN_MS = 3_000;

/**
 * Whether the lease `name` was handed on to the ack of replica `seq`: its end, then. With little of it left
 * (the partner answered late), the ack renews it first: no one else may take a lease before its end, so
 * writing it anew while some of it is left takes it from no one. Run out but still the one handed to this
 * ack (no one took it since: the partner's answer came after a long wait, as behind a storage limit), it
 * is taken over at once, as any run-out lease is (`takeOver`), without first trying to take it as a free
 * one. 'held' when someone else holds it; undefined when it is free or ran out after someone else held it
 * (taken the usual way).
 */
async function handedTo(platform: Pick<Platform, 'kvs' | 'clock' | 'log'>, name: string, seq: number): Promise<number | 'held' | undefined> {
  const held = await leaseRecord.find(platform, name);
  const now = platform.clock.now();
  if (held?.awaitsAck === seq && held.until <= now) return takeOver(platform.kvs, name, now);
  if (!held || held.until <= now) return undefined;
  if (held.awaitsAck !== seq || held.until - now <= RENEW_MARGIN_MS) return 'held';
  return keptOrRenewed(platform.kvs, name, held.until, now);
}

/**
 * A lease this worker may take as its own (handed to it, or stranded by it), running until `until`: kept as
 * it is with more than HANDED_MARGIN_MS left, else renewed with one write. No one else may take a lease
 * before its end, so writing it anew takes it from no one.
 */
function keptOrRenewed(kvs: Platform['kvs'], name: string, until: number, now: number): Promise<number> | number {
  return until - now > HANDED_MARGIN_MS ? until : takeOver(kvs, name, now);
}

/**
 * Writes the lease `name` anew, for LEASE_MS from `now`: for a holder renewing its own, or for one taking
 * over a lease that ran out (its holder died or waited too long), read just before. One write: two workers
 * taking over the same run-out lease at the same moment can both write it, as they could with a delete and
 * an only-if-absent write (the second's delete would drop the first's new lease), so nothing stronger is
 * bought by the two writes; a lease runs for a minute, long past any step's reads and writes.
 */
async function takeOver(kvs: Platform['kvs'], name: string, now: number): Promise<number> {
  const until = now + LEASE_MS;
  await kvs.set(lockKey(name), { until });
  return until;
}

/**
 * Leases this invocation took and could not let go, by name, with when each runs out: storage refused the
 * delete (a rate limit, which refuses the step's own writes too). Still this invocation's own, so work here
 * that takes the lease again (a bulk page trying an issue again after the limit's wait) takes it without a
 * write rather than finding it held by itself until it runs out, a minute of the issue sent nowhere.
 */
const strandedByInvocation = new WeakMap<object, Map<string, number>>();

/** The stranded lease `name` taken back, renewed with one write when less than HANDED_MARGIN_MS of it is left. */
async function takeBackStranded(kvs: Platform['kvs'], name: string, now: number): Promise<number | undefined> {
  const stranded = strandedByInvocation.get(kvs);
  const until = stranded?.get(name);
  if (stranded === undefined || until === undefined) return undefined;
  if (until <= now) {
    stranded.delete(name);
    return undefined;
  }
  // A renewal storage refuses leaves it stranded, for the next try.
  const taken = await keptOrRenewed(kvs, name, until, now);
  stranded.delete(name);
  return taken;
}

/**
 * Runs `fn` holding the lease `name`; `{ ran: false }` when another worker holds it. An unreadable lease is
 * logged and taken over. `ackOf`: `fn` takes the ack of this replica, which may find the lease handed on to
 * it (`leaseHandOp`); the lease is read first then, rather than written.
 */
export async function withTwinLock<T>(
  platform: Pick<Platform, 'kvs' | 'clock' | 'log'>,
  name: string,
  fn: () => Promise<T>,
  options: { ackOf?: number } = {},
): Promise<{ ran: true; value: T } | { ran: false }> {
  const { kvs } = platform;
  const now = () => platform.clock.now();
  const mine = heldBy(kvs);
  const until = mine.get(name);
  if (until !== undefined && until > now()) {
    // Only a twin's lease is taken again inside work done under it (the ack of its own replica). Any other
    // held by this invocation is held by work running beside this one (a bulk page's issues side by side,
    // each folding the day's statistics now and then): that is another worker as far as this one goes.
    if (!name.startsWith(TWIN_LOCK_PREFIX)) return { ran: false };
    return { ran: true, value: await fn() };
  }
  const key = lockKey(name);
  const ownAlready = await takeBackStranded(kvs, name, now());
  const handed = ownAlready ?? (options.ackOf === undefined ? undefined : await handedTo(platform, name, options.ackOf));
  if (handed === 'held') return { ran: false };
  const lease = { until: handed ?? now() + LEASE_MS };
  if (handed === undefined && !(await kvs.setIfAbsent(key, lease))) {
    const held = await leaseRecord.find(platform, name);
    if (held && held.until > now()) return { ran: false };
    if (!held) {
      // Let go meanwhile: taken as a free one, or by whoever was first.
      if (!(await kvs.setIfAbsent(key, lease))) return { ran: false };
    } else {
      // Its holder died: take it over.
      lease.until = await takeOver(kvs, name, now());
    }
  }
  mine.set(name, lease.until);
  try {
    return { ran: true, value: await fn() };
  } finally {
    mine.delete(name);
    forgetKept(kvs, name);
    // Let go already, in the step's last transaction: nothing to delete.
    if (!releasedByInvocation.get(kvs)?.delete(name)) {
      try {
        await kvs.delete(key);
      } catch (e) {
        const stranded = strandedByInvocation.get(kvs) ?? new Map<string, number>();
        strandedByInvocation.set(kvs, stranded.set(name, lease.until));
        throw e;
      }
    }
  }
}

/**
 * Whether this invocation holds the lease `name` and will have ended before it runs out (its remaining
 * time is known and shorter), so that it may wait on a partner under it without another worker taking
 * the lease over as a dead holder's.
 */
export function holdsUntilItsEnd(platform: Pick<Platform, 'kvs' | 'clock' | 'invocation'>, name: string): boolean {
  const until = heldByInvocation.get(platform.kvs)?.get(name);
  const remaining = platform.invocation?.remainingMs();
  return until !== undefined && remaining !== undefined && platform.clock.now() + remaining < until;
}
