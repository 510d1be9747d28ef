import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import type { Connection } from '../../schemas';

export default function DeleteConnectionModal({ connection, onClose }: { connection: Connection; onClose(changed: boolean): void }) {
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const count = connection.issuesUnderSync;

  async function remove() {
    setBusy(true);
    setFailure(null);
    const result = await api.deleteConnection(connection.id);
    setBusy(false);
    if (result.ok) onClose(true);
    else setFailure(result.error);
  }

  return (
    <ModalDialog onClose={() => onClose(false)} label={`Delete ${connection.name}`} width="small" testId="delete-connection">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Delete connection?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          <strong>{connection.name}</strong> will be deleted.{' '}
          {count > 0
            ? `Syncing stops for the ${count} ${count === 1 ? 'issue' : 'issues'} under this connection; the issues themselves stay as they are on both sides.`
            : 'No issues are under sync with it.'}
        </p>
        <p>This can't be undone: to sync again, initiate a new connection.</p>
        {failure ? <ApiErrorMessage error={failure} /> : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={() => onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button appearance="danger" isLoading={busy} onClick={() => void remove()} testId="confirm-delete">
          Delete
        </Button>
      </ModalFooter>
    </ModalDialog>
  );
}
