import { describe, expect, it } from 'vitest';
import { DEFAULT_POLLING, type PollingSettings } from '../../src/domain/polling';
import { sendMessage } from '../../src/transport/send';
import { floorSecondsFor, POLL_EVENTS_PER_MINUTE, readPollFloor, updatePollBudget } from '../../src/transport/poll-budget';
import { nextPollSeconds } from '../../src/transport/poll-cadence';
import { linkDelaySeconds } from '../../src/transport/poll';
import { readPollChain, REROOT_AFTER_HOPS } from '../../src/transport/poll-chain';
import { connectPrivate, row } from '../connections/helpers';
import { markerOf, replicaBody, type Site, World } from './world';

// The private side's polling on the injected clock: which interval each poll
// waits after a change on either side, the back-off, the settings an admin
// sets, one chain at most whatever happens to its events, a dead chain
// restarted and a long chain re-rooted by the scheduled maintenance, and the
// installation's share of Forge's event rate.

/**
 * Moves the clock a second at a time for `ms`, noting when the private side polled the public side. An
 * exchange of several rounds (a confirmation sent straight after what it confirms) is one poll.
 */
async function pollTimes(world: World, publicSide: Site, ms: number): Promise<number[]> {
  const times: number[] = [];
  let seen = world.network.log.length;
  const until = world.clock.now() + ms;
  const note = () => {
    const polled = world.network.log.slice(seen).some((record) => record.url.startsWith(publicSide.exalateUrl));
    if (polled && times.at(-1) !== world.clock.now()) times.push(world.clock.now());
    seen = world.network.log.length;
  };
  await world.runDue();
  note();
  while (world.clock.now() < until) {
    await world.advance(1_000);
    note();
  }
  return times;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

/** A private connection left alone long enough to be idle (no change for over ten minutes). */
async function idleConnection(world: World) {
  const made = await connectPrivate(world);
  await world.advance(15 * 60_000);
  return made;
}

describe('adaptive polling on the private side', () => {
  it('after a change on the private side: every 2 s for two minutes, then 20 s, then 60 s after ten quiet minutes', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    const changeAt = world.clock.now();
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    const times = await pollTimes(world, publicSide, 13 * 60_000);
    expect(times[0]).toBe(changeAt); // the one-off poll that carries the change
    // Each poll after it waited what the cadence says for the moment the one before it ran.
    const expected = times.slice(0, -1).map((t) => nextPollSeconds(DEFAULT_POLLING, changeAt, t) * 1000);
    expect(gaps(times)).toEqual(expected);
    const active = gaps(times).filter((g) => g === 2_000).length;
    expect(active).toBeGreaterThanOrEqual(59);
    expect(active).toBeLessThanOrEqual(61);
    expect(gaps(times).filter((g) => g === 20_000).length).toBeGreaterThanOrEqual(23);
    expect(gaps(times).filter((g) => g === 60_000).length).toBeGreaterThanOrEqual(2);
    // In order: never faster again without a change.
    const sorted = [...gaps(times)].sort((a, b) => a - b);
    expect(gaps(times)).toEqual(sorted);
    expect(markerOf(publicSide.received[0]!.envelope)).toBe('up');
  });

  it('after a change on the public side: picked up by the next idle poll, then every 2 s', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    const before = await pollTimes(world, publicSide, 3 * 60_000);
    expect(gaps(before)).toEqual([60_000, 60_000]);
    const changeAt = world.clock.now();
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down'));
    const after = await pollTimes(world, publicSide, 70_000);
    expect(after[0]! - changeAt).toBeLessThanOrEqual(60_000);
    expect(privateSide.received.map((r) => markerOf(r.envelope))).toEqual(['down']);
    // The poll that brought it made the connection busy: the polls after it are 2 s apart.
    expect(gaps(after.filter((t) => t >= after[0]!)).slice(0, 5)).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
  });

  it('a busy connection stays fast while changes keep coming, and one change a minute keeps it at 2 s', async () => {
    const world = new World();
    const { publicSide, id } = await idleConnection(world);
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('first'));
    await world.advance(60_000);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sendMessage(publicSide.platform(), id, 'replica', replicaBody(`again ${i}`));
      times.push(...(await pollTimes(world, publicSide, 60_000)));
    }
    expect(new Set(gaps(times))).toEqual(new Set([2_000]));
  });

  it('follows the intervals a Jira admin sets on the private side', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    const polling: PollingSettings = { activeSeconds: 5, activeForSeconds: 30, backoffSeconds: 15, idleAfterSeconds: 90, idleSeconds: 45 };
    const answer = await privateSide.call<{ connection: { polling: PollingSettings } }>('setPollingIntervals', { connectionId: id, polling });
    expect(answer.connection.polling).toEqual(polling);
    expect((await row(privateSide, id))?.polling).toEqual(polling);
    expect((await row(publicSide, id))?.polling).toBeNull();
    await world.advance(5 * 60_000);
    const changeAt = world.clock.now();
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    const times = await pollTimes(world, publicSide, 4 * 60_000);
    expect(gaps(times)).toEqual(times.slice(0, -1).map((t) => nextPollSeconds(polling, changeAt, t) * 1000));
    expect(new Set(gaps(times))).toEqual(new Set([5_000, 15_000, 45_000]));
  });

  it('refuses intervals out of order or out of Forge’s range, and on a side that does not poll; nothing changes', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await expect(privateSide.call('setPollingIntervals', { connectionId: id, polling: { backoffSeconds: 1 } })).rejects.toThrow(/backoffSeconds.*at least the active interval/);
    await expect(privateSide.call('setPollingIntervals', { connectionId: id, polling: { idleSeconds: 901 } })).rejects.toThrow(/at most 900/);
    await expect(privateSide.call('setPollingIntervals', { connectionId: id, polling: { activeSeconds: 2.5 } })).rejects.toThrow(/whole number/);
    await expect(privateSide.call('setPollingIntervals', { connectionId: id, polling: { activeForSeconds: 3600 } })).rejects.toThrow(/idleAfterSeconds.*at least how long polling stays active/);
    await expect(publicSide.call('setPollingIntervals', { connectionId: id, polling: { activeSeconds: 5 } })).rejects.toThrow(/does not poll from this side/);
    expect((await row(privateSide, id))?.polling).toEqual(DEFAULT_POLLING);
  });

  it('restarts a chain whose events were lost at the next maintenance, and only one', async () => {
    const world = new World();
    const { publicSide, privateSide } = await idleConnection(world);
    privateSide.queueData.events = privateSide.queueData.events.filter((e) => e.body.kind !== 'transport.poll');
    expect(await pollTimes(world, publicSide, 5 * 60_000)).toEqual([]);
    // Maintenance twice in a row (a retried scheduled run): the second finds the chain alive and adds nothing.
    await privateSide.maintenance();
    await privateSide.maintenance();
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    const times = await pollTimes(world, publicSide, 5 * 60_000);
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(new Set(gaps(times))).toEqual(new Set([60_000]));
  });

  it('never runs two chains: not after a process restart, a duplicated link, or a seed while one is alive', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('busy'));
    await world.advance(10_000);
    // kill -9: everything in memory is gone, storage and the queue stay; the queue delivers the link again.
    privateSide.restart();
    const [link] = privateSide.queue.pending('transport.poll');
    for (let i = 0; i < 3; i++) await privateSide.queue.push([{ body: link!.body, delayInSeconds: Math.ceil((link!.availableAt - world.clock.now()) / 1000) }]);
    await privateSide.maintenance();
    const times = await pollTimes(world, publicSide, 60_000);
    expect(new Set(gaps(times))).toEqual(new Set([2_000]));
    expect(times.length).toBeGreaterThanOrEqual(29);
    expect(times.length).toBeLessThanOrEqual(31);
  });

  it('maintenance re-roots a long chain before Forge’s chain limit, keeping its cadence', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('busy'));
    await world.advance((REROOT_AFTER_HOPS + 5) * 2_000);
    const old = (await readPollChain(privateSide.platform(), id))!;
    expect(old.hop).toBeGreaterThanOrEqual(REROOT_AFTER_HOPS);
    await privateSide.maintenance();
    const fresh = (await readPollChain(privateSide.platform(), id))!;
    expect(fresh.chainId).not.toBe(old.chainId);
    expect(fresh.hop).toBe(0);
    expect(fresh.nextAt - old.nextAt).toBeLessThan(1_000);
    // Both links are queued; the old one ends when it comes, so the polls go on 2 s apart, not twice as often.
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(2);
    const times = await pollTimes(world, publicSide, 20_000);
    expect(new Set(gaps(times))).toEqual(new Set([2_000]));
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    expect((await readPollChain(privateSide.platform(), id))!.chainId).toBe(fresh.chainId);
  });

  it('takes a late link’s lateness off the next delay, so the polls keep their interval on average', async () => {
    expect(linkDelaySeconds(2, 0)).toBe(2);
    expect(linkDelaySeconds(2, 700)).toBe(1);
    expect(linkDelaySeconds(2, 5_000)).toBe(1); // never below a second
    expect(linkDelaySeconds(60, 1_600)).toBe(58);
    expect(linkDelaySeconds(20, -300)).toBe(20); // early is not late

    const world = new World();
    const { privateSide, id } = await idleConnection(world);
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('busy'));
    await world.runDue();
    // The new generation's first link (the idle chain's link, a minute off, ends when it comes).
    const [link] = [...privateSide.queue.pending('transport.poll')].sort((a, b) => a.availableAt - b.availableAt);
    // The platform starts the link 1.3 s after its delay (its queue's pickup).
    world.clock.set(link!.availableAt + 1_300);
    await world.runDue();
    const [next] = [...privateSide.queue.pending('transport.poll')].sort((a, b) => a.availableAt - b.availableAt);
    expect(next!.availableAt - world.clock.now()).toBe(1_000);
    expect(next!.availableAt - link!.availableAt).toBe(2_300);
  });

  it('shares Forge’s event rate: many polling connections stretch each one’s interval', async () => {
    expect(floorSecondsFor(1)).toBe(1);
    expect(floorSecondsFor(8)).toBe(2);
    expect(floorSecondsFor(20)).toBe(5);
    // At every connection's fastest, polls stay within their share of Forge's 500 events a minute.
    for (const n of [1, 5, 8, 9, 50, 200]) expect((n * 60) / Math.max(DEFAULT_POLLING.activeSeconds, floorSecondsFor(n))).toBeLessThanOrEqual(POLL_EVENTS_PER_MINUTE);

    const world = new World();
    const { publicSide, privateSide, id } = await idleConnection(world);
    await privateSide.maintenance();
    expect(await readPollFloor(privateSide.platform())).toBe(1);
    await updatePollBudget(privateSide.platform(), 20);
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('busy'));
    const times = await pollTimes(world, publicSide, 60_000);
    expect(new Set(gaps(times))).toEqual(new Set([5_000]));
  });
});
