import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { rateLimited } from './scenarios';

afterEach(() => vi.useRealTimers());

describe('Jira answering 429 with Retry-After', () => {
  it('gets all 500 updates through when both sites refuse 30% of requests', async () => {
    const t = await rateLimited({ issues: 50, updates: 500, share: 0.3, seed: 429 });
    print(t);
    expect(t).toMatchObject({ changesMade: 500, changesArrived: 500, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });
});
