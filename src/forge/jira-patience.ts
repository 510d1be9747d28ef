import type { InvocationBudget, JiraHttp } from '../ports';
import { retryAfterMsOf } from '../jira/errors';

// Jira's burst limit (a token bucket per endpoint and method, refilled every
// second: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/)
// answers 429 with a Retry-After of a second or so. A refused request did
// nothing, so it is sent again after that wait, here in the invocation that
// made it: going back to the queue for a one-second wait costs an event, a new
// invocation and the work's storage reads again, and for a replica applied as
// it arrives it costs the partner a "queued" answer and the apply a second
// pass. Longer waits (the hourly points quota, a per-issue write limit, an
// outage) are the app's "later", as before, and so is a wait the invocation
// has no time left for.

/** A Retry-After up to this is waited out in place; a longer one is handed back. */
export const SHORT_RETRY_AFTER_MS = 2_000;
/** How many times one request is sent again after a short 429. */
export const SHORT_RETRIES = 3;
/** Time the invocation must still have after the wait, for the work the request is part of. */
export const TIME_LEFT_AFTER_WAIT_MS = 15_000;

export interface PatienceDeps {
  invocation: InvocationBudget;
  sleep: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1: spreads the waits, so requests refused together do not all come back in the same instant. */
  random: () => number;
}

/** `http`, with each short 429 waited out and the request sent again (up to SHORT_RETRIES times). */
export function waitingOutBursts(http: JiraHttp, deps: PatienceDeps): JiraHttp {
  return {
    async request(request, options) {
      for (let retry = 0; ; retry++) {
        const response = await http.request(request, options);
        if (response.status !== 429 || retry >= SHORT_RETRIES) return response;
        const wait = shortWaitMs(response.headers.get('retry-after'), deps);
        if (wait === undefined) return response;
        await response.text().catch(() => undefined); // the refusal's body, read so the connection is free
        await deps.sleep(wait);
      }
    },
  };
}

/** How long to wait before sending again, or undefined when the wait is long or the time short. */
function shortWaitMs(retryAfter: string | null, deps: PatienceDeps): number | undefined {
  const asked = retryAfterMsOf(retryAfter);
  if (asked === undefined || asked > SHORT_RETRY_AFTER_MS) return undefined;
  // Up to half again: the bucket refills each second, so spread returns over that second.
  const wait = Math.ceil(Math.max(asked, 250) * (1 + deps.random() / 2));
  const left = deps.invocation.remainingMs();
  if (left !== undefined && left - wait < TIME_LEFT_AFTER_WAIT_MS) return undefined;
  return wait;
}
