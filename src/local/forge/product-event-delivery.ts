// When the local Forge platform delivers a product event after the change that
// fired it. Forge promises neither promptness nor order: "events can be
// delivered up to 3 minutes late" (https://developer.atlassian.com/platform/forge/manifest-reference/modules/trigger/,
// docs/forge-limits.md), and nothing is said about ordering. The default
// delivers at once; a late delivery draws each event's delay from a seeded
// generator on the runtime's clock, so a run can be repeated exactly, and events
// whose delays cross arrive out of order, as on Forge.

/** How late Forge may deliver a product event. */
export const FORGE_PRODUCT_EVENT_MAX_LATENESS_MS = 180_000;

export interface ProductEventDelivery {
  /** How long after the change this event is delivered, in ms. */
  delayMs(eventType: string): number;
}

/** Every event as soon as the change is committed. */
export const immediateDelivery: ProductEventDelivery = { delayMs: () => 0 };

export interface LateDeliveryOptions {
  /** The longest delay, at most Forge's three minutes (the default). */
  maxDelayMs?: number;
  /** The shortest delay (default 0). */
  minDelayMs?: number;
  /** Seed of the delays: the same seed gives the same delays in the same order. */
  seed: number;
}

/** Each event late by a delay drawn uniformly from [min, max]; crossing delays reorder events. */
export function lateDelivery(options: LateDeliveryOptions): ProductEventDelivery {
  const max = options.maxDelayMs ?? FORGE_PRODUCT_EVENT_MAX_LATENESS_MS;
  const min = options.minDelayMs ?? 0;
  if (!(min >= 0 && max >= min)) throw new RangeError(`product-event delay range [${min}, ${max}] ms is not a range`);
  if (max > FORGE_PRODUCT_EVENT_MAX_LATENESS_MS) throw new RangeError(`Forge delivers product events at most ${FORGE_PRODUCT_EVENT_MAX_LATENESS_MS / 1000} s late; ${max} ms asked`);
  const next = mulberry32(options.seed);
  return { delayMs: () => Math.round(min + next() * (max - min)) };
}

/** A small seeded generator of numbers in [0, 1): deterministic, and good enough for spreading delays. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
