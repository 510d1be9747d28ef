import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import type { Trigger } from '../../schemas';

export default function DeleteTriggerModal({ trigger, onClose }: { trigger: Trigger; onClose(deleted: boolean): void }) {
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setFailure(null);
    const result = await api.deleteTrigger(trigger.id);
    setBusy(false);
    if (result.ok) onClose(true);
    else setFailure(result.error);
  }

  return (
    <ModalDialog onClose={() => onClose(false)} label="Delete trigger" width="small" testId="delete-trigger">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Delete trigger?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          The trigger <code className="jql">{trigger.jql}</code> will be deleted. Issues it already synced stay in sync; new matches no longer start syncing.
        </p>
        {failure ? <ApiErrorMessage error={failure} /> : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={() => onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button appearance="danger" isLoading={busy} onClick={() => void remove()} testId="confirm-delete-trigger">
          Delete
        </Button>
      </ModalFooter>
    </ModalDialog>
  );
}
