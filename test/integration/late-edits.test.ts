import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, twoSites } from './helpers';
import { create, edit, exalate, history, read, type Runtime } from './fields-support';

// Forge delivers a product event up to three minutes late. When both sides
// change the same field meanwhile, the change made last is the one both keep:
// a change is stamped with when it was made (the issue's history), and a side
// that receives the partner's replica first finds its own unsent edit there.

let rt: Runtime;
let blueConnectionId: string;
/** The lateness of the next product event; each event takes it and leaves 0. */
let nextDelayMs = 0;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-05T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId } = await connect(rt));
  rt.forge.productEventDelivery = {
    delayMs: () => {
      const delay = nextDelayMs;
      nextDelayMs = 0;
      return delay;
    },
  };
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

async function twinned(summary: string) {
  const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary });
  const twin = await exalate(rt, blueConnectionId, issue.key);
  return { blue: issue.key, green: twin.remoteKey };
}

describe('the edit made last wins, however late its product event', () => {
  it('keeps the partner\'s later edit over one made here whose event is still three minutes away', async () => {
    const keys = await twinned('Late here, earlier');
    nextDelayMs = 170_000;
    await edit(rt, 'blue', keys.blue, { summary: 'blue, first' });
    vi.setSystemTime(Date.now() + 1_000);
    await edit(rt, 'green', keys.green, { summary: 'green, a second later' });
    await drain(rt);
    expect((await read(rt, 'blue', keys.blue)).fields.summary).toBe('green, a second later');
    expect((await read(rt, 'green', keys.green)).fields.summary).toBe('green, a second later');
  });

  it('keeps an edit made here after the partner\'s although its event comes after the partner\'s replica', async () => {
    const keys = await twinned('Late here, later');
    await edit(rt, 'green', keys.green, { summary: 'green, first' });
    vi.setSystemTime(Date.now() + 1_000);
    nextDelayMs = 170_000;
    await edit(rt, 'blue', keys.blue, { summary: 'blue, a second later' });
    await drain(rt);
    expect((await read(rt, 'blue', keys.blue)).fields.summary).toBe('blue, a second later');
    expect((await read(rt, 'green', keys.green)).fields.summary).toBe('blue, a second later');
  });

  it('sends nothing twice: the late event finds the edit already sent', async () => {
    const keys = await twinned('Sent once');
    await edit(rt, 'green', keys.green, { labels: ['green'] });
    vi.setSystemTime(Date.now() + 1_000);
    nextDelayMs = 170_000;
    await edit(rt, 'blue', keys.blue, { summary: 'blue, once' });
    await drain(rt);
    const entries = await history(rt, 'blue', keys.blue);
    // Besides the first sync (a manual one), blue's summary edit went out once: with the partner's replica,
    // not again when its event came.
    const sentSummary = entries.filter((e) => e.direction === 'out' && e.outcome === 'sent' && e.cause !== 'manual' && e.changes.some((c) => c.field === 'summary'));
    expect(sentSummary).toHaveLength(1);
    expect((await read(rt, 'green', keys.green)).fields).toMatchObject({ summary: 'blue, once', labels: ['green'] });
    expect((await read(rt, 'blue', keys.blue)).fields.labels).toEqual(['green']);
  });
});
