import type { Platform } from '../ports';
import { PlatformRateLimited } from '../domain/errors';

// Work that met a "later" (Jira's 429 or 503, Forge's storage rate limit) is
// put back on the queue as a new event instead of failing: the platform's own
// retries are few (four) and would drop the work once spent, while "later"
// can last as long as a busy minute lasts. The pause grows with each "later"
// in a row (the count rides along in the work's body) and is spread by
// jitter, so many waiting pieces of work do not all come back at once.

/** How many "later"s in a row this work has met; carried in its body. */
const ATTEMPTS = 'laterAttempts';

/** Forge's limits are per minute: waiting much longer than two gains nothing. */
const MAX_BACKOFF_SECONDS = 120;
/**
 * This side's own storage limits (units a minute, over a sliding minute) free up as the spending of a minute
 * ago ages out: the work that was refused can go on within seconds to a minute, never later. Past 20 s (30 s
 * with jitter) a growing wait only leaves the freed units unused: a 1,000-issue bulk stood idle for a minute
 * after its units came back while its delivery waited out an 80-s backoff.
 */
export const STORAGE_MAX_BACKOFF_SECONDS = 20;

/**
 * Seconds to wait before the `attempt`-th retry (0-based): 5, 10, 20, … up to two minutes (up to 20 s when
 * this side's storage refused: `storage`), plus up to half again.
 */
export function laterDelaySeconds(platform: Platform, attempt: number, retryAfterMs?: number, storage = false): number {
  const backoff = Math.min(storage ? STORAGE_MAX_BACKOFF_SECONDS : MAX_BACKOFF_SECONDS, 5 * 2 ** Math.min(attempt, 10));
  const jitter = 1 + (platform.random.bytes(1)[0]! / 255) * 0.5;
  const asked = retryAfterMs === undefined ? 0 : retryAfterMs / 1000;
  return Math.min(900, Math.max(1, Math.ceil(Math.max(asked, backoff * jitter))));
}

/** Queue `body` again after a pause that grows with the "later"s it has met. */
export async function queueAgainLater(platform: Platform, body: Record<string, unknown>, e: { retryAfterMs?: number }): Promise<void> {
  const attempt = typeof body[ATTEMPTS] === 'number' ? (body[ATTEMPTS] as number) : 0;
  const delayInSeconds = laterDelaySeconds(platform, attempt, e.retryAfterMs, refusedByStorage(e));
  const carry = e instanceof LaterWithCarry ? { carry: e.carry } : {};
  await platform.queue.push([{ body: { ...body, ...carry, [ATTEMPTS]: attempt + 1 }, delayInSeconds }]);
}

/**
 * A "later" that met work halfway, after it had done things storage has not
 * recorded yet (a Jira issue or comment made) and storage refused to record
 * them. `carry` holds what was done; it rides along in the queued work, so the
 * retry takes it up instead of doing it twice.
 */
export class LaterWithCarry extends Error {
  readonly transient = true;
  readonly retryAfterMs?: number;

  /** The "later" came from this side's storage limits (`PlatformRateLimited`). */
  readonly byStorage: boolean;

  constructor(
    cause: Error & { retryAfterMs?: number },
    readonly carry: Record<string, unknown>,
  ) {
    super(cause.message);
    this.name = 'LaterWithCarry';
    this.retryAfterMs = cause.retryAfterMs;
    this.byStorage = refusedByStorage(cause);
  }
}

/** Whether a "later" is this side's storage refusing (Forge's per-minute units), not Jira or a partner. */
export function refusedByStorage(e: unknown): boolean {
  return e instanceof PlatformRateLimited || (e instanceof LaterWithCarry && e.byStorage);
}
