import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { ConnectionRecord } from '../domain/connection';
import { invitationKey, invitationUsedKey, isRevocation, readInvitationUse, STALE_CLAIM_MS, type InvitationRevocation } from './invitations';

// "Revoke code": the pending invitation's code stops working at once. The
// revocation takes the slot an acceptance would claim (so the two cannot both
// win) and stays there as the marker that tells a late acceptor who revoked
// it; the token digest goes, so the code can prove nothing here any more. The
// connection stays pending: renewing gives a new code, deleting ends it.

export async function revokeInvitation(platform: Platform, connection: ConnectionRecord, by: string | null): Promise<void> {
  if (connection.kind === 'local' || !connection.inviter) {
    throw new AppError('Conflict', `The connection "${connection.name}" was not made from an invitation issued here; there is no code to revoke.`);
  }
  if (connection.state !== 'pending') {
    throw new AppError('Conflict', `The invitation of "${connection.name}" was already accepted; to stop syncing, deactivate or delete the connection.`);
  }
  const now = platform.clock.now();
  const revocation: InvitationRevocation = { revoked: true, at: now, inviterName: connection.localName, by };
  if (!(await platform.kvs.setIfAbsent(invitationUsedKey(connection.id), revocation))) {
    const use = await readInvitationUse(platform, connection.id);
    // Revoked already: the first revocation stands.
    if (use && isRevocation(use)) return;
    if (use && use.answer) {
      throw new AppError('Conflict', `The invitation of "${connection.name}" was accepted a moment ago; to stop syncing, deactivate or delete the connection.`);
    }
    if (use && now - use.at < STALE_CLAIM_MS) {
      throw new AppError('Conflict', `The invitation of "${connection.name}" is being accepted right now; reload in a moment to see whether it was.`);
    }
    // What holds the slot is a crashed acceptance's claim, or unreadable: the revocation takes it over.
    await platform.kvs.set(invitationUsedKey(connection.id), revocation);
  }
  await platform.kvs.delete(invitationKey(connection.id));
}
