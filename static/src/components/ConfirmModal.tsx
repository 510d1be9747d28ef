import { useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import type { ApiError, ApiResult } from '../api';
import { ApiErrorMessage } from './ApiErrorMessage';

/**
 * "Do X to N issues?" before anything destructive or wide: Cancel focused first, the server's refusal shown
 * inline, the dialog closed on success. `act` runs only on confirm.
 */
export function ConfirmModal(props: {
  label: string;
  title: string;
  testId: string;
  confirmTestId: string;
  /** The confirm button's words, e.g. "Delete", "Deactivate", "Sync 12 issues". */
  confirmLabel: string;
  appearance?: 'danger' | 'warning';
  /** While false (e.g. a count is still loading), the confirm button waits. */
  ready?: boolean;
  children: ReactNode;
  act(): Promise<ApiResult<unknown>>;
  onClose(done: boolean): void;
}) {
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const appearance = props.appearance ?? 'danger';

  async function confirm() {
    setBusy(true);
    setFailure(null);
    const result = await props.act();
    setBusy(false);
    if (result.ok) props.onClose(true);
    else setFailure(result.error);
  }

  return (
    <ModalDialog onClose={() => props.onClose(false)} label={props.label} width="small" testId={props.testId}>
      <ModalHeader hasCloseButton>
        <ModalTitle appearance={appearance}>{props.title}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        {props.children}
        {failure ? <ApiErrorMessage error={failure} /> : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={() => props.onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button appearance={appearance} isLoading={busy} isDisabled={props.ready === false} onClick={() => void confirm()} testId={props.confirmTestId}>
          {props.confirmLabel}
        </Button>
      </ModalFooter>
    </ModalDialog>
  );
}
