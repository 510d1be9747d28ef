import { z } from 'zod';
import { FORGE_LIMITS, type LimitName } from './limits';
import { SlidingWindow } from './sliding-window';

// Forge's async-events limits on one push request, per installation
// (https://developer.atlassian.com/platform/forge/limits-async-events/): events
// and bytes per push, events per minute, each event's size for a consumer that
// runs over 55 s, the delay, and push requests per invocation chain. Each
// refusal is answered the way @forge/events turns into the error the Forge
// pages name (…/runtime-reference/async-events-api-error-handling/): 413 →
// PayloadTooBigError, 429 → RateLimitError, 405 → InvocationLimitReachedError.
// The SDK checks the count and the delay itself before it sends; these checks
// stand below it, so nothing can go around them. A refused push queues nothing
// and charges nothing.

const L = FORGE_LIMITS.events;

/** The publish request @forge/events sends (Queue.push), as far as the runtime reads it. */
export const PushRequestSchema = z.object({
  queueName: z.string().min(1),
  jobId: z.string().min(1),
  payload: z.array(z.object({ body: z.record(z.string(), z.unknown()), delayInSeconds: z.number().optional() }).passthrough()),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export interface PushRefusal {
  limit: LimitName;
  status: 400 | 405 | 413 | 429;
  message: string;
}

export class PushLimits {
  private readonly perMinute = new Map<string, SlidingWindow>();

  /**
   * The first limit `request` goes over, or undefined when it may be queued. `consumerSeconds` is the
   * timeout of the consumer that will take the events; `chainPushes` how many pushes its chain has made.
   * `enforceRates`: the per-minute and per-chain limits (rates); shapes and sizes are always held.
   */
  check(
    installation: string,
    now: number,
    request: PushRequest,
    context: { consumerSeconds: number; chainPushes: number; enforceRates: boolean },
  ): PushRefusal | undefined {
    const events = request.payload;
    if (events.length === 0) return { limit: 'events.eventsPerPush', status: 400, message: 'No events pushed.' };
    if (events.length > L.eventsPerPush) {
      return { limit: 'events.eventsPerPush', status: 413, message: `This push contains ${events.length} events; at most ${L.eventsPerPush} are allowed.` };
    }
    for (const e of events) {
      const delay = e.delayInSeconds ?? 0;
      if (delay < 0 || delay > L.delayMaxSeconds) {
        return { limit: 'events.delayMaxSeconds', status: 400, message: `The delayInSeconds setting must be between 0 and ${L.delayMaxSeconds}.` };
      }
    }
    const bytes = Buffer.byteLength(JSON.stringify(events));
    if (bytes > L.pushMaxBytes) {
      return { limit: 'events.pushMaxBytes', status: 413, message: `The combined payload of this push is ${bytes} bytes; at most ${L.pushMaxBytes} are allowed.` };
    }
    if (context.consumerSeconds > L.longRunningAboveSeconds) {
      for (const e of events) {
        const size = Buffer.byteLength(JSON.stringify(e));
        if (size > L.longRunningEventMaxBytes) {
          return {
            limit: 'events.longRunningEventMaxBytes',
            status: 413,
            message: `An event of ${size} bytes is over the ${L.longRunningEventMaxBytes} bytes allowed for a consumer whose timeout is over ${L.longRunningAboveSeconds} s.`,
          };
        }
      }
    }
    if (!context.enforceRates) return undefined;
    if (context.chainPushes >= L.cyclicPushesPerChain) {
      return { limit: 'events.cyclicPushesPerChain', status: 405, message: 'The limit on cyclic invocation has been reached.' };
    }
    if (!this.window(installation).fits(now, events.length)) {
      return { limit: 'events.eventsPerMinute', status: 429, message: `More than ${L.eventsPerMinute} events pushed in a minute.` };
    }
    return undefined;
  }

  /** Charge an accepted push to the installation's minute. */
  commit(installation: string, now: number, events: number): void {
    this.window(installation).add(now, events);
  }

  /** How long until `events` more would fit in the installation's minute. */
  waitMs(installation: string, now: number, events: number): number {
    return this.window(installation).waitMs(now, events);
  }

  private window(installation: string): SlidingWindow {
    let w = this.perMinute.get(installation);
    if (!w) this.perMinute.set(installation, (w = new SlidingWindow(L.eventsPerMinute, 60_000)));
    return w;
  }
}
