import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { INVITATION_HOURS } from '../contract/inputs';
import { canonicalJson, encodeInvitation, INVITATION_VERSION, type InvitationCode, type InvitationTerms } from '../domain/invitation';
import { keyText, tokenDigest } from './secrets';
import { recordKind } from '../domain/stored-record';

// The inviter's side of an invitation: what it issued, kept so acceptance can
// be checked against it. The token itself is never stored, only its digest.

export const invitationKey = (connectionId: string) => `invitation:${connectionId}`;
export const invitationUsedKey = (connectionId: string) => `invitation-used:${connectionId}`;

/** An acceptance claim this old was left by a crashed invocation (the inviter's web trigger runs 55 s at most). */
export const STALE_CLAIM_MS = 120_000;

/** A code is short-lived: a day unless the admin chose 1–72 hours. */
export const DEFAULT_INVITATION_HOURS: number = INVITATION_HOURS.default;

export const InvitationRecord = z.object({
  connectionId: z.string(),
  /** SHA-256 of the token: keys the handshake proof, the challenge and the secret derivation. */
  tokenDigest: z.string(),
  /** SHA-256 of the code's terms: any altered term fails the comparison. */
  termsFingerprint: z.string(),
  expiresAt: z.number(),
  /** The partner's Jira site, as `siteOf` spells it: only an acceptor on this site may accept. */
  partnerSiteUrl: z.string().min(1),
  /** For a public connection, the partner's Exalate URL resolved at initiation: the challenge goes there. */
  expectedUrl: z.string().nullable(),
  /** For a public connection, the instance the invitation was made for (from its info answer). */
  expectedInstanceId: z.string().nullable(),
  createdAt: z.number(),
});
export type InvitationRecord = z.infer<typeof InvitationRecord>;

/** Written when an acceptance wins; keeps the answer so the very same request gets the very same answer. */
export const InvitationAcceptance = z.object({
  messageId: z.string(),
  requestHash: z.string(),
  at: z.number(),
  answer: z.object({ body: z.string(), timestamp: z.string(), signature: z.string() }).nullable(),
});
export type InvitationAcceptance = z.infer<typeof InvitationAcceptance>;

/**
 * Written when the inviter's admin revokes the code. It takes the same slot an
 * acceptance claims, so a revocation and an acceptance cannot both win, and it
 * stays as the small marker that lets a late acceptor hear "revoked".
 */
export const InvitationRevocation = z.object({
  revoked: z.literal(true),
  at: z.number(),
  /** The inviter's short name, as the partner knows it from the code. */
  inviterName: z.string(),
  /** Who revoked it, for this site's own admins; never sent to the partner. */
  by: z.string().nullable(),
});
export type InvitationRevocation = z.infer<typeof InvitationRevocation>;

/** What the one slot per invitation holds once something used it up. */
export const InvitationUse = z.union([InvitationRevocation, InvitationAcceptance]);
export type InvitationUse = z.infer<typeof InvitationUse>;

const invitationRecord = recordKind({ name: 'invitation', version: 1, schema: InvitationRecord, key: invitationKey });
const invitationUseRecord = recordKind({ name: 'invitation use', version: 1, schema: InvitationUse, key: invitationUsedKey });

export const isRevocation = (use: InvitationUse): use is InvitationRevocation => 'revoked' in use;

export async function readInvitationUse(platform: Platform, connectionId: string): Promise<InvitationUse | undefined> {
  return invitationUseRecord.find(platform, connectionId);
}

export const termsFingerprint = (terms: InvitationTerms): string =>
  createHash('sha256').update(canonicalJson(terms), 'utf8').digest('hex');

export async function readInvitation(platform: Platform, connectionId: string): Promise<InvitationRecord | undefined> {
  return invitationRecord.find(platform, connectionId);
}

export interface IssueInput {
  connection: ConnectionRecord;
  inviter: { name: string; instanceId: string; url: string; siteUrl: string };
  /** The partner's site, already spelled by `siteOf`. */
  partnerSiteUrl: string;
  expectedUrl: string | null;
  expectedInstanceId: string | null;
  validForHours: number;
}

/** Makes a new code for a pending connection; any earlier code for it stops working. */
export async function issueInvitation(platform: Platform, input: IssueInput): Promise<{ code: string; expiresAt: number }> {
  const { connection } = input;
  const token = keyText(platform.random.bytes(32));
  const expiresAt = platform.clock.now() + input.validForHours * 3600 * 1000;
  const code: InvitationCode = {
    v: INVITATION_VERSION,
    connectionId: connection.id,
    inviter: input.inviter,
    kind: connection.kind === 'private' ? 'private' : 'public',
    mode: connection.mode,
    name: connection.name,
    ...(connection.description ? { description: connection.description } : {}),
    inviteeName: connection.remote.name,
    partnerSiteUrl: input.partnerSiteUrl,
    expiresAt,
    token,
  };
  const { token: _token, ...terms } = code;
  const record: InvitationRecord = {
    connectionId: connection.id,
    tokenDigest: keyText(tokenDigest(token)),
    termsFingerprint: termsFingerprint(terms),
    expiresAt,
    partnerSiteUrl: input.partnerSiteUrl,
    expectedUrl: input.expectedUrl,
    expectedInstanceId: input.expectedInstanceId,
    createdAt: platform.clock.now(),
  };
  await platform.kvs.set(invitationKey(connection.id), record);
  return { code: encodeInvitation(code), expiresAt };
}
