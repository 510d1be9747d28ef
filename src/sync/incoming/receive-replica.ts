import type { Platform } from '../../ports';
import type { ConnectionRecord } from '../../domain/connection';
import type { MessageOf, ReplicaAnswer } from '../../domain/messages';
import { isTransient } from '../../domain/errors';
import { queueAgainLater } from '../later';
import { keepFilesAsChunks } from '../attachment-transfer';
import { keepInInbox, queueReplica, type InboxEntry } from './inbox';
import { sendMessage } from '../../transport';
import { applyInHand, type AnswerAck } from './work';

// A replica is applied in the invocation that receives it (the partner
// endpoint, a poll, the other half of a local connection): no inbox write, no
// queue event, no second invocation. The inbox and the queue stay the way for
// what cannot be applied at once: a large replica, too little time left,
// another worker on the twin, or Jira or storage asking to wait. The sender's
// outbox keeps the message until this answers, and the replay record answers
// a repeat, so a crash part way is retried by the sender, as before.

/** Larger replicas go through the queue, where an invocation has the time for them. */
export const APPLY_IN_HAND_MAX_BYTES = 64 * 1024;
/** Applying needs Jira reads and writes: with less time left than this, the queue applies it. */
export const APPLY_IN_HAND_MIN_MS = 30_000;

/** Inbound `replica` handler: apply it now when it is small and there is time, else inbox and queue. */
export async function receiveReplica(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'replica'>): Promise<unknown> {
  const message: InboxEntry = { ...envelope.body, sentAt: envelope.sentAt };
  // Whatever waits in the inbox keeps its inline files as chunks: a newer replica may replace it there (rapid
  // edits coalesce) without carrying the same files, and the queued apply finds them where it always looked.
  const waiting = () => keepFilesAsChunks(platform.kvs, connection.id, message);
  if (!canApplyNow(platform, message)) {
    await queueReplica(platform, connection, await waiting());
    return answered({ queued: true });
  }
  let outcome;
  const answer: AnswerAck = {};
  try {
    outcome = await applyInHand(platform, connection, message, answer);
  } catch (e) {
    // Recorded, then something after it failed: the ack cannot ride on this answer, so it goes as a message.
    await ackApart(platform, connection, answer);
    // What the apply did is recorded on the twin (or rides in the carry); the queue takes it from there.
    const work = { kind: 'sync.incoming', connectionId: connection.id, remoteIssueId: message.issueId };
    if (isTransient(e)) {
      await keepInInbox(platform, connection, await waiting());
      await queueAgainLater(platform, work, e);
    } else {
      platform.log.warn('applying a replica as it arrived failed; the queue tries again', { connectionId: connection.id, error: e instanceof Error ? e.message : String(e) });
      await queueReplica(platform, connection, await waiting());
    }
    return answered({ queued: true });
  }
  if (outcome === 'busy') {
    await queueReplica(platform, connection, await waiting());
    return answered({ queued: true });
  }
  // Paused by an error (stored, shown): the replica waits in the inbox, as queued work leaves it, for the
  // retry that the error's resolution starts (and for the sync queue page to show).
  if (outcome === 'error' || outcome === 'blocked') await keepInInbox(platform, connection, await waiting());
  return answered({ applied: outcome, ...(answer.ack ? { ack: answer.ack } : {}) });
}

/** Every answer says that this side takes small files inside the replica. */
const answered = (answer: ReplicaAnswer): ReplicaAnswer => ({ ...answer, takesFiles: true });

async function ackApart(platform: Platform, connection: ConnectionRecord, answer: AnswerAck): Promise<void> {
  if (answer.ack) await sendMessage(platform, connection.id, 'ack', answer.ack);
}

function canApplyNow(platform: Platform, message: InboxEntry): boolean {
  const remaining = platform.invocation?.remainingMs();
  if (remaining !== undefined && remaining < APPLY_IN_HAND_MIN_MS) return false;
  return Buffer.byteLength(JSON.stringify(message), 'utf8') <= APPLY_IN_HAND_MAX_BYTES;
}
