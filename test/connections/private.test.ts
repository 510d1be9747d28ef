import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { readDeliveryState } from '../../src/transport';
import { markerOf, replicaBody, World } from '../transport/world';
import { bodies, connectPrivate, initiate, row, rows } from './helpers';

describe('private connection', () => {
  it('is made without a URL; the private side never sends one and is never called', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    expect(await row(publicSide, id)).toMatchObject({ status: 'Active', kind: 'private', side: 'public', remoteUrl: null, remoteProjectKey: 'SC' });
    expect(await row(privateSide, id)).toMatchObject({ status: 'Active', kind: 'private', side: 'private', remoteUrl: publicSide.exalateUrl, remoteProjectKey: 'UD' });
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody(1));
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody(2));
    await world.advance(60_000);
    expect(world.network.log.filter((r) => r.url.startsWith(privateSide.siteUrl))).toEqual([]);
  });

  it('the admin-access shortcut needs a URL to go to', async () => {
    const world = new World();
    await expect(initiate(world.site('blue'), null, { adminAccess: true })).rejects.toThrow(/copy the invitation code/);
  });

  it('exchanges both directions by polling: at once after sending, else on the chain', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);

    // Outgoing from the private side: a poll right away.
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    await world.runDue();
    expect(bodies(publicSide, id)).toEqual(['up']);

    // Outgoing from the public side: waits for the next poll of the chain (20 s).
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down-1'));
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down-2'));
    await world.runDue();
    expect(bodies(privateSide, id)).toEqual([]);
    await world.advance(20_000);
    expect(bodies(privateSide, id)).toEqual(['down-1', 'down-2']);
    // The public side drops them only after the private side confirmed (here in the poll right after).
    expect(publicSide.kvs.keys(`outbox:${id}:`)).toEqual([]);
    expect(publicSide.delivered.map((d) => markerOf(d.envelope))).toEqual(['down-1', 'down-2']);
    expect(privateSide.delivered.map((d) => markerOf(d.envelope))).toEqual(['up']);
  });

  it('keeps exactly one polling chain, and maintenance re-seeds a broken one', async () => {
    const world = new World();
    const { privateSide, id } = await connectPrivate(world);
    await world.advance(60_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    // Maintenance on a healthy chain adds nothing.
    await privateSide.maintenance();
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    // The chain breaks (its event lost).
    privateSide.queueData.events = privateSide.queueData.events.filter((e) => e.body.kind !== 'transport.poll');
    await world.advance(3 * 60_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(0);
    await privateSide.maintenance();
    await world.advance(60_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    // A duplicated link does not fork the chain.
    const [link] = privateSide.queue.pending('transport.poll');
    await privateSide.queue.push([{ body: link!.body, delayInSeconds: Math.ceil((link!.availableAt - world.clock.now()) / 1000) }]);
    await world.advance(2 * 60_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(1);
    expect(id).toBeTruthy();
  });

  it('loses nothing when a poll answer is lost on the way back', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down'));
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    world.network.loseResponses(publicSide.exalateUrl, 1);
    await world.runDue();
    // The public side processed "up", but the private side never heard.
    expect(bodies(publicSide, id)).toEqual(['up']);
    expect(bodies(privateSide, id)).toEqual([]);
    expect(privateSide.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    await world.advance(60_000);
    expect(bodies(publicSide, id)).toEqual(['up']);
    expect(bodies(privateSide, id)).toEqual(['down']);
    expect(privateSide.kvs.keys(`outbox:${id}:`)).toEqual([]);
    expect(publicSide.kvs.keys(`outbox:${id}:`)).toEqual([]);
  });

  it('answers a ping both ways: direct from the private side, through the next poll from the public side', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    expect(await privateSide.call('pingConnection', { connectionId: id })).toMatchObject({ reachable: true, partnerName: 'blue' });
    const queued = await publicSide.call<{ queued: boolean; messageId: string }>('pingConnection', { connectionId: id });
    expect(queued).toMatchObject({ reachable: null, queued: true });
    await world.advance(45_000);
    const state = await readDeliveryState(publicSide.platform(), id);
    expect(state.lastPong).toMatchObject({ messageId: queued.messageId, partnerName: 'green' });
  });

  it('deactivation on the private side stops its polling; activation resumes and delivers what waited', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await privateSide.call('setConnectionActive', { connectionId: id, active: false });
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down'));
    await world.advance(2 * 60_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(0);
    expect(bodies(publicSide)).toEqual([]);
    expect(bodies(privateSide)).toEqual([]);
    await privateSide.call('setConnectionActive', { connectionId: id, active: true });
    await world.advance(30_000);
    expect(bodies(publicSide)).toEqual(['up']);
    expect(bodies(privateSide)).toEqual(['down']);
  });

  it('deactivation on the public side refuses polls (retryable): nothing is lost, all flows after activation', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await publicSide.call('setConnectionActive', { connectionId: id, active: false });
    await sendMessage(privateSide.platform(), id, 'replica', replicaBody('up'));
    await sendMessage(publicSide.platform(), id, 'replica', replicaBody('down'));
    await world.advance(2 * 60_000);
    expect(bodies(publicSide)).toEqual([]);
    expect(bodies(privateSide)).toEqual([]);
    expect(privateSide.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    await publicSide.call('setConnectionActive', { connectionId: id, active: true });
    await world.advance(30_000);
    expect(bodies(publicSide)).toEqual(['up']);
    expect(bodies(privateSide)).toEqual(['down']);
  });

  it('deletion by the public side reaches the private side at its next poll', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await publicSide.call('deleteConnection', { connectionId: id });
    await world.advance(30_000);
    expect(await rows(publicSide)).toEqual([]);
    expect(await row(privateSide, id)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted' });
    // The link queued before that poll's exchange finds no connection and ends the chain.
    await world.advance(30_000);
    expect(privateSide.queue.pending('transport.poll')).toHaveLength(0);
  });

  it('deletion by the private side is pushed to the public side', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    await privateSide.call('deleteConnection', { connectionId: id });
    await world.runDue();
    expect(await rows(privateSide)).toEqual([]);
    expect(await row(publicSide, id)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted' });
  });

  it('the public side reports a private side that stopped polling', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    privateSide.queueData.events = [];
    world.clock.advance(11 * 60_000);
    const silent = await row(publicSide, id);
    expect(silent?.status).toBe('Error');
    expect(silent?.statusReason).toMatch(/has not polled since/);
  });
});
