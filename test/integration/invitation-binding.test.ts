import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import { decodeInvitation, termsOf } from '../../src/domain/invitation';
import type { HandshakeAccept } from '../../src/domain/messages';
import { tokenDigest } from '../../src/connections/secrets';
import { sign } from '../../src/transport/signing';
import { invoke, twoSites } from './helpers';

// A leaked invitation code in the local runtime with three sites: blue
// invites green, red holds the code. Everything goes through the resolvers
// and the web triggers as the admin pages and partner sites use them.

const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const fromProjectSettings = (accountId: string, projectKey: string) => ({ moduleKey: 'exalate-project-settings', accountId, extension: { project: { key: projectKey } } });

let rt: Awaited<ReturnType<typeof twoSites>>;
type Instance = { instanceId: string; exalateUrl: string; siteUrl: string };
let green: Instance;
let red: Instance;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites({ siteNames: ['blue', 'green', 'red'] });
  green = await invoke<Instance>(rt, 'green', 'getInstance');
  red = await invoke<Instance>(rt, 'red', 'getInstance');
});
afterEach(() => {
  rt?.close();
  vi.useRealTimers();
});

type Row = { id: string; status: string; statusReason: string | null; invitation?: string | null };
const rows = async (site: string) => (await invoke<{ connections: Row[] }>(rt, site, 'listConnections')).connections;

async function invite(kind: 'public' | 'private', extra: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return invoke<{ connectionId: string; invitationCode: string; partnerSiteUrl: string }>(
    rt,
    'blue',
    'initiateConnection',
    {
      destinationUrl: kind === 'public' ? green.exalateUrl : null,
      ...(kind === 'private' ? { partnerSiteUrl: green.siteUrl } : {}),
      mode: 'basic',
      localName: 'BlueJira',
      remoteName: 'GreenJira',
      projectKey: 'UD',
      ...extra,
    },
    context,
  );
}

const acceptOn = (site: string, invitationCode: string) => invoke(rt, site, 'acceptInvitation', { invitationCode, projectKey: 'SC' });

/** Blue has only the pending connection; green and red have none. */
async function onlyThePendingInvitation(connectionId: string) {
  expect((await rows('blue')).map((r) => [r.id, r.status])).toEqual([[connectionId, 'Pending']]);
  expect(await rows('green')).toEqual([]);
  expect(await rows('red')).toEqual([]);
}

/** Green accepts the code it was made for: Active on both sides, nothing on red. */
async function greenAccepts(invitationCode: string, connectionId: string) {
  await acceptOn('green', invitationCode);
  await rt.settle();
  expect((await rows('blue')).map((r) => [r.id, r.status])).toEqual([[connectionId, 'Active']]);
  expect((await rows('green')).map((r) => [r.id, r.status])).toEqual([[connectionId, 'Active']]);
  expect(await rows('red')).toEqual([]);
}

/** Red's app, changed to send the acceptance straight to blue's web trigger, saying what it likes about itself. */
async function redSendsAnyway(invitationCode: string, acceptor: HandshakeAccept['acceptor']) {
  const code = decodeInvitation(invitationCode);
  const body: HandshakeAccept = { phase: 'accept', invitation: termsOf(code), acceptor, nonce: 'r'.repeat(43) };
  const envelope = { v: PROTOCOL_VERSION, connectionId: code.connectionId, messageId: 'red-acceptance-1', seq: 0, sentAt: Date.now(), type: 'handshake', body };
  const raw = JSON.stringify(envelope);
  const timestamp = String(Date.now());
  const response = await rt.fetch(code.inviter.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sync-timestamp': timestamp, 'x-sync-signature': sign(tokenDigest(code.token), timestamp, envelope.messageId, raw) },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as { code: string; error: string } };
}

describe('an invitation code leaked to a third site', () => {
  for (const kind of ['public', 'private'] as const) {
    it(`(${kind}) is refused on red with a clear error; nothing is made on any site, and green can still accept it`, async () => {
      const made = await invite(kind);
      expect(made.partnerSiteUrl).toBe(green.siteUrl);
      await expect(acceptOn('red', made.invitationCode)).rejects.toThrow(
        `acceptInvitation → 400: This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.`,
      );
      await rt.settle();
      await onlyThePendingInvitation(made.connectionId);
      await greenAccepts(made.invitationCode, made.connectionId);
    });
  }

  it("fails the challenge when red's changed app claims green's site, instance and Exalate URL", async () => {
    const made = await invite('public');
    const answer = await redSendsAnyway(made.invitationCode, { instanceId: green.instanceId, name: 'red', url: green.exalateUrl, siteUrl: green.siteUrl, projectKey: 'SC' });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('unconfirmed');
    expect(answer.body.error).toMatch(/^The inviting instance could not confirm this acceptance with the Exalate at .*green\/x\/partner-endpoint: it answered: This instance is not accepting that invitation right now\./);
    await rt.settle();
    await onlyThePendingInvitation(made.connectionId);
    expect((await rows('blue'))[0]!.statusReason).toMatch(new RegExp(`Someone tried to accept this invitation as ${green.siteUrl}, but the Exalate at ${green.exalateUrl} did not confirm it`));
    await greenAccepts(made.invitationCode, made.connectionId);
  });

  it("is refused by blue when red's changed app tells its own site, and blue's pending row says who tried", async () => {
    const made = await invite('private');
    const answer = await redSendsAnyway(made.invitationCode, { instanceId: red.instanceId, name: 'red', url: null, siteUrl: red.siteUrl, projectKey: 'SC' });
    expect(answer).toEqual({
      status: 403,
      body: { code: 'wrong-site', retryable: false, error: `This invitation was made for ${green.siteUrl}; this site is ${red.siteUrl}. Ask your partner for a code made for this site.` },
    });
    expect((await rows('blue'))[0]!.statusReason).toContain(`Someone tried to accept this invitation from ${red.siteUrl}, which it was not made for; refused.`);
    await onlyThePendingInvitation(made.connectionId);
    await greenAccepts(made.invitationCode, made.connectionId);
  });
});

describe('revoked, expired and used codes in the local runtime', () => {
  it('a code revoked from project settings is refused on green naming the inviter; blue shows who revoked it', async () => {
    const made = await invite('public', {}, fromProjectSettings(DAN, 'UD'));
    vi.setSystemTime(Date.parse('2026-11-23T09:30:00Z'));
    const revoked = await invoke<{ connection: Row }>(rt, 'blue', 'revokeInvitation', { connectionId: made.connectionId }, fromProjectSettings(DAN, 'UD'));
    expect(revoked.connection).toMatchObject({
      status: 'Pending',
      invitation: 'revoked',
      statusReason: 'The invitation code was revoked by Dan Evans on 2026-11-23 09:30:00 UTC. Delete this connection; to invite the partner again, initiate a new one.',
    });
    await expect(acceptOn('green', made.invitationCode)).rejects.toThrow(
      'acceptInvitation → 400: This invitation code was revoked by BlueJira on 2026-11-23 09:30:00 UTC. Ask your partner for a new one.',
    );
    await onlyThePendingInvitation(made.connectionId);
    // A project admin reaches only their own project's connections.
    const other = await invite('public', { projectKey: 'TEST' });
    await expect(invoke(rt, 'blue', 'revokeInvitation', { connectionId: other.connectionId }, fromProjectSettings(DAN, 'UD'))).rejects.toThrow(/403: This connection belongs to project TEST/);
  });

  it('an expired code is refused on green; blue shows it expired', async () => {
    const made = await invite('private', { validForHours: 1 });
    vi.setSystemTime(Date.parse('2026-11-23T10:00:01Z'));
    await expect(acceptOn('green', made.invitationCode)).rejects.toThrow(
      'acceptInvitation → 400: This invitation code has expired (it was valid until 2026-11-23 10:00:00 UTC). Ask your partner for a new one.',
    );
    expect((await rows('blue'))[0]).toMatchObject({ invitation: 'expired', statusReason: 'The invitation expired on 2026-11-23 10:00:00 UTC. Renew it or delete the connection.' });
    await onlyThePendingInvitation(made.connectionId);
  });

  it('a used code is refused on green and on red', async () => {
    const made = await invite('public');
    await greenAccepts(made.invitationCode, made.connectionId);
    await expect(acceptOn('green', made.invitationCode)).rejects.toThrow('acceptInvitation → 400: This invitation code was already used. Ask your partner for a new one.');
    await expect(acceptOn('red', made.invitationCode)).rejects.toThrow(/400: This invitation was made for /);
    const answer = await redSendsAnyway(made.invitationCode, { instanceId: green.instanceId, name: 'red', url: green.exalateUrl, siteUrl: green.siteUrl, projectKey: 'SC' });
    expect(answer).toMatchObject({ status: 409, body: { code: 'used', error: 'This invitation code was already used. Ask your partner for a new one.' } });
    expect(await rows('red')).toEqual([]);
  });
});

describe('http addresses', () => {
  it('are refused for a partner site outside the sandbox, at the step where they are entered', async () => {
    await expect(invite('private', { partnerSiteUrl: 'http://acme.atlassian.net' })).rejects.toThrow(/400: partnerSiteUrl: The Jira site http:\/\/acme\.atlassian\.net is not an https:\/\/ address/);
    expect(await rows('blue')).toEqual([]);
  });

  it('are refused in a code whose inviter is not one of the sandbox\'s own web triggers, before anything is sent', async () => {
    const { invitationCode } = await invite('private');
    const code = decodeInvitation(invitationCode);
    const tampered = Buffer.from(JSON.stringify({ ...code, inviter: { ...code.inviter, url: 'http://evil.example/x/partner-endpoint' } }), 'utf8').toString('base64url');
    await expect(acceptOn('green', tampered)).rejects.toThrow(/400: This invitation code points at an address this app will not call: The partner URL http:\/\/evil\.example\/x\/partner-endpoint uses plain http/);
    expect(await rows('green')).toEqual([]);
  });
});
