// Reads what an invitation code says about itself (who invites, which mode),
// so the Accept invitation dialog can word its next step. The server decides
// whether the code is valid; this only refuses text that is not a code at all.
import { z } from 'zod/mini';

const InvitationPreviewSchema = z.looseObject({
  connectionId: z.optional(z.string()),
  mode: z.optional(z.enum(['basic', 'visual', 'script'])),
  /** The connection's name and the inviter's description of it. */
  name: z.optional(z.string()),
  description: z.optional(z.string()),
  inviter: z.optional(z.looseObject({ name: z.optional(z.string()), url: z.optional(z.string()), siteUrl: z.optional(z.string()) })),
  /** The only site the code works on (codes of format version 2 on). */
  partnerSiteUrl: z.optional(z.string()),
  expiresAt: z.optional(z.union([z.number(), z.string()])),
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

export type InvitationReading =
  | { ok: true; code: string; preview: InvitationPreview }
  | { ok: false; reason: string };

/** Pasted codes pick up line breaks and spaces from mail clients. */
export function normalizeInvitationCode(text: string): string {
  return text.replace(/\s+/g, '');
}

function decodeBase64Url(text: string): string | null {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function readInvitationCode(text: string): InvitationReading {
  const code = normalizeInvitationCode(text);
  if (!code) return { ok: false, reason: 'Paste the invitation code you received from your partner.' };
  if (!/^[A-Za-z0-9_=+/-]+$/.test(code)) {
    return { ok: false, reason: 'This is not an invitation code: it contains characters a code never has. Copy the code again, exactly as your partner sent it.' };
  }
  const json = decodeBase64Url(code);
  let parsed: unknown;
  try {
    parsed = json === null ? null : JSON.parse(json);
  } catch {
    parsed = null;
  }
  const preview = InvitationPreviewSchema.safeParse(parsed);
  if (!preview.success || parsed === null) {
    return { ok: false, reason: 'This invitation code is incomplete or damaged. Copy the whole code again, exactly as your partner sent it.' };
  }
  return { ok: true, code, preview: preview.data };
}
