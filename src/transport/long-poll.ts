import type { Platform } from '../ports';
import { hasPending } from './outbox';

// The long poll of a private connection. While the connection is busy, the
// private side's poll asks the public side to hold it open until its outbox
// for that connection holds something, so a message queued on the public side
// goes out within one look at the outbox instead of at the next poll. The
// public side decides how long it holds whatever is asked: a partner cannot
// keep this side's web trigger invocations running for long.
//
// Forge's limits (docs/forge-limits.md): a web trigger runs at most 55 s; the
// private side's poll runs in the queue consumer (manifest.yml: 900 s), which
// gives each partner call min(55 s, what is left − 5 s). Each look at the
// outbox is one storage request of one read unit (an empty query counts one):
// every LONG_POLL_CHECK_MS while a poll is held.

/** The longest the public side holds a poll, whatever the private side asks: well inside the web trigger's 55 s. */
export const LONG_POLL_CAP_SECONDS = 20;
/** What the private side asks for: the cap, so one held poll covers a whole link of the chain. */
export const LONG_POLL_ASK_SECONDS = LONG_POLL_CAP_SECONDS;
/**
 * How often a held poll looks at the outbox. Half a second adds 0.25 s at the median to a message from the
 * public side and costs 120 requests (120 read units) a minute per held poll: 3 % of Forge's 4,000 read units
 * a minute per installation, 0.2 % of its 1,000 requests a second.
 */
export const LONG_POLL_CHECK_MS = 500;
/**
 * Kept back from the web trigger's remaining time for answering after the wait (reading the outbox, signing,
 * the answer itself): a held poll never brings its invocation near Forge's limit.
 */
export const HOLD_MARGIN_MS = 10_000;
/** How long one link of the poll chain long-polls (and so the delay its next link is pushed with) while busy. */
export const LONG_POLL_SESSION_SECONDS = LONG_POLL_CAP_SECONDS;

/** Public side: how long a poll asking for `askedSeconds` is held, given what is left of this invocation (unknown: the cap alone). */
export function holdMs(askedSeconds: number | undefined, remainingMs: number | undefined): number {
  if (!askedSeconds || !Number.isFinite(askedSeconds) || askedSeconds <= 0) return 0;
  const capped = Math.min(askedSeconds, LONG_POLL_CAP_SECONDS) * 1000;
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return capped;
  return Math.max(0, Math.min(capped, remainingMs - HOLD_MARGIN_MS));
}

export interface HeldPoll {
  /** The outbox holds something (else the hold ran out). */
  found: boolean;
  /** Looks at the outbox (storage requests) made while holding. */
  checks: number;
  waitedMs: number;
}

/** Public side: waits until the connection's outbox holds something or `ms` have passed, looking every `checkMs`. */
export async function holdUntilOutbox(platform: Platform, connectionId: string, ms: number, checkMs = LONG_POLL_CHECK_MS): Promise<HeldPoll> {
  const start = platform.clock.now();
  const end = start + ms;
  let checks = 0;
  if (!platform.sleep || ms <= 0) return { found: false, checks, waitedMs: 0 };
  for (;;) {
    const left = end - platform.clock.now();
    if (left <= 0) return { found: false, checks, waitedMs: platform.clock.now() - start };
    await platform.sleep(Math.min(checkMs, left));
    checks++;
    if (await hasPending(platform, connectionId)) return { found: true, checks, waitedMs: platform.clock.now() - start };
  }
}
