import { describe, expect, it } from 'vitest';
import { PlatformRateLimited } from '../../src/domain/errors';
import { acquireLease, releaseLease } from '../../src/transport/delivery-state';
import { leaseKey } from '../../src/transport/keys';
import { createMemoryPlatform } from '../support/memory-platform';

// A delivery lease left held turns every other worker away until it runs out (two minutes): a private
// connection then stalls, as the real-time private-latency bench showed when a storage "later" of a second
// struck the release. The release waits such a "later" out; a longer one is the caller's to queue around.

function platformRefusingDeletes(times: number, retryAfterMs: number) {
  const slept: number[] = [];
  const platform = createMemoryPlatform();
  let refusals = times;
  platform.kvs.beforeOp = (op, key) => {
    if (op === 'delete' && key.startsWith('lease:') && refusals-- > 0) throw new PlatformRateLimited('requests a second', retryAfterMs);
  };
  return { platform: { ...platform, sleep: async (ms: number) => void slept.push(ms) }, slept };
}

describe('letting go of a delivery lease when storage says "later"', () => {
  it('waits a short "later" out and lets go', async () => {
    const { platform, slept } = platformRefusingDeletes(2, 1_000);
    expect(await acquireLease(platform, 'c1', 'worker-a')).toBe(true);
    await releaseLease(platform, 'c1', 'worker-a');
    expect(slept).toEqual([1_000, 1_000]);
    expect(await platform.kvs.get(leaseKey('c1'))).toBeUndefined();
    expect(await acquireLease(platform, 'c1', 'worker-b')).toBe(true);
  });

  it('gives up after three tries, and on a "later" too long to wait in an invocation, for the caller to queue around', async () => {
    const persistent = platformRefusingDeletes(5, 1_000);
    expect(await acquireLease(persistent.platform, 'c1', 'worker-a')).toBe(true);
    await expect(releaseLease(persistent.platform, 'c1', 'worker-a')).rejects.toBeInstanceOf(PlatformRateLimited);
    expect(persistent.slept).toHaveLength(2);

    const long = platformRefusingDeletes(1, 40_000);
    expect(await acquireLease(long.platform, 'c1', 'worker-a')).toBe(true);
    await expect(releaseLease(long.platform, 'c1', 'worker-a')).rejects.toBeInstanceOf(PlatformRateLimited);
    expect(long.slept).toEqual([]);
  });
});
