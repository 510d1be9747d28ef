import { describe, expect, it } from 'vitest';
import { PlatformRateLimited } from '../../src/domain/errors';
import { acquireLease, releaseLease } from '../../src/transport/delivery-state';
import { leaseKey } from '../../src/transport/keys';
import { createMemoryPlatform } from '../support/memory-platform';

// A delivery lease left held turns every other worker away until it runs out (two minutes): a private
// connection then stalls, as the real-time private-latency bench showed when a storage "later" of a second
// struck the release, and a 1,000-issue bulk stood idle a minute after its storage units came back. The
// release waits a storage "later" out, about a minute in all (a unit limit's window), while the invocation
// has the time; past that it is the caller's to queue around.

function platformRefusingDeletes(times: number, remainingMs?: () => number) {
  const slept: number[] = [];
  const platform = createMemoryPlatform(remainingMs ? { remainingMs } : {});
  let refusals = times;
  platform.kvs.beforeOp = (op, key) => {
    if (op === 'delete' && key.startsWith('lease:') && refusals-- > 0) throw new PlatformRateLimited('over kvs.writeUnitsPerMinute');
  };
  return {
    platform: {
      ...platform,
      sleep: async (ms: number) => {
        slept.push(ms);
        platform.clock.advance(ms);
      },
    },
    slept,
  };
}

describe('letting go of a delivery lease when storage says "later"', () => {
  it('waits a short "later" out and lets go', async () => {
    const { platform, slept } = platformRefusingDeletes(2);
    expect(await acquireLease(platform, 'c1', 'worker-a')).toBe(true);
    await releaseLease(platform, 'c1', 'worker-a');
    expect(slept).toEqual([1_000, 2_000]);
    expect(await platform.kvs.get(leaseKey('c1'))).toBeUndefined();
    expect(await acquireLease(platform, 'c1', 'worker-b')).toBe(true);
  });

  it("waits out a minute's unit limit, in an invocation with the time for it", async () => {
    const { platform, slept } = platformRefusingDeletes(6, () => 600_000);
    expect(await acquireLease(platform, 'c1', 'worker-a')).toBe(true);
    await releaseLease(platform, 'c1', 'worker-a');
    expect(slept.reduce((a, b) => a + b, 0)).toBe(45_000);
    expect(await acquireLease(platform, 'c1', 'worker-b')).toBe(true);
  });

  it('gives up after about a minute, or at once without the time to wait, for the caller to queue around', async () => {
    const persistent = platformRefusingDeletes(20, () => 600_000);
    expect(await acquireLease(persistent.platform, 'c1', 'worker-a')).toBe(true);
    await expect(releaseLease(persistent.platform, 'c1', 'worker-a')).rejects.toBeInstanceOf(PlatformRateLimited);
    expect(persistent.slept.reduce((a, b) => a + b, 0)).toBe(60_000);

    const short = platformRefusingDeletes(1, () => 5_500);
    expect(await acquireLease(short.platform, 'c1', 'worker-a')).toBe(true);
    await expect(releaseLease(short.platform, 'c1', 'worker-a')).rejects.toBeInstanceOf(PlatformRateLimited);
    expect(short.slept).toEqual([]);
  });
});
