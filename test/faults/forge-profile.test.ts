import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { killedAndRestarted, partnerDown } from './scenarios';

// Fault scenarios under the Forge latency profile (src/local/forge/latency-profile.ts): every storage and
// Jira call, web trigger and queue pickup takes Forge's time on the fake clock, and product events arrive
// up to 3 minutes late, so the app meets its faults with work in flight where the local profile has none.

afterEach(() => vi.useRealTimers());

const clean = { lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true };

describe('faults under the Forge latency profile', () => {
  it('partner down for a stretch: all 200 updates delivered once green is back', async () => {
    const t = await partnerDown({ issues: 20, updates: 200, seed: 511, profile: 'forge' });
    print(t);
    expect(t).toMatchObject({ changesMade: 200, changesArrived: 200, ...clean });
  });

  it('process killed and restarted 15 times during 150 syncs', async () => {
    const t = await killedAndRestarted({ issues: 15, syncs: 150, restarts: 15, seed: 311, profile: 'forge' });
    print(t);
    expect(t).toMatchObject({ changesMade: 150, changesArrived: 150, ...clean });
  });
});
