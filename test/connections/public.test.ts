import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { replicaBody, World } from '../transport/world';
import { bodies, connectPublic, initiate, keysWith, PURGE_SETTLES_MS, row, rows } from './helpers';

describe('public connection', () => {
  it('is made from an invitation code and is active on both sides', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    expect(await row(blue, id)).toMatchObject({
      status: 'Active', kind: 'public', side: null, name: 'BlueJira_to_GreenJira', localName: 'BlueJira', remoteName: 'GreenJira',
      localProjectKey: 'UD', remoteProjectKey: 'SC', remoteUrl: green.exalateUrl,
    });
    expect(await row(green, id)).toMatchObject({
      status: 'Active', kind: 'public', name: 'BlueJira_to_GreenJira', localName: 'GreenJira', remoteName: 'BlueJira',
      localProjectKey: 'SC', remoteProjectKey: 'UD', remoteUrl: blue.exalateUrl,
    });
  });

  it('is Pending on the inviting side until the code is accepted', async () => {
    const world = new World();
    const blue = world.site('blue');
    const { connectionId } = await initiate(blue, world.site('green'));
    const pending = await row(blue, connectionId);
    expect(pending?.status).toBe('Pending');
    expect(pending?.statusReason).toBe(`Waiting for the partner to accept the invitation on ${world.site('green').siteUrl} (the code is valid until 2026-01-06 09:00:00 UTC).`);
    expect(pending).toMatchObject({ invitation: 'waiting', remoteSiteUrl: world.site('green').siteUrl });
    await expect(sendMessage(blue.platform(), connectionId, 'replica', replicaBody(0))).rejects.toThrow(/not accepted yet/);
  });

  it('is made through the admin-access flow: the partner names its accept page, the code rides along', async () => {
    const world = new World();
    const blue = world.site('blue');
    const green = world.site('green');
    const made = await initiate(blue, green, { adminAccess: true });
    expect(made.acceptUrl).toBe(`${green.siteUrl}/apps/exalate-admin/connections?invitation=${made.invitationCode}`);
    const carried = new URL(made.acceptUrl!).searchParams.get('invitation')!;
    await green.call('acceptInvitation', { invitationCode: carried, projectKey: 'OPS' });
    expect((await row(green, made.connectionId))?.status).toBe('Active');
    expect((await row(blue, made.connectionId))?.remoteProjectKey).toBe('OPS');
  });

  it('carries messages both ways, in order, each exactly once, and returns the results', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    for (let i = 0; i < 3; i++) await sendMessage(blue.platform(), id, 'replica', replicaBody(i));
    await sendMessage(green.platform(), id, 'replica', replicaBody('back'));
    await world.runDue();
    expect(bodies(green, id)).toEqual([0, 1, 2]);
    expect(bodies(blue, id)).toEqual(['back']);
    expect(blue.delivered.map((d) => d.result)).toEqual(green.received.map((r) => ({ appliedOn: 'green', messageId: r.envelope.messageId })));
    expect(blue.kvs.keys('outbox:')).toEqual([]);
  });

  it('answers a ping both ways', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    expect(await blue.call('pingConnection', { connectionId: id })).toMatchObject({ ok: true, reachable: true, partnerName: 'green' });
    expect(await green.call('pingConnection', { connectionId: id })).toMatchObject({ ok: true, reachable: true, partnerName: 'blue' });
  });

  it('queues outgoing messages while deactivated, refuses incoming ones so the sender keeps them, and catches up on activation', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    await blue.call('setConnectionActive', { connectionId: id, active: false });
    expect((await row(blue, id))?.status).toBe('Deactivated');

    await sendMessage(blue.platform(), id, 'replica', replicaBody('out-1'));
    await sendMessage(green.platform(), id, 'replica', replicaBody('in-1'));
    await world.runDue();
    expect(bodies(green)).toEqual([]);
    expect(bodies(blue)).toEqual([]);
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    expect(green.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
    expect((await row(green, id))?.lastContactAt).not.toBeNull();

    await blue.call('setConnectionActive', { connectionId: id, active: true });
    await world.runDue();
    expect(bodies(green)).toEqual(['out-1']);
    // Green's message waits out its Retry-After, then arrives.
    await world.advance(10 * 60_000);
    expect(bodies(blue)).toEqual(['in-1']);
    expect((await row(blue, id))?.status).toBe('Active');
    expect((await row(green, id))?.status).toBe('Active');
  });

  it('is gone here at once when one side deletes it; the partner shows it deleted by the partner until its admin deletes it too', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    await blue.call('deleteConnection', { connectionId: id });
    expect(await rows(blue)).toEqual([]);
    await world.runDue();
    expect(await row(green, id)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted', statusReason: expect.stringMatching(/^Deleted by the partner on .*delete the connection here/) });
    // Nothing of the connection is left here once the purge's second pass is done; the partner keeps its copy.
    await world.advance(PURGE_SETTLES_MS);
    expect(keysWith(blue, id)).toEqual([]);
    expect(keysWith(green, id)).toContain(`connection:${id}`);

    await green.call('deleteConnection', { connectionId: id });
    expect(await rows(green)).toEqual([]);
    await world.advance(PURGE_SETTLES_MS);
    // The partner had already gone: nothing to tell it, no tombstone left behind.
    expect(keysWith(green, id)).toEqual([]);
  });

  it('deletes locally at once when the partner is down, and tells the partner when it is back', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(green.exalateUrl, 'refused');
    await blue.call('deleteConnection', { connectionId: id });
    await world.runDue();
    expect(await rows(blue)).toEqual([]);
    expect(blue.kvs.keys('tombstone:')).toEqual([`tombstone:${id}`]);
    expect((await rows(green)).map((r) => r.id)).toEqual([id]);

    world.network.setDown(green.exalateUrl, null);
    await world.advance(5 * 60_000);
    expect((await row(green, id))?.partnerStatus).toBe('deleted');
    expect(blue.kvs.keys('tombstone:')).toEqual([]);
  });

  it('when the partner deleted the connection while we could not hear it, our next delivery learns it from a signed answer', async () => {
    const world = new World();
    const { blue, green, id } = await connectPublic(world);
    world.network.setDown(blue.exalateUrl, 'refused');
    await green.call('deleteConnection', { connectionId: id });
    await world.runDue();
    await sendMessage(blue.platform(), id, 'replica', replicaBody(1));
    await world.runDue();
    expect(await row(blue, id)).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted' });
    // Nothing flows on it any more: the message stays where it was until an admin deletes the connection here.
    expect(blue.kvs.keys(`outbox:${id}:`)).toHaveLength(1);
  });

  it('edits name and description and rejects an empty name', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const edited = await blue.call<{ connection: { name: string; description: string } }>('updateConnection', { connectionId: id, name: 'Blue ↔ Green', description: 'Design work' });
    expect(edited.connection).toMatchObject({ name: 'Blue ↔ Green', description: 'Design work' });
    await expect(blue.call('updateConnection', { connectionId: id, name: '  ' })).rejects.toThrow(/name: is required/);
    await expect(blue.call('updateConnection', { connectionId: 'nope', name: 'x' })).rejects.toThrow(/no connection with id nope/);
  });

  it('keeps the counters the sync engine maintains', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const { adjustIssuesUnderSync, recordLastSync } = await import('../../src/connections/store');
    await adjustIssuesUnderSync(blue.platform(), id, 3);
    await adjustIssuesUnderSync(blue.platform(), id, -1);
    await recordLastSync(blue.platform(), id, { issueKey: 'UD-7', at: 1000 });
    await recordLastSync(blue.platform(), id, { issueKey: 'UD-3', at: 500 });
    expect(await row(blue, id)).toMatchObject({ issuesUnderSync: 2, lastSync: { issueKey: 'UD-7', at: 1000 } });
  });
});
