import type { HttpResponse, Platform } from '../ports';
import { checkPartnerUrl } from './partner-url';

// Every call to a partner goes through here: the URL is checked, and the call
// gets a deadline inside what is left of this invocation. Forge ends a
// function at its time limit (resolvers and triggers 25 s, web triggers 55 s,
// consumers their declared timeout), so a partner that never answers must not
// take the invocation down with it: the call is abandoned in time for the
// caller to record the failure and schedule a retry.

/** Longest wait per kind of call, whatever the invocation has left. */
export const CALL_CAP_MS = {
  /**
   * A signed message: the partner's web trigger answers it within its own 55 s limit (Forge), so waiting
   * longer cannot bring an answer.
   */
  exchange: 55_000,
  /** "Who are you" while an admin waits in the connection wizard. */
  describe: 10_000,
} as const;
export type PartnerCallKind = keyof typeof CALL_CAP_MS;

/** Kept back from the invocation's remaining time for what follows the call (recording the outcome, queueing a retry). */
export const SAFETY_MARGIN_MS = 5_000;
/** Below this there is no point starting a call. */
export const MIN_CALL_MS = 1_000;

export type CallBudget = { start: true; timeoutMs: number } | { start: false; remainingMs: number };

/** The deadline for one call: min(cap, remaining − margin); no call at all when that leaves too little. */
export function callBudget(kind: PartnerCallKind, remainingMs: number | undefined): CallBudget {
  const cap = CALL_CAP_MS[kind];
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return { start: true, timeoutMs: cap };
  const usable = Math.floor(remainingMs - SAFETY_MARGIN_MS);
  if (usable < MIN_CALL_MS) return { start: false, remainingMs: Math.max(0, remainingMs) };
  return { start: true, timeoutMs: Math.min(cap, usable) };
}

/** "20 s", "2.5 s", "20 ms": how long a wait was, for messages a person reads. */
export function formatWait(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1_000).toFixed(1))} s`;
}

export type PartnerCallResult =
  | { kind: 'answered'; response: HttpResponse; text: string }
  /** The URL may not be called at all: no retry will change that. */
  | { kind: 'refused-url'; reason: string }
  /** No answer (network error, timeout, or no time left to try): the caller retries later. */
  | { kind: 'unreachable'; reason: string };

class PartnerTimeout extends Error {}

export async function callPartner(
  platform: Platform,
  url: string,
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string },
  kind: PartnerCallKind,
): Promise<PartnerCallResult> {
  const checked = checkPartnerUrl(url, platform.partnerUrls);
  if (!checked.ok) return { kind: 'refused-url', reason: checked.reason };
  const budget = callBudget(kind, platform.invocation?.remainingMs());
  if (!budget.start) {
    return { kind: 'unreachable', reason: `${url} was not called: only ${formatWait(budget.remainingMs)} of this invocation were left` };
  }

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new PartnerTimeout(`${url} did not answer within ${formatWait(budget.timeoutMs)}`);
      controller.abort(timeout);
      reject(timeout);
    }, budget.timeoutMs);
  });
  // The body is read under the same deadline: a partner that sends headers and then stalls is no better.
  const answered = (async () => {
    const response = await platform.partner.fetch(url, { ...init, signal: controller.signal });
    return { response, text: await response.text() };
  })();
  // Once the deadline wins, the abandoned call may still fail later; that is expected, not unhandled.
  answered.catch(() => undefined);
  try {
    const { response, text } = await Promise.race([answered, deadline]);
    return { kind: 'answered', response, text };
  } catch (e) {
    // A platform fetch that rejects with its own AbortError still means our deadline passed.
    const reason = controller.signal.aborted && controller.signal.reason instanceof PartnerTimeout ? controller.signal.reason.message : messageOf(e);
    return { kind: 'unreachable', reason };
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
