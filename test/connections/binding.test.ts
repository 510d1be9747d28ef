import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../src/domain/errors';
import { decodeInvitation } from '../../src/domain/invitation';
import { siteOf } from '../../src/domain/site-url';
import { handlePartnerRequest } from '../../src/transport';
import type { PartnerReply } from '../../src/transport/http';
import { World, type Site } from '../transport/world';
import { forgedAcceptance } from './forged';
import { initiate, row, rows } from './helpers';

// Invitation codes are bound to the partner site the inviter named: a code
// that leaks is refused on any other site, whatever that site's app says
// about itself, and nothing is made anywhere by the attempt.

async function threeSites() {
  const world = new World({ sites: ['blue', 'green', 'red'] });
  for (const site of Object.values(world.sites)) await site.call('getInstance');
  return { world, blue: world.site('blue'), green: world.site('green'), red: world.site('red') };
}

async function rejection(run: () => Promise<unknown>): Promise<Error & { kind: string }> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeDefined();
  expect(isAppError(error), String(error)).toBe(true);
  return error as Error & { kind: string };
}

const accept = (site: Site, invitationCode: string) => () => site.call('acceptInvitation', { invitationCode, projectKey: 'SC' });

/** What a changed app on a third site can learn and claim: the partner's public identity (its Exalate URL answers it to anyone). */
async function partnerIdentity(partner: Site) {
  const info = await partner.call<{ instanceId: string }>('getInstance');
  return { instanceId: info.instanceId, siteUrl: partner.siteUrl };
}

/** No site has a connection, a connection secret or an acceptance in progress; the inviter has only its pending one. */
async function nothingMadeAnywhere(world: World, inviter: Site, pendingId: string) {
  for (const site of Object.values(world.sites)) {
    const list = await rows(site);
    expect(list.map((r) => [r.id, r.status]), site.name).toEqual(site === inviter ? [[pendingId, 'Pending']] : []);
    const snapshot = site.snapshot();
    expect(Object.keys(snapshot.secrets).filter((k) => k.startsWith('connection-secret:') || k.startsWith('invitation-accepting:')), site.name).toEqual([]);
    expect(Object.keys(snapshot.values).filter((k) => k.startsWith('connection:')), site.name).toEqual(site === inviter ? [`connection:${pendingId}`] : []);
    // No acceptance claimed the invitation (a revocation marker may hold its slot).
    const used = Object.entries(snapshot.values).filter(([k, v]) => k.startsWith('invitation-used:') && !(v as { revoked?: boolean }).revoked);
    expect(used, site.name).toEqual([]);
  }
}

function refusedReply(reply: PartnerReply): { status: number; code: string; reason: string } {
  if (reply.kind !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(reply)}`);
  return { status: reply.status, code: reply.code, reason: reply.reason };
}

async function expectConnected(blue: Site, green: Site, id: string) {
  expect((await row(blue, id))?.status).toBe('Active');
  expect((await row(green, id))?.status).toBe('Active');
  expect(await green.call('pingConnection', { connectionId: id })).toMatchObject({ reachable: true });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a site named by a URL', () => {
  it('is spelled one way however it was written', () => {
    expect(siteOf('https://ACME.atlassian.net/jira/your-work?x=1#top')).toBe('https://acme.atlassian.net');
    expect(siteOf(' https://acme.atlassian.net:443/ ')).toBe('https://acme.atlassian.net');
    expect(siteOf('HTTP://LOCALHOST:8080/green/')).toBe('http://localhost:8080/green');
    expect(siteOf('http://localhost:8080/green')).not.toBe(siteOf('http://localhost:8080/red'));
    expect(siteOf('acme')).toBeNull();
    expect(siteOf('ftp://acme.atlassian.net')).toBeNull();
    expect(siteOf('')).toBeNull();
  });
});

describe('initiating binds the code to the partner site', () => {
  it('asks for the partner site of a private connection, saying what to paste', async () => {
    const { blue, green } = await threeSites();
    await expect(initiate(blue, null)).rejects.toThrow(
      "partnerSiteUrl: without a destination URL, the invitation code works only on the partner's Jira site: enter its address, such as https://acme.atlassian.net.",
    );
    await expect(initiate(blue, null, { partnerSiteUrl: 'acme' })).rejects.toThrow(
      `partnerSiteUrl: "acme" is not a web address. Paste your partner's Jira site address, such as https://acme.atlassian.net.`,
    );
    await expect(initiate(blue, null, { partnerSiteUrl: `${blue.siteUrl}/` })).rejects.toThrow(`partnerSiteUrl: ${blue.siteUrl} is this site.`);
    expect(await rows(blue)).toEqual([]);

    const made = await initiate(blue, null, { partnerSiteUrl: 'HTTP://LOCALHOST:8080/green/' });
    expect(made.partnerSiteUrl).toBe(green.siteUrl);
    expect(decodeInvitation(made.invitationCode).partnerSiteUrl).toBe(green.siteUrl);
    expect(await row(blue, made.connectionId)).toMatchObject({ status: 'Pending', invitation: 'waiting', remoteSiteUrl: green.siteUrl });
  });

  it('takes the site a public destination answers; a site the admin also gives must agree', async () => {
    const { blue, green, red } = await threeSites();
    await expect(initiate(blue, green, { partnerSiteUrl: red.siteUrl })).rejects.toThrow(
      `partnerSiteUrl: the destination ${green.exalateUrl} belongs to the Jira site ${green.siteUrl}, not ${red.siteUrl}. Check the partner's site address, or leave it empty to use ${green.siteUrl}.`,
    );
    expect(await rows(blue)).toEqual([]);
    expect((await initiate(blue, green, { partnerSiteUrl: `${green.siteUrl}/` })).partnerSiteUrl).toBe(green.siteUrl);
    expect((await initiate(blue, green)).partnerSiteUrl).toBe(green.siteUrl);
  });
});

describe('a leaked code', () => {
  for (const kind of ['public', 'private'] as const) {
    it(`(${kind}) accepted on a third site is refused there before anything is sent, and still works for its partner`, async () => {
      const { world, blue, green, red } = await threeSites();
      const made = await initiate(blue, kind === 'public' ? green : null, { partnerSiteUrl: green.siteUrl });
      const calls = world.network.log.length;
      const error = await rejection(accept(red, made.invitationCode));
      expect(error.kind).toBe('InvalidInvitation');
      expect(error.message).toBe(`This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.`);
      expect(world.network.log.length).toBe(calls);
      await nothingMadeAnywhere(world, blue, made.connectionId);

      await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
      await world.runDue();
      await expectConnected(blue, green, made.connectionId);
      expect(await rows(red)).toEqual([]);
    });

    it(`(${kind}) is refused by the inviter when the third site's app tells the truth about its site, and the inviter's row says so`, async () => {
      const { world, blue, green, red } = await threeSites();
      const made = await initiate(blue, kind === 'public' ? green : null, { partnerSiteUrl: green.siteUrl });
      // A changed app that skips its own check and sends the acceptance anyway.
      const reply = refusedReply(await forgedAcceptance(red, made.invitationCode, { url: kind === 'public' ? red.exalateUrl : null }));
      expect(reply).toEqual({
        status: 403,
        code: 'wrong-site',
        reason: `This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.`,
      });
      expect((await row(blue, made.connectionId))?.statusReason).toMatch(
        new RegExp(`^Waiting for the partner to accept the invitation on ${green.siteUrl} .*\\. 2026-01-05 09:00:00 UTC: Someone tried to accept this invitation from ${red.siteUrl}, which it was not made for; refused\\.$`),
      );
      await nothingMadeAnywhere(world, blue, made.connectionId);

      await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
      await world.runDue();
      await expectConnected(blue, green, made.connectionId);
      // Accepted: the note goes with the invitation.
      expect(blue.kvs.keys('invitation-refused:')).toEqual([]);
    });
  }

  it("(public) is refused when the third site claims the partner's site but gives its own Exalate URL", async () => {
    const { world, blue, green, red } = await threeSites();
    const made = await initiate(blue, green);
    const reply = refusedReply(await forgedAcceptance(red, made.invitationCode, { ...(await partnerIdentity(green)), url: red.exalateUrl }));
    expect(reply).toMatchObject({ status: 403, code: 'wrong-url' });
    expect(reply.reason).toBe(`This invitation was made for the Exalate at ${green.exalateUrl}; this instance's is ${red.exalateUrl}. Ask your partner for a code made for this instance.`);
    expect((await row(blue, made.connectionId))?.statusReason).toContain(`Someone tried to accept this invitation from ${green.siteUrl} with the Exalate URL ${red.exalateUrl}, not ${green.exalateUrl}, the one it was made for; refused.`);
    await nothingMadeAnywhere(world, blue, made.connectionId);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    await expectConnected(blue, green, made.connectionId);
  });

  it("(public) fails the challenge when the third site claims the partner's site and URL: the partner is not accepting it", async () => {
    const { world, blue, green, red } = await threeSites();
    const made = await initiate(blue, green);
    const before = world.network.log.length;
    const reply = refusedReply(await forgedAcceptance(red, made.invitationCode, { ...(await partnerIdentity(green)), url: green.exalateUrl }));
    expect(reply).toMatchObject({ status: 403, code: 'unconfirmed' });
    expect(reply.reason).toBe(
      `The inviting instance could not confirm this acceptance with the Exalate at ${green.exalateUrl}: it answered: This instance is not accepting that invitation right now. The code is still valid on the site it was made for (${green.siteUrl}), whose Exalate URL the inviting instance must be able to reach.`,
    );
    // The inviter called the partner's own endpoint back (the URL it resolved itself), and nothing else.
    expect(world.network.log.slice(before).map((r) => [r.url, r.status])).toEqual([
      [blue.exalateUrl, 403],
      [green.exalateUrl, 404],
    ]);
    expect((await row(blue, made.connectionId))?.statusReason).toContain(
      `Someone tried to accept this invitation as ${green.siteUrl}, but the Exalate at ${green.exalateUrl} did not confirm it (it answered: This instance is not accepting that invitation right now); refused.`,
    );
    await nothingMadeAnywhere(world, blue, made.connectionId);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    await expectConnected(blue, green, made.connectionId);
  });

  it('(public) cannot ride on the partner accepting at the very same moment: the challenge names the acceptance', async () => {
    const { world, blue, green, red } = await threeSites();
    const made = await initiate(blue, green);
    let intruder: PartnerReply | undefined;
    let started = false;
    world.network.register(blue.exalateUrl, async (request) => {
      if (!started && request.method === 'POST') {
        // Green's acceptance has arrived and green is waiting for its answer: red strikes now.
        started = true;
        intruder = await forgedAcceptance(red, made.invitationCode, { ...(await partnerIdentity(green)), url: green.exalateUrl });
      }
      return handlePartnerRequest(blue.platform(), blue.deps, request);
    });
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    expect(refusedReply(intruder!)).toMatchObject({ status: 403, code: 'unconfirmed' });
    await expectConnected(blue, green, made.connectionId);
    const blueSecret = blue.snapshot().secrets[`connection-secret:${made.connectionId}`];
    expect(green.snapshot().secrets[`connection-secret:${made.connectionId}`]).toEqual(blueSecret);
    // Green's note of its acceptance in progress is gone.
    expect(Object.keys(green.snapshot().secrets).filter((k) => k.startsWith('invitation-accepting:'))).toEqual([]);
  });

  it('(public) is refused, code still valid, when the partner does not answer the challenge in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { world, blue, green } = await threeSites();
    const made = await initiate(blue, green);
    let challenged = false;
    world.network.register(green.exalateUrl, async (request) => {
      if (request.body.includes('"type":"challenge"')) {
        challenged = true;
        return new Promise(() => undefined);
      }
      return handlePartnerRequest(green.platform(), green.deps, request);
    });
    const attempt = green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' }).catch((e: unknown) => e);
    for (let i = 0; i < 50 && !challenged; i++) await vi.advanceTimersByTimeAsync(0);
    expect(challenged).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    const error = (await attempt) as Error;
    expect(isAppError(error)).toBe(true);
    expect(error.message).toMatch(/^The inviting instance could not confirm this acceptance with the Exalate at .*: it did not answer within 10 s\./);
    await nothingMadeAnywhere(world, blue, made.connectionId);
  });
});

describe('revoked, expired and used codes: a clear message on both sides', () => {
  for (const kind of ['public', 'private'] as const) {
    it(`(${kind}) a revoked code is refused with who revoked it; the pending row says it was revoked; a renewed code works`, async () => {
      const { world, blue, green } = await threeSites();
      const made = await initiate(blue, kind === 'public' ? green : null, { partnerSiteUrl: green.siteUrl });
      world.clock.advance(10 * 60_000);
      const revoked = await blue.call<{ connection: { status: string; invitation: string; statusReason: string } }>('revokeInvitation', { connectionId: made.connectionId });
      expect(revoked.connection).toMatchObject({
        status: 'Pending',
        invitation: 'revoked',
        statusReason: 'The invitation code was revoked on 2026-01-05 09:10:00 UTC. Delete this connection; to invite the partner again, initiate a new one.',
      });
      expect(await blue.call('getInvitation', { connectionId: made.connectionId })).toMatchObject({ status: 'revoked', expiresAt: null });
      // Revoking again changes nothing.
      world.clock.advance(60_000);
      await blue.call('revokeInvitation', { connectionId: made.connectionId });

      const greenBefore = JSON.stringify(green.snapshot());
      const error = await rejection(accept(green, made.invitationCode));
      expect(error.kind).toBe('InvalidInvitation');
      expect(error.message).toBe('This invitation code was revoked by BlueJira on 2026-01-05 09:10:00 UTC. Ask your partner for a new one.');
      expect(JSON.stringify(green.snapshot())).toBe(greenBefore);
      // Only the marker is left of the code: its token digest is gone.
      expect(blue.kvs.keys('invitation:')).toEqual([]);
      expect(blue.kvs.keys('invitation-used:')).toEqual([`invitation-used:${made.connectionId}`]);

      const renewed = await blue.call<{ invitationCode: string }>('renewInvitation', { connectionId: made.connectionId });
      expect((await row(blue, made.connectionId))?.invitation).toBe('waiting');
      expect((await rejection(accept(green, made.invitationCode))).message).toMatch(/a newer code replaced it/);
      expect(decodeInvitation(renewed.invitationCode).partnerSiteUrl).toBe(green.siteUrl);
      await green.call('acceptInvitation', { invitationCode: renewed.invitationCode, projectKey: 'SC' });
      await world.runDue();
      await expectConnected(blue, green, made.connectionId);
      await expect(blue.call('revokeInvitation', { connectionId: made.connectionId })).rejects.toThrow(/was already accepted; to stop syncing, deactivate or delete the connection/);
    });
  }

  it('only the inviting side of a pending invitation can revoke it', async () => {
    const { world, blue, green } = await threeSites();
    const made = await initiate(blue, green);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    await expect(green.call('revokeInvitation', { connectionId: made.connectionId })).rejects.toThrow(/was not made from an invitation issued here; there is no code to revoke/);
    const local = await blue.call<{ connectionId: string }>('initiateConnection', {
      destinationUrl: blue.exalateUrl, mode: 'basic', localName: 'A', remoteName: 'B', projectKey: 'UD', remoteProjectKey: 'SC',
    });
    await expect(blue.call('revokeInvitation', { connectionId: local.connectionId })).rejects.toThrow(/there is no code to revoke/);
    await expect(blue.call('revokeInvitation', { connectionId: 'nope' })).rejects.toThrow(/no connection with id nope/);
    expect(world.deadEvents).toEqual([]);
  });

  it('a revocation and an acceptance cannot both win: revoked while the inviter checks the acceptor, the acceptance is refused', async () => {
    const { world, blue, green } = await threeSites();
    const made = await initiate(blue, green);
    world.network.register(green.exalateUrl, async (request) => {
      if (request.body.includes('"type":"challenge"')) await blue.call('revokeInvitation', { connectionId: made.connectionId });
      return handlePartnerRequest(green.platform(), green.deps, request);
    });
    const error = await rejection(accept(green, made.invitationCode));
    expect(error.message).toBe('This invitation code was revoked by BlueJira on 2026-01-05 09:00:00 UTC. Ask your partner for a new one.');
    await nothingMadeAnywhere(world, blue, made.connectionId);
    expect((await row(blue, made.connectionId))?.invitation).toBe('revoked');
  });

  it('an expired code is refused by the acceptor, and by the inviter if an acceptor skips that check', async () => {
    const { world, blue, green } = await threeSites();
    const made = await initiate(blue, green, { validForHours: 2 });
    world.clock.advance(2 * 3600_000 + 1);
    const message = 'This invitation code has expired (it was valid until 2026-01-05 11:00:00 UTC). Ask your partner for a new one.';
    expect((await rejection(accept(green, made.invitationCode))).message).toBe(message);
    expect(refusedReply(await forgedAcceptance(green, made.invitationCode))).toEqual({ status: 400, code: 'expired', reason: message });
    expect(await row(blue, made.connectionId)).toMatchObject({
      invitation: 'expired',
      statusReason: 'The invitation expired on 2026-01-05 11:00:00 UTC. Renew it or delete the connection.',
    });
    await nothingMadeAnywhere(world, blue, made.connectionId);
  });

  it('a used code is refused on the partner, by the inviter, and on any other site', async () => {
    const { world, blue, green, red } = await threeSites();
    const made = await initiate(blue, green);
    await green.call('acceptInvitation', { invitationCode: made.invitationCode, projectKey: 'SC' });
    const used = 'This invitation code was already used. Ask your partner for a new one.';
    expect((await rejection(accept(green, made.invitationCode))).message).toBe(used);
    expect(refusedReply(await forgedAcceptance(green, made.invitationCode))).toEqual({ status: 409, code: 'used', reason: used });
    expect((await rejection(accept(red, made.invitationCode))).message).toMatch(/^This invitation was made for /);
    expect(refusedReply(await forgedAcceptance(red, made.invitationCode, { ...(await partnerIdentity(green)), url: green.exalateUrl }))).toMatchObject({ status: 409, code: 'used' });
    await world.runDue();
    await expectConnected(blue, green, made.connectionId);
    expect(await rows(red)).toEqual([]);
  });
});
