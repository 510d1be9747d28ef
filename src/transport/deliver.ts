import type { KvsTransactionOp, Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { PushReply, type Outcome } from '../domain/protocol';
import { getConnection } from '../connections/store';
import { markEndedByPartner } from '../connections/partner-ended';
import { completeDelivery } from './complete';
import { acquireLease, deliveryLeaseReleaseOp, LEASE_MS, recordBusy, recordContact, recordFailure, recordSuccess, releaseLease, renewLease, type FailureReport } from './delivery-state';
import { BUSY_RETRY_AFTER_SECONDS } from './responses';
import { isTransient } from '../domain/errors';
import { postEnvelope, type PartnerReply } from './http';
import { forgetWarmKeyring, keyringOf, notePartnerKey } from './keyring';
import { pushWork, takeKick } from './kick';
import { hasPending, peek, remove, removalOp, setAside, type OutboxEntry } from './outbox';
import { receiveEnvelope } from './receive';
import { settingsOf, type TransportDeps, type TransportSettings } from './types';

// The delivery worker for connections we push to (and local ones): one
// worker per connection at a time sends the outbox in order and stops at the
// first failure, scheduling its own retry. Nothing leaves the outbox until
// the partner has taken it.

const MAX_PER_RUN = 200;
const PAGE = 25;

type Step = 'sent' | 'stopped';

export interface DeliverOptions {
  /** Inline delivery (./inline-delivery.ts): at most this many messages, then the rest goes to the queue. */
  maxMessages?: number;
}

export async function deliverOutbox(platform: Platform, deps: TransportDeps, connectionId: string, options: DeliverOptions = {}): Promise<void> {
  const settings = settingsOf(deps);
  const inline = options.maxMessages !== undefined;
  // A queued worker took the nudge; inline delivery had none sent.
  if (!inline) await takeKick(platform, connectionId);
  for (let round = 0; round < (inline ? 1 : 5); round++) {
    const connection = await getConnection(platform, connectionId);
    if (!connection || connection.state !== 'active') return;
    if (connection.delivery !== 'push' && connection.delivery !== 'local') return;
    const holder = platform.random.uuid();
    if (!(await acquireLease(platform, connectionId, holder))) return;
    let result: 'drained' | 'stopped' | 'budget';
    try {
      result = await drain(platform, deps, connection, holder, settings, options.maxMessages ?? MAX_PER_RUN);
    } finally {
      await releaseLease(platform, connectionId, holder).catch(async (e: unknown) => {
        if (!isTransient(e)) throw e;
        // Storage would not let go of the lease (a rate limit), so every other worker turns away until it runs
        // out: come back then, or the outbox would wait for the five-minute schedule.
        await pushWork(platform, { kind: 'transport.deliver', connectionId }, LEASE_MS / 1000 + 1);
      });
    }
    if (result === 'stopped') return;
    if (result === 'budget') break;
    // A message enqueued while we held the lease had its nudge turned away: look once more.
    if (!(await hasPending(platform, connectionId))) return;
  }
  await pushWork(platform, { kind: 'transport.deliver', connectionId });
}

async function drain(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  holder: string,
  settings: TransportSettings,
  maxMessages: number,
): Promise<'drained' | 'stopped' | 'budget'> {
  let count = 0;
  for (;;) {
    const entries = await peek(platform, connection.id, Math.min(PAGE, maxMessages + 1));
    if (!entries.length) return 'drained';
    // A short page was the whole outbox when it was read; what came in since, the look after the lease goes finds.
    const whole = entries.length < Math.min(PAGE, maxMessages + 1);
    for (const [index, entry] of entries.entries()) {
      if (count >= maxMessages) return 'budget';
      // The last message of the whole outbox lets go of the lease in the transaction that settles it.
      const release = whole && index === entries.length - 1 ? deliveryLeaseReleaseOp(platform, connection.id, holder) : undefined;
      if ((await deliverOne(platform, deps, connection, entry, settings, release)) === 'stopped') return 'stopped';
      count++;
      // (Not after the last message: its transaction may have let go of the lease.)
      if (count % 20 === 0 && !release) await renewLease(platform, connection.id, holder);
    }
    if (whole) return 'drained';
  }
}

/**
 * Refusals that mean "later", not "failed": the partner is busy (its storage over Forge's rate limit, or
 * Jira asking it to pause) or is handling this very message right now.
 */
const isLater = (code: string) => code === 'busy' || code === 'in-progress';

async function deliverOne(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  entry: OutboxEntry,
  settings: TransportSettings,
  release?: { op: KvsTransactionOp; committed(): void },
): Promise<Step> {
  const fail = async (report: FailureReport): Promise<Step> => {
    const delay = await recordFailure(platform, connection.id, report, settings);
    await pushWork(platform, { kind: 'transport.deliver', connectionId: connection.id }, delay);
    return 'stopped';
  };
  const later = async (retryAfterSeconds: number): Promise<Step> => {
    const delay = await recordBusy(platform, connection.id, retryAfterSeconds);
    await pushWork(platform, { kind: 'transport.deliver', connectionId: connection.id }, delay);
    return 'stopped';
  };
  const settle = async (outcome: Outcome): Promise<Step> => {
    if (outcome.status === 'refused') {
      if (!outcome.retryable) {
        await setAside(platform, connection.id, entry, outcome.reason);
        return 'sent';
      }
      if (isLater(outcome.code)) return later(BUSY_RETRY_AFTER_SECONDS);
      return fail({ reason: outcome.reason, partnerDeactivated: outcome.code === 'deactivated' });
    }
    let removed: boolean;
    try {
      removed = await completeDelivery(platform, deps, connection, entry.envelope, outcome.result, [removalOp(connection.id, entry.envelope.seq), ...(release ? [release.op] : [])]);
    } catch (e) {
      return fail({ reason: `The partner took a ${entry.envelope.type} message, but handling its answer failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    // Not in a transaction of the answer's: removed alone, and the lease let go as usual.
    if (removed) release?.committed();
    else await remove(platform, connection.id, entry.envelope.seq);
    await recordSuccess(platform, connection.id);
    return 'sent';
  };

  if (connection.delivery === 'local') {
    const other = await getConnection(platform, connection.remote.connectionId);
    if (!other) return fail({ reason: 'The other half of this local connection is gone.', permanent: true });
    return settle(await receiveEnvelope(platform, deps, other, entry.envelope));
  }
  return push(platform, connection, entry, settings, { fail, later, settle });
}

/** The partner refused our signature (401), or answered with one our keys do not verify. */
const notTakenForKeys = (reply: PartnerReply) => reply.kind === 'refused' && !reply.signed && (reply.status === 401 || reply.code === 'unverified-answer');

/** Sends one message to the partner's endpoint and sorts its answer into taken, refused for good or failed. */
async function push(
  platform: Platform,
  connection: ConnectionRecord,
  entry: OutboxEntry,
  settings: TransportSettings,
  then: { fail: (report: FailureReport) => Promise<Step>; later: (retryAfterSeconds: number) => Promise<Step>; settle: (outcome: Outcome) => Promise<Step> },
): Promise<Step> {
  const { fail, later, settle } = then;
  const noSecret = () => fail({ reason: 'This connection has no secret or partner URL stored; delete it and connect again.', permanent: true });
  let keyring = await keyringOf(platform, connection.id, { warm: true });
  if (!keyring || !connection.remote.url) return noSecret();
  let reply = await postEnvelope(platform, connection.remote.url, entry.envelope, keyring);
  if (keyring.warm && notTakenForKeys(reply)) {
    // The copy of the secrets this container held may predate a rotation made in another: send again with
    // the stored ones (the partner takes a message it already has as a repeat, by its id).
    forgetWarmKeyring(platform, connection.id);
    keyring = await keyringOf(platform, connection.id);
    if (!keyring) return noSecret();
    reply = await postEnvelope(platform, connection.remote.url, entry.envelope, keyring);
  }
  switch (reply.kind) {
    case 'unreachable':
      return fail({ reason: `The partner could not be reached (${reply.reason}).` });
    case 'refused':
      if (reply.goneSigned) {
        // The partner deleted the connection while we could not hear it: its tombstone says so, signed.
        await markEndedByPartner(platform, connection, { uninstalled: false });
        return 'stopped';
      }
      // A signed refusal still proves the partner is there and holds the secret.
      if (reply.signed) await recordContact(platform, connection.id);
      if (reply.status === 422 && reply.signed) return settle({ status: 'refused', retryable: false, code: reply.code, reason: reply.reason });
      // Busy (its storage over Forge's rate limit, or Jira asking it to pause): later, not a failure.
      if (isLater(reply.code) && reply.retryable) return later(reply.retryAfterSeconds ?? BUSY_RETRY_AFTER_SECONDS);
      return fail({ reason: reply.reason, retryAfterSeconds: reply.retryAfterSeconds, permanent: !reply.retryable, partnerDeactivated: reply.signed && reply.code === 'deactivated' });
    case 'answered': {
      const parsed = PushReply.safeParse(reply.body);
      if (!parsed.success || parsed.data.messageId !== entry.envelope.messageId) {
        return fail({ reason: 'The partner answered with something that is not an answer to this message.' });
      }
      await notePartnerKey(platform, connection.id, keyring.roles[reply.keyIndex], settings.secretGraceSeconds * 1000);
      return settle(parsed.data.outcome);
    }
  }
}
