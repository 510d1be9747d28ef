// Revoke code: the pending connection's invitation code stops working at
// once. The connection stays pending, so the admin can still delete it.
import { api } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import type { Connection } from '../../schemas';

export default function RevokeInvitationModal({ connection, onClose }: { connection: Connection; onClose(changed: boolean): void }) {
  return (
    <ConfirmModal
      label={`Revoke the invitation code of ${connection.name}`}
      title="Revoke invitation code?"
      testId="revoke-invitation"
      confirmTestId="confirm-revoke"
      confirmLabel="Revoke"
      act={() => api.revokeInvitation(connection.id)}
      onClose={onClose}
    >
      <p>
        The invitation code of <strong>{connection.name}</strong>
        {connection.remoteSiteUrl ? ` for ${connection.remoteSiteUrl}` : ''} stops working at once: whoever tries to accept it
        is told it was revoked.
      </p>
      <p>The connection stays pending until you delete it. To connect with this partner, initiate a new connection.</p>
    </ConfirmModal>
  );
}
