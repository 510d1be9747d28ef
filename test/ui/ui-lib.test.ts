import { describe, expect, it } from 'vitest';
import { describeLastSync, timeAgo } from '../../static/src/lib/relative-time';
import { connectionKindFor, defaultConnectionName, shortNameFromUrl } from '../../static/src/lib/connection-names';
import { normalizeInvitationCode, readInvitationCode } from '../../static/src/lib/invitation';
import { describeRejection } from '../../static/src/lib/rejection';
import { checkIssueKey } from '../../static/src/lib/issue-key';
import { projectConnections } from '../../static/src/project/project-connections';
import type { Connection } from '../../static/src/schemas';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('last sync', () => {
  it('reads like the Connections table: "Issue TEST-777 · 46 minutes ago"', () => {
    expect(describeLastSync({ issueKey: 'TEST-777', at: NOW - 46 * 60_000 }, NOW)).toBe('Issue TEST-777 · 46 minutes ago');
    expect(describeLastSync({ issueKey: 'UD-1', at: '2026-03-01T11:59:40Z' }, NOW)).toBe('Issue UD-1 · just now');
    expect(describeLastSync(null, NOW)).toBe('Never');
    expect(timeAgo(NOW - 60_000, NOW)).toBe('1 minute ago');
    expect(timeAgo(NOW - 3 * 3600_000 - 10, NOW)).toBe('3 hours ago');
    expect(timeAgo(NOW - 2 * 86400_000, NOW)).toBe('2 days ago');
    expect(timeAgo('not a date', NOW)).toBe('at an unknown time');
  });
});

describe('connection names', () => {
  it('builds Local_to_Remote and reads a short name from the destination URL', () => {
    expect(defaultConnectionName('blue', 'green')).toBe('blue_to_green');
    expect(defaultConnectionName(' ', '')).toBe('');
    expect(shortNameFromUrl('https://acme.atlassian.net')).toBe('acme');
    expect(shortNameFromUrl('http://localhost:8080/green/x/partner-endpoint')).toBe('green');
    expect(shortNameFromUrl('https://abc123.hello.atlassian-dev.net/x1/xyz')).toBe('abc123');
    expect(shortNameFromUrl('not a url')).toBe('');
  });

  it('knows a local connection by the site or Exalate URL, ignoring a trailing slash and case', () => {
    const own = { siteUrl: 'http://localhost:8080/blue', exalateUrl: 'http://localhost:8080/blue/x/partner-endpoint' };
    expect(connectionKindFor('http://LOCALHOST:8080/blue/', own)).toBe('local');
    expect(connectionKindFor('http://localhost:8080/blue/x/partner-endpoint', own)).toBe('local');
    expect(connectionKindFor('http://localhost:8080/green', own)).toBe('public');
    expect(connectionKindFor(null, own)).toBe('private');
  });
});

describe('invitation codes', () => {
  const code = Buffer.from(
    JSON.stringify({ v: 1, connectionId: 'c1', inviter: { name: 'blue', url: 'http://x', siteUrl: 'http://y' }, mode: 'basic', token: 't', expiresAt: 1 }),
  ).toString('base64url');

  it('reads the inviter and mode from a pasted code, line breaks and all', () => {
    const pasted = `${code.slice(0, 20)}\n  ${code.slice(20)}\n`;
    expect(normalizeInvitationCode(pasted)).toBe(code);
    const reading = readInvitationCode(pasted);
    expect(reading).toMatchObject({ ok: true, code, preview: { mode: 'basic', inviter: { name: 'blue' } } });
  });

  it('refuses text that is not a code, saying what to do', () => {
    expect(readInvitationCode('')).toEqual({ ok: false, reason: 'Paste the invitation code you received from your partner.' });
    expect(readInvitationCode('hello there!')).toMatchObject({ ok: false, reason: expect.stringMatching(/characters a code never has/) });
    expect(readInvitationCode(code.slice(0, 30))).toMatchObject({ ok: false, reason: expect.stringMatching(/incomplete or damaged/) });
  });
});

describe('resolver failures', () => {
  it('shows a thrown resolver error by its message, without Forge wrapping', () => {
    expect(describeRejection('acceptInvitation', new Error('There was an error invoking the function - The invitation code has expired.'))).toEqual({
      kind: 'Internal',
      resolver: 'acceptInvitation',
      status: undefined,
      message: 'The invitation code has expired.',
    });
  });

  it('keeps the kind and status the local runtime sends', () => {
    const local = Object.assign(new Error('The partner did not answer.'), { status: 502, kind: 'PartnerUnavailable' });
    expect(describeRejection('initiateConnection', local)).toMatchObject({ kind: 'PartnerUnavailable', status: 502, message: 'The partner did not answer.' });
    expect(describeRejection('x', { error: 'projectKey: Required', status: 400 })).toMatchObject({ kind: 'BadInput', message: 'projectKey: Required' });
  });

  it('explains missing resolvers and unreachable servers in plain words', () => {
    expect(describeRejection('listQueue', new Error("Resolver has no definition for 'listQueue'."))).toMatchObject({
      kind: 'NotBuiltYet',
      message: `This isn't available yet: the app's server has no "listQueue" action.`,
    });
    expect(describeRejection('listConnections', new TypeError('Failed to fetch'))).toMatchObject({ kind: 'Unreachable' });
    expect(describeRejection('listConnections', {})).toMatchObject({ kind: 'Internal', message: expect.stringMatching(/Something went wrong/) });
  });
});

describe('first sync and project connections', () => {
  it('accepts only issue keys of the incoming project', () => {
    expect(checkIssueKey('ud-12', 'UD')).toBeNull();
    expect(checkIssueKey('', 'UD')).toBe('Enter an issue key, such as UD-1.');
    expect(checkIssueKey('UD 12', 'UD')).toMatch(/not an issue key/);
    expect(checkIssueKey('SC-1', 'UD')).toBe('Enter an issue key from the project UD, such as UD-1.');
  });

  it('lists on a project page only the Basic connections whose incoming project it is', () => {
    const base: Connection = {
      id: 'c1', name: 'a', description: '', mode: 'basic', kind: 'public', side: null, localName: 'blue', remoteName: 'green', status: 'Active', statusReason: null,
      issuesUnderSync: 0, lastSync: null, localProjectKey: 'UD', remoteProjectKey: null, remoteUrl: null, lastContactAt: null, createdAt: 0,
    };
    const list = [base, { ...base, id: 'c2', localProjectKey: 'SC' }, { ...base, id: 'c3', mode: 'script' as const }, { ...base, id: 'c4', localProjectKey: 'sc' }];
    expect(projectConnections(list, 'UD').map((c) => c.id)).toEqual(['c1']);
  });
});
