import { Suspense, lazy, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import EmptyState from '@atlaskit/empty-state';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../lib/flags';
import { searchParam } from '../../lib/route';
import { useNow, useResource } from '../../lib/use-resource';
import type { Connection } from '../../schemas';
import type { AdminPageProps } from '../page-props';
import { ConnectionButtons, useSetActive } from './connection-actions';
import { ConnectionsTable } from './ConnectionsTable';
import { ConnectionHealthPanel } from './ConnectionHealthPanel';

// Dialogs load on first use so the table renders without their weight.
const InitiateConnectionModal = lazy(() => import('./InitiateConnectionModal'));
const AcceptInvitationModal = lazy(() => import('./AcceptInvitationModal'));
const EditConnectionModal = lazy(() => import('./EditConnectionModal'));
const DeleteConnectionModal = lazy(() => import('./DeleteConnectionModal'));
const RevokeInvitationModal = lazy(() => import('./RevokeInvitationModal'));

type Dialog =
  | { name: 'initiate' }
  | { name: 'accept'; code?: string }
  | { name: 'edit'; connection: Connection }
  | { name: 'delete'; connection: Connection }
  | { name: 'revoke'; connection: Connection };

export default function ConnectionsPage({ location, navigate }: AdminPageProps) {
  const [connections, reload] = useResource(api.listConnections);
  const now = useNow();
  const [dialog, setDialog] = useState<Dialog | null>(() => {
    const code = searchParam(location, 'invitation');
    return code ? { name: 'accept', code } : null;
  });
  const { busyId, actionError, setActive, confirmation } = useSetActive(reload);

  function closeDialog(changed: boolean) {
    if (dialog?.name === 'accept' && dialog.code) navigate('/connections', { replace: true });
    if (changed && dialog?.name === 'delete') notify(`Deleted ${dialog.connection.name}`);
    if (changed && dialog?.name === 'revoke') notify(`Invitation code of ${dialog.connection.name} revoked`);
    if (changed && dialog?.name === 'edit') notify('Connection saved');
    setDialog(null);
    if (changed) void reload();
  }

  // The list as last read: a dialog opened again before the read after a saved setting
  // lands picks that read up when it does.
  const latest = (connection: Connection) =>
    (connections.state === 'ready' ? connections.value.connections.find((c) => c.id === connection.id) : undefined) ?? connection;

  const actions = <ConnectionButtons onInitiate={() => setDialog({ name: 'initiate' })} onAccept={() => setDialog({ name: 'accept' })} />;

  return (
    <div className="page">
      <PageHeader
        title="Connections"
        description="Connection defines synchronization behavior, including communication details, sync rules, and scope."
        actions={actions}
      />
      {actionError ? <ApiErrorMessage error={actionError} /> : null}
      {connections.state === 'loading' ? <Loading label="Loading connections" /> : null}
      {connections.state === 'failed' ? <ApiErrorMessage error={connections.error} onRetry={() => void reload()} /> : null}
      {connections.state === 'ready' && connections.value.connections.length === 0 ? (
        <EmptyState
          header="No connections yet"
          description="A connection keeps issues in sync with a partner's Jira, or between two projects of this site. Initiate one, or accept the invitation a partner sent you."
          primaryAction={
            <Button appearance="primary" onClick={() => setDialog({ name: 'initiate' })}>
              Initiate connection
            </Button>
          }
          secondaryAction={<Button onClick={() => setDialog({ name: 'accept' })}>Accept invitation</Button>}
          testId="connections-empty"
        />
      ) : null}
      {connections.state === 'ready' && connections.value.connections.length > 0 ? (
        <ConnectionsTable
          connections={connections.value.connections}
          now={now}
          busyId={busyId}
          onEdit={(connection) => setDialog({ name: 'edit', connection })}
          onDelete={(connection) => setDialog({ name: 'delete', connection })}
          onRevoke={(connection) => setDialog({ name: 'revoke', connection })}
          onSetActive={(connection, active) => setActive(connection, active)}
        />
      ) : null}
      {/* Read again with the list: a connection added, deleted or renamed shows here too. */}
      {connections.state === 'ready' && connections.value.connections.length > 0 ? <ConnectionHealthPanel key={connections.value.connections.map((c) => `${c.id}:${c.name}`).join()} /> : null}
      {confirmation}
      <Suspense fallback={null}>
        {dialog?.name === 'initiate' ? <InitiateConnectionModal onClose={closeDialog} /> : null}
        {dialog?.name === 'accept' ? <AcceptInvitationModal onClose={closeDialog} initialCode={dialog.code} /> : null}
        {dialog?.name === 'edit' ? <EditConnectionModal connection={latest(dialog.connection)} onClose={closeDialog} /> : null}
        {dialog?.name === 'delete' ? <DeleteConnectionModal connection={dialog.connection} onClose={closeDialog} /> : null}
        {dialog?.name === 'revoke' ? <RevokeInvitationModal connection={dialog.connection} onClose={closeDialog} /> : null}
      </Suspense>
    </div>
  );
}
