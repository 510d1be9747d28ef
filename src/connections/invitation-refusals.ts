import { z } from 'zod';
import type { Platform } from '../ports';
import { recordKind } from '../domain/stored-record';

// The inviter's note of the last refused attempt to accept one of its codes,
// shown on the pending connection's row so its admin learns that the code is
// out where it should not be. Written only after the attempt proved it holds
// the code (the token proof), so strangers cannot fill it; it changes nothing
// about the invitation itself.

export const invitationRefusalKey = (connectionId: string) => `invitation-refused:${connectionId}`;

export const InvitationRefusal = z.object({
  at: z.number(),
  /** A sentence for the inviter's admin, e.g. who tried from where. */
  reason: z.string(),
});
export type InvitationRefusal = z.infer<typeof InvitationRefusal>;

const refusalRecord = recordKind({ name: 'refused acceptance', version: 1, schema: InvitationRefusal, key: invitationRefusalKey });

export async function noteRefusal(platform: Platform, connectionId: string, reason: string): Promise<void> {
  await platform.kvs.set(invitationRefusalKey(connectionId), { at: platform.clock.now(), reason } satisfies InvitationRefusal);
}

export async function readRefusal(platform: Platform, connectionId: string): Promise<InvitationRefusal | undefined> {
  return refusalRecord.find(platform, connectionId);
}

export async function clearRefusal(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(invitationRefusalKey(connectionId));
}
