import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { killedAndRestarted } from './scenarios';

afterEach(() => vi.useRealTimers());

describe('process killed during syncs and restarted', () => {
  it('finishes all 300 syncs after 30 kills at pseudo-random points: nothing lost, nothing twice', async () => {
    const t = await killedAndRestarted({ issues: 30, syncs: 300, restarts: 30, seed: 301 });
    print(t);
    expect(t).toMatchObject({ changesMade: 300, changesArrived: 300, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });

  it('the same over a private connection (green polls blue; its chain survives every kill): nothing lost, nothing twice', async () => {
    const t = await killedAndRestarted({ issues: 30, syncs: 300, restarts: 30, seed: 302, destination: 'private' });
    print(t);
    expect(t).toMatchObject({ changesMade: 300, changesArrived: 300, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });
});
