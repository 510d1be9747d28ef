import { z } from 'zod';
import { AppError } from './errors';
import { ConnectionMode } from './connection';
import { madeForAnotherSiteMessage, siteOf } from './site-url';

export { madeForAnotherSiteMessage } from './site-url';

// The invitation code an admin copies to the partner: base64url JSON. The
// code is not signed; tampering shows because the inviter compares every
// term with the invitation it issued and the token must prove itself.

/**
 * 2: the code names the partner site it was made for. Version 1 codes were
 * bearer codes any site could accept; they are refused with the format message
 * rather than read as unbound.
 */
export const INVITATION_VERSION = 2;
/** Generous for any real code (they are about 600 characters), small enough to refuse junk quickly. */
const MAX_CODE_LENGTH = 8_000;

export const Base64Url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a 32-byte base64url value');

export const InvitationInviter = z.strictObject({
  name: z.string().min(1).max(50),
  instanceId: z.string().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }),
  siteUrl: z.url({ protocol: /^https?$/ }),
});

/** Everything in a code but the token: what the inviter compares on acceptance. */
export const InvitationTerms = z.strictObject({
  v: z.literal(INVITATION_VERSION),
  connectionId: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'is not a connection id'),
  inviter: InvitationInviter,
  /** `private`: the acceptor has no URL and will poll the inviter. */
  kind: z.enum(['public', 'private']),
  mode: ConnectionMode,
  /** The connection name, the same on both sides. */
  name: z.string().min(1).max(120),
  /** What the inviter wrote about the connection, shown to the admin who accepts. */
  description: z.string().max(1000).optional(),
  /** What the inviter calls the acceptor: the acceptor's local short name. */
  inviteeName: z.string().min(1).max(50),
  /** The partner's Jira site, as `siteOf` spells it: the only site that may accept the code. */
  partnerSiteUrl: z.url({ protocol: /^https?$/ }),
  expiresAt: z.number().int().positive(),
});
export type InvitationTerms = z.infer<typeof InvitationTerms>;

export const InvitationCode = InvitationTerms.extend({ token: Base64Url32 });
export type InvitationCode = z.infer<typeof InvitationCode>;

const bad = (message: string) => new AppError('InvalidInvitation', message);

export function encodeInvitation(code: InvitationCode): string {
  return Buffer.from(JSON.stringify(code), 'utf8').toString('base64url');
}

/** The code's terms (without the token) in one canonical form, for fingerprints and handshakes. */
export function termsOf(code: InvitationCode): InvitationTerms {
  const { token: _token, ...terms } = code;
  return terms;
}

/** Sorted keys, no whitespace: the same terms give the same text on both sides. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Parse what a person pasted. Whitespace anywhere is ignored (codes get
 * wrapped in mail); everything else must be exactly a code this app issued.
 * Throws InvalidInvitation with a message that says what is wrong.
 */
export function decodeInvitation(pasted: string): InvitationCode {
  const text = pasted.replace(/\s+/g, '');
  if (!text) throw bad('This is not an invitation code: the text is empty. Paste the code your partner sent you.');
  if (text.length > MAX_CODE_LENGTH) {
    throw bad(`This is not an invitation code: it is ${text.length} characters long, far longer than any code.`);
  }
  const stray = text.match(/[^A-Za-z0-9_-]/);
  if (stray) {
    throw bad(`This is not an invitation code: it contains "${stray[0]}", which never appears in a code. Copy the code again with the Copy invitation code button.`);
  }
  const bytes = Buffer.from(text, 'base64url');
  // Base64 tolerates a few spare bits in the last character; a code with them changed is not the code that was issued.
  if (bytes.toString('base64url') !== text) {
    throw bad('This is not an invitation code: its last characters are damaged or missing. Copy the whole code again.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad('This is not an invitation code: it does not decode to invitation data. It may be truncated; copy the whole code again.');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || !('v' in json)) {
    throw bad('This is not an invitation code: it decodes to something other than an invitation.');
  }
  const version = (json as { v: unknown }).v;
  if (version !== INVITATION_VERSION) {
    const why =
      typeof version === 'number' && version < INVITATION_VERSION
        ? ' Codes made before invitations were bound to the partner site no longer work: ask your partner for a new code.'
        : typeof version === 'number'
          ? ' The inviting site runs a newer version of the app; update the app here, or ask your partner for a code this version reads.'
          : '';
    throw bad(`This invitation code has format version ${JSON.stringify(version)}, which this version of the app does not understand (it reads version ${INVITATION_VERSION}).${why}`);
  }
  const parsed = InvitationCode.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the code';
    throw bad(`This invitation code is damaged: ${where} ${describeIssue(issue, json)}. Ask your partner to copy it again.`);
  }
  return parsed.data;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Zod's issue in words an admin understands. */
function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const value = valueAt(json, issue.path);
  if (issue.code === 'unrecognized_keys') return `has unexpected parts (${issue.keys.join(', ')})`;
  if (value === undefined) return 'is missing';
  switch (issue.code) {
    case 'invalid_type':
      return `should be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${kindOf(value)}`;
    case 'invalid_value':
      return `is ${JSON.stringify(value)}, which is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'url') return 'is not a valid web address';
      return issue.format === 'regex' ? issue.message : `is not in the expected form (${issue.format})`;
    case 'too_small':
      return typeof value === 'string' ? 'is empty or too short' : 'is too small';
    case 'too_big':
      return typeof value === 'string' ? 'is too long' : 'is too large';
    default:
      return issue.message.toLowerCase();
  }
}

export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

export function assertNotExpired(code: Pick<InvitationCode, 'expiresAt'>, now: number): void {
  if (now > code.expiresAt) {
    throw bad(`This invitation code has expired (it was valid until ${formatInstant(code.expiresAt)}). Ask your partner for a new one.`);
  }
}

/** The acceptor's own check, before it sends anything: the code names the site it may be accepted on. */
export function assertMadeForSite(code: Pick<InvitationCode, 'partnerSiteUrl'>, thisSite: string): void {
  const madeFor = siteOf(code.partnerSiteUrl) ?? code.partnerSiteUrl;
  const here = siteOf(thisSite) ?? thisSite;
  if (madeFor !== here) throw bad(madeForAnotherSiteMessage(madeFor, here));
}

export function revokedMessage(inviterName: string, at: number): string {
  return `This invitation code was revoked by ${inviterName} on ${formatInstant(at)}. Ask your partner for a new one.`;
}
