import { api } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import type { Connection } from '../../schemas';

export default function DeleteConnectionModal({ connection, onClose }: { connection: Connection; onClose(changed: boolean): void }) {
  const count = connection.issuesUnderSync;
  return (
    <ConfirmModal
      label={`Delete ${connection.name}`}
      title="Delete connection?"
      testId="delete-connection"
      confirmTestId="confirm-delete"
      confirmLabel="Delete"
      act={() => api.deleteConnection(connection.id)}
      onClose={onClose}
    >
      <p>
        <strong>{connection.name}</strong> will be deleted.{' '}
        {count > 0
          ? `Syncing stops for the ${count} ${count === 1 ? 'issue' : 'issues'} under this connection; the issues themselves stay as they are on both sides.`
          : 'No issues are under sync with it.'}
      </p>
      <p>This can't be undone: to sync again, initiate a new connection.</p>
    </ConfirmModal>
  );
}
