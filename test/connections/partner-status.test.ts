import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { replicaBody, World } from '../transport/world';
import { bodies, connectLocal, connectPrivate, connectPublic, keysWith, PURGE_SETTLES_MS, row, rows } from './helpers';

// What the partner's admin did shows on this side's Connections page: a
// connection the partner deactivated reads "Deactivated by the partner"
// (not a delivery error), one the partner deleted stays listed as "Deleted
// by the partner" until an admin deletes it here.

describe('a connection the partner deactivated', () => {
  it('shows as deactivated by the partner, not as failing, and is active again when the partner activates it', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    await green.call('setConnectionActive', { connectionId: id, active: false });
    await world.runDue();
    expect(await row(blue, id)).toMatchObject({
      status: 'Deactivated',
      partnerStatus: 'deactivated',
      statusReason: expect.stringMatching(/^Deactivated by the partner on .*Changes made here wait/),
    });
    expect(await row(green, id)).toMatchObject({ status: 'Deactivated', partnerStatus: null });

    // Blue's changes wait, however long, without turning into an error.
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.advance(60 * 60_000);
    expect((await row(blue, id))?.partnerStatus).toBe('deactivated');
    expect(bodies(green)).toEqual([]);

    await green.call('setConnectionActive', { connectionId: id, active: true });
    await world.advance(10 * 60_000);
    expect(await row(blue, id)).toMatchObject({ status: 'Active', partnerStatus: null });
    expect(bodies(green)).toEqual([1]);
  });

  it('is learned from the partner’s signed refusals when its notice was lost', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(blue.exalateUrl, 'refused');
    await green.call('setConnectionActive', { connectionId: id, active: false });
    // Every attempt at telling blue fails, then green gives up telling.
    await world.advance(2 * 60 * 60_000);
    world.network.setDown(blue.exalateUrl, null);
    expect((await row(blue, id))?.status).toBe('Active');
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    expect((await row(blue, id))?.partnerStatus).toBe('deactivated');
  });

  it('shows on both sides of a private connection', async () => {
    const world = new World();
    const { publicSide, privateSide, id } = await connectPrivate(world);
    // The private side can call the public side: it says so at once.
    await privateSide.call('setConnectionActive', { connectionId: id, active: false });
    await world.runDue();
    expect((await row(publicSide, id))?.partnerStatus).toBe('deactivated');
    await privateSide.call('setConnectionActive', { connectionId: id, active: true });
    await world.advance(30_000);
    expect((await row(publicSide, id))?.partnerStatus).toBeNull();

    // The public side cannot call the private side: the private side hears it in the answer to its next poll.
    await publicSide.call('setConnectionActive', { connectionId: id, active: false });
    await world.advance(30_000);
    expect((await row(privateSide, id))?.partnerStatus).toBe('deactivated');
    await publicSide.call('setConnectionActive', { connectionId: id, active: true });
    await world.advance(5 * 60_000);
    expect((await row(privateSide, id))?.partnerStatus).toBeNull();
  });

  it('shows on the other half of a local connection', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    await site.call('setConnectionActive', { connectionId: second, active: false });
    expect(await row(site, first)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deactivated' });
    await site.call('setConnectionActive', { connectionId: second, active: true });
    expect(await row(site, first)).toMatchObject({ status: 'Active', partnerStatus: null });
  });
});

describe('a connection the partner deleted', () => {
  it('stays listed as deleted by the partner; it cannot be switched on again, only deleted here', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    await green.call('deleteConnection', { connectionId: id });
    await world.runDue();
    expect((await rows(blue)).map((r) => [r.id, r.status, r.partnerStatus])).toEqual([[id, 'Deactivated', 'deleted']]);
    await expect(blue.call('setConnectionActive', { connectionId: id, active: true })).rejects.toThrow(/The partner deleted the connection/);
    await expect(blue.call('pingConnection', { connectionId: id })).rejects.toThrow(/The partner deleted the connection/);
    // Nothing of it works any more: no delivery, no polls; its records wait for the admin.
    await expect(sendMessage(blue.platform(), id, 'replica', replicaBody(1))).rejects.toThrow(/The partner deleted the connection/);

    await blue.call('deleteConnection', { connectionId: id });
    expect(await rows(blue)).toEqual([]);
    await world.advance(PURGE_SETTLES_MS);
    expect(keysWith(blue, id)).toEqual([]);
    expect(keysWith(green, id)).toEqual([]);
  });
});
