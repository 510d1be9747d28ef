// What the admin's Connections page and a project's Exalate page share: the
// two header buttons and activating or deactivating a connection from its row.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import { api, type ApiError } from '../../api';
import { notify } from '../../lib/flags';
import { ConfirmModal } from '../../components/ConfirmModal';
import type { Connection } from '../../schemas';

export function ConnectionButtons({ onInitiate, onAccept }: { onInitiate(): void; onAccept(): void }) {
  return (
    <>
      <Button appearance="primary" onClick={onInitiate} testId="initiate-connection-button">
        Initiate connection
      </Button>
      <Button onClick={onAccept} testId="accept-invitation-button">
        Accept invitation
      </Button>
    </>
  );
}

const issues = (n: number) => `${n} ${n === 1 ? 'issue' : 'issues'}`;

/**
 * Activate or deactivate from a row: which row is busy, the last failure to show above the table, and the
 * confirmation a deactivation asks for first (render `confirmation` somewhere on the page).
 */
export function useSetActive(reload: () => Promise<unknown>) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [deactivating, setDeactivating] = useState<Connection | null>(null);

  async function apply(connection: Connection, active: boolean) {
    setBusyId(connection.id);
    setActionError(null);
    const result = await api.setConnectionActive(connection.id, active);
    if (result.ok) {
      notify(`${connection.name} ${active ? 'activated' : 'deactivated'}`);
      await reload();
    } else {
      setActionError(result.error);
    }
    setBusyId(null);
    return result;
  }

  function setActive(connection: Connection, active: boolean) {
    if (active) void apply(connection, true);
    else setDeactivating(connection);
  }

  const confirmation = deactivating ? (
    <ConfirmModal
      label={`Deactivate ${deactivating.name}`}
      title="Deactivate connection?"
      testId="confirm-deactivate"
      confirmTestId="confirm-deactivate-button"
      confirmLabel="Deactivate"
      appearance="warning"
      act={() => apply(deactivating, false)}
      onClose={() => setDeactivating(null)}
    >
      <p>
        <strong>{deactivating.name}</strong> stops sending.{' '}
        {deactivating.issuesUnderSync > 0
          ? `Changes to its ${issues(deactivating.issuesUnderSync)} under sync wait here, and the partner's wait on its side, until you activate it again; nothing is lost.`
          : 'No issues are under sync with it yet.'}
      </p>
    </ConfirmModal>
  ) : null;

  return { busyId, actionError, setActive, confirmation };
}
