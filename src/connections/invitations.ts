import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { canonicalJson, encodeInvitation, INVITATION_VERSION, type InvitationCode, type InvitationTerms } from '../domain/invitation';
import { keyText, tokenDigest } from './secrets';

// The inviter's side of an invitation: what it issued, kept so acceptance can
// be checked against it. The token itself is never stored, only its digest.

export const invitationKey = (connectionId: string) => `invitation:${connectionId}`;
export const invitationUsedKey = (connectionId: string) => `invitation-used:${connectionId}`;

export const DEFAULT_INVITATION_HOURS = 72;

export const InvitationRecord = z.object({
  connectionId: z.string(),
  /** SHA-256 of the token: keys the handshake proof and the secret derivation. */
  tokenDigest: z.string(),
  /** SHA-256 of the code's terms: any altered term fails the comparison. */
  termsFingerprint: z.string(),
  expiresAt: z.number(),
  /** For a public connection, the instance the invitation was made for (from its info answer). */
  expectedInstanceId: z.string().nullable(),
  createdAt: z.number(),
});
export type InvitationRecord = z.infer<typeof InvitationRecord>;

/** Written when an acceptance wins; keeps the answer so the very same request gets the very same answer. */
export const InvitationUse = z.object({
  messageId: z.string(),
  requestHash: z.string(),
  at: z.number(),
  answer: z.object({ body: z.string(), timestamp: z.string(), signature: z.string() }).nullable(),
});
export type InvitationUse = z.infer<typeof InvitationUse>;

export const termsFingerprint = (terms: InvitationTerms): string =>
  createHash('sha256').update(canonicalJson(terms), 'utf8').digest('hex');

export async function readInvitation(platform: Platform, connectionId: string): Promise<InvitationRecord | undefined> {
  const parsed = InvitationRecord.safeParse(await platform.kvs.get(invitationKey(connectionId)));
  return parsed.success ? parsed.data : undefined;
}

export interface IssueInput {
  connection: ConnectionRecord;
  inviter: { name: string; instanceId: string; url: string; siteUrl: string };
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
    inviteeName: connection.remote.name,
    expiresAt,
    token,
  };
  const { token: _token, ...terms } = code;
  const record: InvitationRecord = {
    connectionId: connection.id,
    tokenDigest: keyText(tokenDigest(token)),
    termsFingerprint: termsFingerprint(terms),
    expiresAt,
    expectedInstanceId: input.expectedInstanceId,
    createdAt: platform.clock.now(),
  };
  await platform.kvs.set(invitationKey(connection.id), record);
  return { code: encodeInvitation(code), expiresAt };
}
