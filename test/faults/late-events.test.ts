import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { lateEvents } from './late-events';

afterEach(() => vi.useRealTimers());

describe('product events delivered late and out of order', () => {
  it('ends with equal issues on both sides after 240 edits with events 0–180 s late, every comment once, the last edit kept', async () => {
    const t = await lateEvents({ issues: 20, updates: 240, seed: 150 });
    print(t);
    expect(t.delayedEvents).toBe(240);
    // Out of order, not merely late.
    expect(t.overtaken).toBeGreaterThan(50);
    expect(t).toMatchObject({ changesMade: 240, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
    expect(t.changesArrived).toBe(t.changesMade);
    // The edit made last is the one both sides keep, on every issue whose summary was edited.
    expect(t.summariesEdited).toBe(20);
    expect(t.lastSummaryKept).toBe(t.summariesEdited);
  });
});
