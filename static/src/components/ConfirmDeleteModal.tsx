import { useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import type { ApiError, ApiResult } from '../api';
import { ApiErrorMessage } from './ApiErrorMessage';

/** "Delete X?" (or another undoable-only-by-starting-over action) with Cancel focused first, the server's refusal shown inline, and the dialog closed on success. */
export function ConfirmDeleteModal(props: {
  label: string;
  title: string;
  testId: string;
  confirmTestId: string;
  /** The danger button's words; "Delete" unless the action is another. */
  confirmLabel?: string;
  children: ReactNode;
  remove(): Promise<ApiResult<unknown>>;
  onClose(deleted: boolean): void;
}) {
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setFailure(null);
    const result = await props.remove();
    setBusy(false);
    if (result.ok) props.onClose(true);
    else setFailure(result.error);
  }

  return (
    <ModalDialog onClose={() => props.onClose(false)} label={props.label} width="small" testId={props.testId}>
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">{props.title}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        {props.children}
        {failure ? <ApiErrorMessage error={failure} /> : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={() => props.onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button appearance="danger" isLoading={busy} onClick={() => void confirm()} testId={props.confirmTestId}>
          {props.confirmLabel ?? 'Delete'}
        </Button>
      </ModalFooter>
    </ModalDialog>
  );
}
