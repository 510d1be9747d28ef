import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors';
import { decodeInvitation, encodeInvitation } from '../../src/domain/invitation';
import { World, type Site } from '../transport/world';
import { initiate, rows } from './helpers';

/** Rejects with an AppError of `kind` whose message matches, and leaves both sites' storage exactly as it was. */
async function expectRejectedUnchanged(sites: Site[], run: () => Promise<unknown>, kind: string, message: RegExp | string) {
  const before = sites.map((s) => JSON.stringify(s.snapshot()));
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeDefined();
  expect(isAppError(error)).toBe(true);
  expect((error as { kind: string }).kind).toBe(kind);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  expect(sites.map((s) => JSON.stringify(s.snapshot()))).toEqual(before);
}

async function invitedWorld(extraSites: string[] = []) {
  const world = new World({ sites: ['blue', 'green', ...extraSites] });
  for (const site of Object.values(world.sites)) await site.call('getInstance');
  const blue = world.site('blue');
  const green = world.site('green');
  const made = await initiate(blue, green);
  return { world, blue, green, made, code: decodeInvitation(made.invitationCode) };
}

const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('initiating a connection', () => {
  it('explains what is missing or wrong', async () => {
    const world = new World();
    const blue = world.site('blue');
    const green = world.site('green');
    const good = { destinationUrl: green.exalateUrl, mode: 'script', localName: 'Blue', remoteName: 'Green', projectKey: 'UD' };
    await expect(blue.call('initiateConnection', { ...good, localName: '' })).rejects.toThrow('localName: is required');
    await expect(blue.call('initiateConnection', { ...good, remoteName: undefined })).rejects.toThrow(/remoteName/);
    await expect(blue.call('initiateConnection', { ...good, mode: 'groovy' })).rejects.toThrow(/mode/);
    await expect(blue.call('initiateConnection', { ...good, projectKey: 'XYZ' })).rejects.toThrow('Project XYZ does not exist.');
    await expect(blue.call('initiateConnection', { ...good, destinationUrl: 'not a url' })).rejects.toThrow(/"not a url" is not a URL/);
    await expect(blue.call('initiateConnection', { ...good, destinationUrl: 'https://nowhere.example/x' })).rejects.toThrow(
      /^https:\/\/nowhere\.example\/x does not answer as an Exalate instance \(no answer/,
    );
    // Plain http is refused before anything is called; only the sandbox's own sites (registered below) may use it.
    await expect(blue.call('initiateConnection', { ...good, destinationUrl: 'http://nowhere.example/x' })).rejects.toThrow(
      'destinationUrl: The partner URL http://nowhere.example/x uses plain http; partners are only called over https (an Exalate URL starts with https://).',
    );
    expect(world.network.log.filter((r) => r.url === 'http://nowhere.example/x')).toEqual([]);
    world.network.register('http://jira.example/x', async () => ({ statusCode: 200, body: '<html>hello</html>' }));
    await expect(blue.call('initiateConnection', { ...good, destinationUrl: 'http://jira.example/x' })).rejects.toThrow(
      'http://jira.example/x does not answer as an Exalate instance (its answer is not an Exalate instance description).',
    );
    expect(await rows(blue)).toEqual([]);
  });

  it('names the connection Local_to_Remote unless told otherwise', async () => {
    const world = new World();
    const blue = world.site('blue');
    const green = world.site('green');
    await initiate(blue, green);
    await initiate(blue, green, { name: 'Design sync', description: 'UI work' });
    expect((await rows(blue)).map((r) => [r.name, r.description])).toEqual([
      ['BlueJira_to_GreenJira', ''],
      ['Design sync', 'UI work'],
    ]);
  });

  it('issues a code that carries the agreed terms and never the secret', async () => {
    const { world, blue, made, code } = await invitedWorld();
    expect(code).toMatchObject({
      v: 2,
      connectionId: made.connectionId,
      inviter: { name: 'BlueJira', url: blue.exalateUrl, siteUrl: blue.siteUrl },
      kind: 'public',
      mode: 'script',
      partnerSiteUrl: world.site('green').siteUrl,
      expiresAt: made.expiresAt,
    });
    expect(made.partnerSiteUrl).toBe(world.site('green').siteUrl);
    // A day unless the admin chooses otherwise.
    expect(made.expiresAt - blue.platform().clock.now()).toBe(24 * 3600 * 1000);
    // The inviter keeps only a digest of the token.
    expect(JSON.stringify(blue.snapshot())).not.toContain(code.token);
  });
});

describe('accepting an invitation: every bad code is refused clearly and changes nothing', () => {
  it('refuses text that is not a code', async () => {
    const { blue, green, made } = await invitedWorld();
    const sites = [blue, green];
    const accept = (invitationCode: string) => () => green.call('acceptInvitation', { invitationCode, projectKey: 'SC' });
    await expectRejectedUnchanged(sites, accept('   '), 'InvalidInvitation', /^This is not an invitation code: the text is empty/);
    await expectRejectedUnchanged(sites, accept('hello there!'), 'InvalidInvitation', /^This is not an invitation code: it contains "!"/);
    await expectRejectedUnchanged(sites, accept(made.invitationCode.slice(0, 101)), 'InvalidInvitation', /^This is not an invitation code: (its last characters are damaged|it does not decode)/);
    await expectRejectedUnchanged(sites, accept(made.invitationCode.slice(0, 120)), 'InvalidInvitation', /^This is not an invitation code: it does not decode to invitation data/);
    await expectRejectedUnchanged(sites, accept(reencode({ hello: 'world' })), 'InvalidInvitation', /decodes to something other than an invitation/);
    await expectRejectedUnchanged(sites, accept(reencode([1, 2]) ), 'InvalidInvitation', /decodes to something other than an invitation/);
    await expectRejectedUnchanged(sites, accept('x'.repeat(9000)), 'InvalidInvitation', /9000 characters long/);
  });

  it('refuses a damaged code, naming the damaged part', async () => {
    const { blue, green, code } = await invitedWorld();
    const sites = [blue, green];
    const accept = (value: unknown) => () => green.call('acceptInvitation', { invitationCode: reencode(value), projectKey: 'SC' });
    const { inviter, ...rest } = code;
    await expectRejectedUnchanged(sites, accept({ ...rest }), 'InvalidInvitation', /^This invitation code is damaged: inviter /);
    await expectRejectedUnchanged(sites, accept({ ...code, inviter: { ...inviter, url: 'ftp://x' } }), 'InvalidInvitation', /^This invitation code is damaged: inviter\.url /);
    await expectRejectedUnchanged(sites, accept({ ...code, token: 'short' }), 'InvalidInvitation', /^This invitation code is damaged: token is not a 32-byte base64url value/);
    await expectRejectedUnchanged(sites, accept({ ...code, mode: 'groovy' }), 'InvalidInvitation', /^This invitation code is damaged: mode /);
    await expectRejectedUnchanged(sites, accept({ ...code, extra: true }), 'InvalidInvitation', /has unexpected parts \(extra\)/);
    await expectRejectedUnchanged(sites, accept({ ...code, v: 3 }), 'InvalidInvitation', /format version 3, which this version of the app does not understand \(it reads version 2\)\. The inviting site runs a newer version/);
    // A code from before the binding: the clear format message, and what to do.
    const { partnerSiteUrl: _site, ...unbound } = code;
    await expectRejectedUnchanged(sites, accept({ ...unbound, v: 1 }), 'InvalidInvitation', /format version 1, which this version of the app does not understand \(it reads version 2\)\. Codes made before invitations were bound to the partner site no longer work/);
  });

  it('refuses an expired code, saying until when it was valid', async () => {
    const { world, blue, green, made } = await invitedWorld();
    world.clock.advance(24 * 3600 * 1000 + 1);
    await expectRejectedUnchanged(
      [blue, green],
      () => green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }),
      'InvalidInvitation',
      'This invitation code has expired (it was valid until 2026-01-06 09:00:00 UTC). Ask your partner for a new one.',
    );
    expect((await rows(blue))[0]?.statusReason).toMatch(/The invitation expired on 2026-01-06 09:00:00 UTC/);
  });

  it('refuses a code whose expiry was pushed back by hand (the inviter holds the real one)', async () => {
    const { world, blue, green, code } = await invitedWorld();
    world.clock.advance(25 * 3600 * 1000);
    const stretched = encodeInvitation({ ...code, expiresAt: code.expiresAt + 7 * 24 * 3600 * 1000 });
    await expectRejectedUnchanged(
      [blue, green],
      () => green.call('acceptInvitation', { invitationCode: stretched, projectKey: 'SC' }),
      'InvalidInvitation',
      /does not match the invitation it names: it was altered/,
    );
  });

  it('refuses tampered terms and a tampered token', async () => {
    const { blue, green, code } = await invitedWorld();
    const sites = [blue, green];
    const accept = (invitationCode: string) => () => green.call('acceptInvitation', { invitationCode, projectKey: 'SC' });
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, mode: 'basic' })), 'InvalidInvitation', /does not match the invitation it names: it was altered/);
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, name: 'Other' })), 'InvalidInvitation', /does not match the invitation it names/);
    const token = Buffer.from(code.token, 'base64url');
    token[0] = token[0]! ^ 1;
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, token: token.toString('base64url') })), 'InvalidInvitation', /^The secret part of this invitation code does not match/);
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, connectionId: 'abc-123' })), 'InvalidInvitation', /has no invitation with this code/);
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, inviter: { ...code.inviter, url: 'https://localhost:9/x' } })), 'PartnerUnavailable', /could not be reached/);
    // A code steering the acceptor to plain http is refused without a call.
    await expectRejectedUnchanged(sites, accept(encodeInvitation({ ...code, inviter: { ...code.inviter, url: 'http://localhost:9/x' } })), 'InvalidInvitation', /uses plain http/);
  });

  it('refuses a code that was already used, on the same instance and on any other', async () => {
    const { world, blue, green, made } = await invitedWorld(['red']);
    const red = world.site('red');
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    const sites = [blue, green, red];
    await expectRejectedUnchanged(sites, () => green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', 'This invitation code was already used. Ask your partner for a new one.');
    // Red is not the site it was made for: it hears that first, before it sends anything.
    await expectRejectedUnchanged(sites, () => red.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', `This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.`);
  });

  it('refuses a code accepted on the instance that made it, or on another instance than it was made for', async () => {
    const { world, blue, green, made } = await invitedWorld(['red']);
    const red = world.site('red');
    await expectRejectedUnchanged([blue, green], () => blue.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', /was created on this instance/);
    await expectRejectedUnchanged([blue, red], () => red.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', `This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.`);
    // Still good for the instance it was made for.
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
  });

  it('refuses an unknown project before the code is spent', async () => {
    const { blue, green, made } = await invitedWorld();
    await expectRejectedUnchanged([blue, green], () => green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'NOPE' }), 'BadInput', 'Project NOPE does not exist.');
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
  });

  it('refuses the code of a deleted connection, and an old code once a new one was issued', async () => {
    const { blue, green, made } = await invitedWorld();
    const renewed = await blue.call<{ invitationCode: string }>('renewInvitation', { connectionId: made.connectionId });
    await expectRejectedUnchanged([blue, green], () => green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', /a newer code replaced it/);
    await blue.call('deleteConnection', { connectionId: made.connectionId });
    await expectRejectedUnchanged([blue, green], () => green.call('acceptInvitation', { invitationCode: renewed.invitationCode, projectKey: 'SC' }), 'InvalidInvitation', /has no invitation with this code: it was deleted/);
  });

  it('is idempotent when the answer to the handshake is lost: the retry gets the same answer', async () => {
    const { world, blue, green, made } = await invitedWorld();
    world.network.loseResponses(blue.exalateUrl, 1);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    expect((await rows(green))[0]?.status).toBe('Active');
    expect((await rows(blue))[0]?.status).toBe('Active');
    expect(await green.call('pingConnection', { connectionId: made.connectionId })).toMatchObject({ reachable: true });
    expect(await blue.call('pingConnection', { connectionId: made.connectionId })).toMatchObject({ reachable: true });
  });

  it('tells the admin the inviter is unreachable without spending the code', async () => {
    const { world, blue, green, made } = await invitedWorld();
    world.network.setDown(blue.exalateUrl, 'refused');
    await expectRejectedUnchanged([blue, green], () => green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }), 'PartnerUnavailable', /could not be reached: .*\. The invitation code is still valid/);
    world.network.setDown(blue.exalateUrl, null);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
  });

  it('never shows or logs the secret', async () => {
    const { world, blue, green, made } = await invitedWorld();
    const accepted = await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    const secret = (blue.snapshot().secrets[`connection-secret:${made.connectionId}`] as { current: string }).current;
    expect((green.snapshot().secrets[`connection-secret:${made.connectionId}`] as { current: string }).current).toBe(secret);
    const everything = JSON.stringify([accepted, await blue.call('listConnections'), await green.call('listConnections'), blue.log.entries, green.log.entries]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
    // Nor did it cross the wire.
    expect(world.network.log.length).toBeGreaterThan(0);
  });
});
