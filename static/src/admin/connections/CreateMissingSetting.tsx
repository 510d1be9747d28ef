// The connection's createMissing switch: whether a component, fix version or
// link type the partner's issue names and this site lacks is created here, or
// skipped with a warning. Saved as soon as it is flipped (resolver
// setCreateMissing, which only a Jira admin may call: project settings do not
// show it).
import { useEffect, useState } from 'react';
import Toggle from '@atlaskit/toggle';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import type { Connection } from '../../schemas';

export function CreateMissingSetting({ connection, onChanged }: { connection: Connection; onChanged(): void }) {
  const [on, setOn] = useState(connection.createMissing === true);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  // A newer read of the connection (the list read again behind the dialog) wins over the first one.
  useEffect(() => setOn(connection.createMissing === true), [connection.createMissing]);

  async function flip(next: boolean) {
    setBusy(true);
    setFailure(null);
    const result = await api.setCreateMissing(connection.id, next);
    setBusy(false);
    // What the server now holds, not what was asked: a refusal leaves the switch as it was.
    if (result.ok) {
      setOn(result.value.connection.createMissing === true);
      onChanged();
    } else setFailure(result.error);
  }

  return (
    <div className="setting" data-testid="create-missing-setting">
      <div className="toggle-row">
        <Toggle
          id="create-missing"
          testId="create-missing-toggle"
          isChecked={on}
          isDisabled={busy}
          onChange={(event) => void flip(event.currentTarget.checked)}
        />
        <label htmlFor="create-missing">Create components, versions and link types the other side lacks</label>
      </div>
      <p id="create-missing-help" className="field-help">
        When an issue from {connection.remoteName} names a component, fix version or issue link type that {connection.localName} does not have, create it
        here. Off: the value is skipped and listed as a warning. Creating link types needs the app to hold Administer Jira.
      </p>
      {failure ? <ApiErrorMessage error={failure} /> : null}
    </div>
  );
}
