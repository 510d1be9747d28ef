// Project settings → Exalate: a project admin's Basic connections for this
// project only.
import { Suspense, lazy, useState } from 'react';
import EmptyState from '@atlaskit/empty-state';
import { api } from '../api';
import { ApiErrorMessage } from '../components/ApiErrorMessage';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useForgeContext } from '../context';
import { ConnectionButtons, useSetActive } from '../admin/connections/connection-actions';
import { ConnectionsTable } from '../admin/connections/ConnectionsTable';
import { notify } from '../lib/flags';
import { useNow, useResource } from '../lib/use-resource';
import type { Connection } from '../schemas';
import { projectConnections } from './project-connections';

const InitiateConnectionModal = lazy(() => import('../admin/connections/InitiateConnectionModal'));
const AcceptInvitationModal = lazy(() => import('../admin/connections/AcceptInvitationModal'));
const EditConnectionModal = lazy(() => import('../admin/connections/EditConnectionModal'));
const DeleteConnectionModal = lazy(() => import('../admin/connections/DeleteConnectionModal'));
const RevokeInvitationModal = lazy(() => import('../admin/connections/RevokeInvitationModal'));

type Dialog =
  | { name: 'initiate' }
  | { name: 'accept' }
  | { name: 'edit'; connection: Connection }
  | { name: 'delete'; connection: Connection }
  | { name: 'revoke'; connection: Connection };

export default function ProjectSettingsPage() {
  const context = useForgeContext();
  const project = context.extension?.project;
  const [connections, reload] = useResource(api.listConnections);
  const now = useNow();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const { busyId, actionError, setActive, confirmation } = useSetActive(reload);

  if (!project) {
    return (
      <div className="page">
        <EmptyState header="No project" description="Open this page from a project's settings." />
      </div>
    );
  }
  const projectKey = project.key;

  function closeDialog(changed: boolean) {
    if (changed && dialog?.name === 'delete') notify(`Deleted ${dialog.connection.name}`);
    if (changed && dialog?.name === 'revoke') notify(`Invitation code of ${dialog.connection.name} revoked`);
    setDialog(null);
    if (changed) void reload();
  }

  const mine = connections.state === 'ready' ? projectConnections(connections.value.connections, projectKey) : [];
  return (
    <div className="page">
      <PageHeader
        title="Exalate"
        description={`Basic connections that sync the issues of ${project.name ? `${project.name} (${projectKey})` : projectKey} with another Jira or another project. Other modes are set up by a Jira admin in Apps → Exalate.`}
        actions={<ConnectionButtons onInitiate={() => setDialog({ name: 'initiate' })} onAccept={() => setDialog({ name: 'accept' })} />}
      />
      {actionError ? <ApiErrorMessage error={actionError} /> : null}
      {connections.state === 'loading' ? <Loading label="Loading connections" /> : null}
      {connections.state === 'failed' ? <ApiErrorMessage error={connections.error} onRetry={() => void reload()} /> : null}
      {connections.state === 'ready' && mine.length === 0 ? (
        <EmptyState
          header="No connections for this project yet"
          description="Initiate a Basic connection to sync this project's issues with a partner, or accept an invitation you received."
          testId="project-connections-empty"
        />
      ) : null}
      {mine.length > 0 ? (
        <ConnectionsTable
          connections={mine}
          now={now}
          busyId={busyId}
          onEdit={(connection) => setDialog({ name: 'edit', connection })}
          onDelete={(connection) => setDialog({ name: 'delete', connection })}
          onRevoke={(connection) => setDialog({ name: 'revoke', connection })}
          onSetActive={(connection, active) => setActive(connection, active)}
        />
      ) : null}
      {confirmation}
      <Suspense fallback={null}>
        {dialog?.name === 'initiate' ? (
          <InitiateConnectionModal onClose={closeDialog} fixedMode="basic" fixedProjectKey={projectKey} />
        ) : null}
        {dialog?.name === 'accept' ? <AcceptInvitationModal onClose={closeDialog} fixedProjectKey={projectKey} /> : null}
        {dialog?.name === 'edit' ? <EditConnectionModal connection={dialog.connection} onClose={closeDialog} /> : null}
        {dialog?.name === 'delete' ? <DeleteConnectionModal connection={dialog.connection} onClose={closeDialog} /> : null}
        {dialog?.name === 'revoke' ? <RevokeInvitationModal connection={dialog.connection} onClose={closeDialog} /> : null}
      </Suspense>
    </div>
  );
}
