// What the admin's Connections page and a project's Exalate page share: the
// two header buttons and activating or deactivating a connection from its row.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import { api, type ApiError } from '../../api';
import { notify } from '../../lib/flags';
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

/** Activate or deactivate from a row: which row is busy, and the last failure to show above the table. */
export function useSetActive(reload: () => Promise<unknown>) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  async function setActive(connection: Connection, active: boolean) {
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
  }

  return { busyId, actionError, setActive };
}
