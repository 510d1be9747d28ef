import { describe, expect, it } from 'vitest';
import { FORGE_PRODUCT_EVENT_MAX_LATENESS_MS, immediateDelivery, lateDelivery } from '../../src/local/forge/product-event-delivery';

describe('product-event delivery', () => {
  it('delivers at once by default', () => {
    expect(immediateDelivery.delayMs('avi:jira:updated:issue')).toBe(0);
  });

  it('draws the same delays from the same seed, within Forge\'s three minutes, in no order', () => {
    const draw = (seed: number) => {
      const late = lateDelivery({ seed });
      return Array.from({ length: 500 }, () => late.delayMs('avi:jira:updated:issue'));
    };
    const delays = draw(7);
    expect(draw(7)).toEqual(delays);
    expect(draw(8)).not.toEqual(delays);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(FORGE_PRODUCT_EVENT_MAX_LATENESS_MS);
    // Spread over the range, so later events overtake earlier ones.
    expect(Math.max(...delays)).toBeGreaterThan(0.9 * FORGE_PRODUCT_EVENT_MAX_LATENESS_MS);
    expect(delays.filter((d, i) => i > 0 && d < delays[i - 1]!).length).toBeGreaterThan(100);
  });

  it('refuses a delay Forge would not impose, and a range that is not one', () => {
    expect(() => lateDelivery({ seed: 1, maxDelayMs: FORGE_PRODUCT_EVENT_MAX_LATENESS_MS + 1 })).toThrow(/at most 180 s late/);
    expect(() => lateDelivery({ seed: 1, minDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow(/not a range/);
  });
});
