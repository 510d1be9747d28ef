import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { readDeliveryState } from '../../src/transport';
import { bodies, connectPrivate, connectPublic } from '../connections/helpers';
import { replicaBody, World } from './world';

// A partner that never answers must not take the invocation down with it:
// the call is abandoned inside the invocation's budget and the message waits
// for a retry, like any unreachable partner. The budget is injected and the
// deadline's timer is fake, so nothing here waits on real time.

afterEach(() => {
  vi.useRealTimers();
});

/** Runs `work` while moving fake timers on until it settles (a partner call's deadline is a timer). */
async function withFakeTimers<T>(work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let settled = false;
  const pending = work().finally(() => (settled = true));
  for (let step = 0; !settled && step < 1_000; step++) await vi.advanceTimersByTimeAsync(250);
  vi.useRealTimers();
  return pending;
}

describe('partner calls within the invocation budget', () => {
  it('gives up on a silent partner in time, keeps the message, and delivers it exactly once when the partner answers', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'silent');
    // Six seconds left: one second for the call after the safety margin.
    world.remainingMs = () => 6_000;
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await withFakeTimers(() => world.runDue());

    expect(bodies(green)).toEqual([]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    const state = await readDeliveryState(blue.platform(), id);
    expect(state.lastError).toBe(`The partner could not be reached (${green.exalateUrl} did not answer within 1 s).`);
    expect(state.nextAttemptAt).not.toBeNull();

    world.network.setDown(green.exalateUrl, null);
    world.remainingMs = undefined;
    await world.advance(10 * 60_000);
    expect(bodies(green)).toEqual([1]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('does not even start a call the invocation has no time for, and retries it later', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.remainingMs = () => 3_000;
    const before = world.network.log.length;
    await sendMessage(blue.platform(), id, 'replica', replicaBody(7));
    await world.runDue();
    expect(world.network.log.slice(before)).toEqual([]);
    expect((await readDeliveryState(blue.platform(), id)).lastError).toBe(
      `The partner could not be reached (${green.exalateUrl} was not called: only 3 s of this invocation were left).`,
    );

    world.remainingMs = () => 900_000;
    await world.advance(10 * 60_000);
    expect(bodies(green)).toEqual([7]);
  });

  it('treats a poll the public side never answers as unreachable: the private side keeps its messages', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    world.network.setDown(publicSide.exalateUrl, 'silent');
    world.remainingMs = () => 7_000;
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody(3));
    await withFakeTimers(() => world.runDue());
    expect(bodies(publicSide)).toEqual([]);
    expect(privateSide.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    expect((await readDeliveryState(privateSide.platform(), id)).lastError).toBe(
      `The public side could not be reached (${publicSide.exalateUrl} did not answer within 2 s).`,
    );

    world.network.setDown(publicSide.exalateUrl, null);
    world.remainingMs = undefined;
    await world.advance(5 * 60_000);
    expect(bodies(publicSide)).toEqual([3]);
  });
});
