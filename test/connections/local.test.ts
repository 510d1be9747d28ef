import { describe, expect, it } from 'vitest';
import { sendMessage } from '../../src/transport/send';
import { replicaBody, World } from '../transport/world';
import { bodies, connectLocal, keysWith, PURGE_SETTLES_MS, row, rows } from './helpers';

describe('local connection (two projects of one site)', () => {
  it("is made at once from the instance's own URL, both halves active, no code", async () => {
    const world = new World();
    const blue = world.site('blue');
    const made = await blue.call<Record<string, unknown>>('initiateConnection', {
      destinationUrl: `${blue.exalateUrl}/`,
      mode: 'basic',
      localName: 'Design',
      remoteName: 'Chasers',
      projectKey: 'UD',
      remoteProjectKey: 'SC',
    });
    expect(made).toMatchObject({ ok: true, kind: 'local' });
    expect(made.invitationCode).toBeUndefined();
    const all = await rows(blue);
    expect(all.map((r) => [r.name, r.kind, r.status, r.localProjectKey, r.remoteProjectKey])).toEqual([
      ['Design_to_Chasers', 'local', 'Active', 'UD', 'SC'],
      ['Chasers_to_Design', 'local', 'Active', 'SC', 'UD'],
    ]);
    // No partner was asked anything.
    expect(world.network.log).toEqual([]);
  });

  it('needs a second, different, existing project', async () => {
    const world = new World();
    const blue = world.site('blue');
    const base = { destinationUrl: blue.exalateUrl, mode: 'basic', localName: 'A', remoteName: 'B', projectKey: 'UD' };
    await expect(blue.call('initiateConnection', base)).rejects.toThrow(/remoteProjectKey: a local connection joins two projects/);
    await expect(blue.call('initiateConnection', { ...base, remoteProjectKey: 'UD' })).rejects.toThrow(/two different projects/);
    await expect(blue.call('initiateConnection', { ...base, remoteProjectKey: 'NOPE' })).rejects.toThrow('Project NOPE does not exist.');
    expect(await rows(blue)).toEqual([]);
  });

  it('carries messages between the halves both ways and answers pings both ways', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    await sendMessage(site.platform(), first, 'replica', replicaBody('to-second'));
    await sendMessage(site.platform(), second, 'replica', replicaBody('to-first'));
    await world.runDue();
    expect(bodies(site, second)).toEqual(['to-second']);
    expect(bodies(site, first)).toEqual(['to-first']);
    expect(site.delivered).toHaveLength(2);
    expect(await site.call('pingConnection', { connectionId: first })).toMatchObject({ reachable: true });
    expect(await site.call('pingConnection', { connectionId: second })).toMatchObject({ reachable: true });
  });

  it('a deactivated half refuses what the other sends, which arrives after activation', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    await site.call('setConnectionActive', { connectionId: second, active: false });
    expect(await site.call('pingConnection', { connectionId: first })).toMatchObject({ reachable: false });
    await sendMessage(site.platform(), first, 'replica', replicaBody(1));
    await sendMessage(site.platform(), second, 'replica', replicaBody(2));
    await world.advance(60_000);
    expect(bodies(site)).toEqual([]);
    await site.call('setConnectionActive', { connectionId: second, active: true });
    await world.runDue();
    expect(bodies(site, second)).toEqual([1]);
    expect(bodies(site, first)).toEqual([2]);
    expect((await row(site, first))?.status).toBe('Active');
  });

  it('deleting one half deletes both', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    await sendMessage(site.platform(), first, 'replica', replicaBody(1));
    await world.runDue();
    await site.call('deleteConnection', { connectionId: second });
    expect(await rows(site)).toEqual([]);
    await world.advance(PURGE_SETTLES_MS);
    expect(keysWith(site, first)).toEqual([]);
    expect(keysWith(site, second)).toEqual([]);
    expect(site.kvs.keys('tombstone:')).toEqual([]);
  });

  it('rotates its secret at once', async () => {
    const world = new World();
    const { site, first, second } = await connectLocal(world);
    const before = site.snapshot().secrets;
    expect(await site.call('rotateSecret', { connectionId: first })).toMatchObject({ ok: true, status: 'rotated' });
    const after = site.snapshot().secrets;
    expect(after[`connection-secret:${first}`]).not.toEqual(before[`connection-secret:${first}`]);
    expect(after[`connection-secret:${first}`]).toEqual(after[`connection-secret:${second}`]);
  });
});
