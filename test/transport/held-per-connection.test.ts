import { describe, expect, it } from 'vitest';
import { forgetEverythingHeld, heldPerConnection } from '../../src/domain/held-across-invocations';

// What a warm container holds across invocations (secrets, the last sequence claimed, delivery state,
// published rules) goes through one helper: per installation and connection, bounded, aged, forgettable.

describe('heldPerConnection', () => {
  const blue = { installation: 'inst-blue' };
  const green = { installation: 'inst-green' };

  it('keeps a copy per installation and connection: the same connection id on two installations is two copies', () => {
    const held = heldPerConnection<string>({ capacity: 10 });
    held.set(blue, 'c-1', 'blue copy', 0);
    held.set(green, 'c-1', 'green copy', 0);
    expect(held.get(blue, 'c-1', 0)).toBe('blue copy');
    expect(held.get(green, 'c-1', 0)).toBe('green copy');
    held.forget(blue, 'c-1');
    expect(held.get(blue, 'c-1', 0)).toBeUndefined();
    expect(held.get(green, 'c-1', 0)).toBe('green copy');
  });

  it('holds nothing for a platform that does not say which installation it serves', () => {
    const held = heldPerConnection<string>({ capacity: 10 });
    held.set({}, 'c-1', 'copy', 0);
    expect(held.get({}, 'c-1', 0)).toBeUndefined();
  });

  it('trusts a copy for maxAgeMs only, and not at all from a clock that went back', () => {
    const held = heldPerConnection<number>({ capacity: 10, maxAgeMs: 60_000 });
    held.set(blue, 'c-1', 7, 1_000_000);
    expect(held.get(blue, 'c-1', 1_059_999)).toBe(7);
    expect(held.get(blue, 'c-1', 1_060_000)).toBeUndefined();
    expect(held.get(blue, 'c-1', 999_999)).toBeUndefined();
  });

  it('lets the oldest copy go past its capacity, and a copy written again counts as new', () => {
    const held = heldPerConnection<number>({ capacity: 2 });
    held.set(blue, 'a', 1, 0);
    held.set(blue, 'b', 2, 0);
    held.set(blue, 'a', 3, 0);
    held.set(blue, 'c', 4, 0);
    expect([held.get(blue, 'a', 0), held.get(blue, 'b', 0), held.get(blue, 'c', 0)]).toEqual([3, undefined, 4]);
  });

  it('is forgotten with everything else a container holds (the local runtime opening another data directory)', () => {
    const held = heldPerConnection<number>({ capacity: 2 });
    held.set(blue, 'a', 1, 0);
    forgetEverythingHeld();
    expect(held.get(blue, 'a', 0)).toBeUndefined();
  });
});
