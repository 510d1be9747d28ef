// KVS keys the transport owns, per connection. Sequence numbers are padded so
// key order is send order.

export const padSeq = (seq: number) => String(seq).padStart(12, '0');

export const outboxPrefix = (connectionId: string) => `outbox:${connectionId}:`;
export const outboxKey = (connectionId: string, seq: number) => `${outboxPrefix(connectionId)}${padSeq(seq)}`;
export const seqHintKey = (connectionId: string) => `outbox-seq:${connectionId}`;
export const seqClaimPrefix = (connectionId: string) => `outbox-claim:${connectionId}:`;
export const seqClaimKey = (connectionId: string, seq: number) => `${seqClaimPrefix(connectionId)}${padSeq(seq)}`;
export const seenPrefix = (connectionId: string) => `seen:${connectionId}:`;
export const seenKey = (connectionId: string, messageId: string) => `${seenPrefix(connectionId)}${messageId}`;
/**
 * Replay records by expiry, as versions before the records' own TTL wrote them; only swept now
 * (`pruneSeen`) until none are left.
 */
export const seenExpiryPrefix = (connectionId: string) => `seen-expiry:${connectionId}:`;
export const seenExpiryKey = (connectionId: string, expiresAt: number, messageId: string) =>
  `${seenExpiryPrefix(connectionId)}${String(expiresAt).padStart(15, '0')}:${messageId}`;
export const deliveryKey = (connectionId: string) => `delivery:${connectionId}`;
export const kickKey = (connectionId: string) => `kick:${connectionId}`;
export const leaseKey = (connectionId: string) => `lease:${connectionId}`;
export const pollChainKey = (connectionId: string) => `poll-chain:${connectionId}`;
export const pollHopPrefix = (connectionId: string) => `poll-hop:${connectionId}:`;
export const pollHopKey = (connectionId: string, chainId: string, hop: number) => `${pollHopPrefix(connectionId)}${chainId}:${padSeq(hop)}`;
/** When the private side last saw a change move on the connection (either way): what the poll interval follows. */
export const pollActivityKey = (connectionId: string) => `poll-activity:${connectionId}`;
/** Installation-wide: how many connections poll, and so the shortest interval each may use. */
export const POLL_BUDGET_KEY = 'poll-budget';
export const pollConfirmsKey = (connectionId: string) => `poll-confirms:${connectionId}`;
export const tombstoneKey = (connectionId: string) => `tombstone:${connectionId}`;
export const TOMBSTONE_PREFIX = 'tombstone:';
export const tombstoneSecretKey = (connectionId: string) => `tombstone-secret:${connectionId}`;
/** Messages the partner refused for good (a protocol fault, not an outage): kept for a person to see. */
export const deadLetterKey = (connectionId: string, seq: number) => `outbox-dead:${connectionId}:${padSeq(seq)}`;
export const deadLetterPrefix = (connectionId: string) => `outbox-dead:${connectionId}:`;
