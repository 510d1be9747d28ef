import { describe, expect, it } from 'vitest';
import { World } from '../transport/world';
import { connectPublic, initiate, row } from './helpers';

describe('instance and connection resolvers', () => {
  it('describes the instance: a name from the site, an id made once, the web trigger as Exalate URL', async () => {
    const world = new World();
    const blue = world.site('blue');
    const first = await blue.call<Record<string, unknown>>('getInstance');
    expect(first).toMatchObject({ ok: true, name: 'blue', exalateUrl: `${blue.siteUrl}/x/partner-endpoint`, siteUrl: blue.siteUrl });
    expect((await blue.call<Record<string, unknown>>('getInstance')).instanceId).toBe(first.instanceId);
    expect(await blue.call('updateInstance', { name: 'Blue Jira' })).toMatchObject({ name: 'Blue Jira', instanceId: first.instanceId });
    await expect(blue.call('updateInstance', { name: '' })).rejects.toThrow('name: is required');
    // Partners see the new name.
    const { green, id } = await connectPublic(world);
    expect(await green.call('pingConnection', { connectionId: id })).toMatchObject({ partnerName: 'Blue Jira' });
  });

  it('reports the state of an invitation and renews an expired one', async () => {
    const world = new World();
    const blue = world.site('blue');
    const green = world.site('green');
    const made = await initiate(blue, green, { validForHours: 1 });
    expect(await blue.call('getInvitation', { connectionId: made.connectionId })).toMatchObject({ status: 'waiting', expiresAt: made.expiresAt });
    world.clock.advance(2 * 3600_000);
    expect(await blue.call('getInvitation', { connectionId: made.connectionId })).toMatchObject({ status: 'expired' });
    const renewed = await blue.call<{ invitationCode: string; expiresAt: number }>('renewInvitation', { connectionId: made.connectionId });
    expect(renewed.expiresAt).toBe(world.clock.now() + 24 * 3600_000);
    expect((await row(blue, made.connectionId))?.statusReason).toMatch(/^Waiting for the partner/);
    await green.call('acceptInvitation', { invitationCode: renewed.invitationCode, projectKey: 'SC' });
    expect(await blue.call('getInvitation', { connectionId: made.connectionId })).toMatchObject({ status: 'accepted' });
    await expect(blue.call('renewInvitation', { connectionId: made.connectionId })).rejects.toThrow(/is not waiting for an invitation/);
    await expect(green.call('getInvitation', { connectionId: made.connectionId })).rejects.toThrow(/not made from an invitation issued here/);
  });

  it('refuses what a pending connection cannot do, and names what is missing', async () => {
    const world = new World();
    const blue = world.site('blue');
    const made = await initiate(blue, world.site('green'));
    await expect(blue.call('setConnectionActive', { connectionId: made.connectionId, active: false })).rejects.toThrow(/is not accepted yet/);
    await expect(blue.call('rotateSecret', { connectionId: made.connectionId })).rejects.toThrow(/no secret to rotate/);
    await expect(blue.call('pingConnection', { connectionId: made.connectionId })).rejects.toThrow(/is not accepted yet/);
    await expect(blue.call('pingConnection', {})).rejects.toThrow('connectionId: Invalid input: expected string, received undefined');
    await expect(blue.call('deleteConnection', { connectionId: 'gone' })).rejects.toMatchObject({ kind: 'NotFound' });
    await expect(blue.call('setConnectionActive', { connectionId: made.connectionId })).rejects.toMatchObject({ kind: 'BadInput' });
  });

  it('asks for a rotation once while the first is still on its way', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'refused');
    const first = await blue.call<{ messageId: string }>('rotateSecret', { connectionId: id });
    const second = await blue.call<{ messageId: string }>('rotateSecret', { connectionId: id });
    expect(second.messageId).toBe(first.messageId);
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
  });

  it('pinging a partner that is down says so instead of failing', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'refused');
    expect(await blue.call('pingConnection', { connectionId: id })).toMatchObject({ ok: true, reachable: false, reason: expect.stringMatching(/could not be reached/) });
  });
});
