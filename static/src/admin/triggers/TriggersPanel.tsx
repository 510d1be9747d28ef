// Triggers with their actions: the global list (all connections, with a
// connection column) or one connection's, on its Edit connection tab.
import { Suspense, lazy, useCallback, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import EmptyState from '@atlaskit/empty-state';
import Lozenge from '@atlaskit/lozenge';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { notify } from '../../lib/flags';
import { useResource } from '../../lib/use-resource';
import type { Connection, Job, Trigger } from '../../schemas';
import { JobProgress } from './JobProgress';

const TriggerDialog = lazy(() => import('./TriggerDialog'));
const DeleteTriggerModal = lazy(() => import('./DeleteTriggerModal'));
const TriggerMenu = lazy(() => import('./TriggerMenu'));
const BulkConfirmModal = lazy(() => import('./BulkConfirmModal'));

type Dialog =
  | { name: 'create' }
  | { name: 'edit'; trigger: Trigger }
  | { name: 'delete'; trigger: Trigger }
  | { name: 'bulk' | 'unbulk'; trigger: Trigger };

interface Props {
  /** One connection's triggers; all of them when absent. */
  connection?: Connection;
}

export function TriggersPanel({ connection }: Props) {
  const loadTriggers = useCallback(() => api.listTriggers(connection?.id), [connection?.id]);
  const [triggers, reload] = useResource(loadTriggers);
  const [connections] = useResource(api.listConnections);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [jobs, setJobs] = useState<{ job: Job; jql: string }[]>([]);

  // Triggers can be added to accepted connections only.
  const choices = connection ? [connection] : connections.state === 'ready' ? connections.value.connections.filter((c) => c.status !== 'Pending') : [];

  /** A confirmed Bulk or Unbulk job: its progress shows above the table. */
  function started(trigger: Trigger, job: Job | null) {
    setDialog(null);
    if (job) setJobs((current) => [{ job, jql: trigger.jql }, ...current.filter((j) => j.job.id !== job.id)]);
  }

  const columns: Column<Trigger>[] = [
    ...(connection
      ? []
      : [{ key: 'connection', title: 'Connection', width: '18%', render: (trigger: Trigger) => trigger.connectionName ?? trigger.connectionId }]),
    { key: 'entity', title: 'Entity type', width: '10%', render: (trigger) => (trigger.entityType === 'issue' || !trigger.entityType ? 'Issue' : trigger.entityType) },
    { key: 'query', title: 'If', width: connection ? '36%' : '26%', render: (trigger) => <code className="jql">{trigger.jql}</code> },
    { key: 'notes', title: 'Notes', width: '16%', render: (trigger) => trigger.notes ?? '' },
    {
      key: 'status',
      title: 'Status',
      width: '10%',
      render: (trigger) => <Lozenge appearance={trigger.active ? 'success' : 'default'}>{trigger.active ? 'Active' : 'Inactive'}</Lozenge>,
    },
    {
      key: 'actions',
      title: 'Actions',
      width: '20%',
      render: (trigger) => (
        <div className="row-actions" role="group" aria-label={`Actions for the trigger ${trigger.jql}`}>
          <Button spacing="compact" appearance="subtle" onClick={() => setDialog({ name: 'edit', trigger })}>
            Edit
          </Button>
          <Button spacing="compact" appearance="subtle" onClick={() => setDialog({ name: 'delete', trigger })}>
            Delete
          </Button>
          <Suspense fallback={null}>
            <TriggerMenu trigger={trigger} onBulk={() => setDialog({ name: 'bulk', trigger })} onUnbulk={() => setDialog({ name: 'unbulk', trigger })} />
          </Suspense>
        </div>
      ),
    },
  ];

  function closeDialog(saved: { trigger: Trigger; matches: number | null } | null) {
    if (saved) {
      const matches = saved.matches === null ? undefined : `The query matches ${saved.matches} issue${saved.matches === 1 ? '' : 's'} now; use Bulk Exalate to sync them.`;
      notify(dialog?.name === 'edit' ? 'Trigger saved' : 'Trigger created', { description: matches });
      void reload();
    }
    setDialog(null);
  }

  const create = (
    <Button appearance="primary" onClick={() => setDialog({ name: 'create' })} testId="create-trigger" isDisabled={!connection && connections.state !== 'ready'}>
      Create trigger
    </Button>
  );

  return (
    <div className="triggers" data-testid="triggers-panel">
      <div className="panel-toolbar">{create}</div>
      {jobs.map(({ job, jql }) => (
        <JobProgress key={job.id} job={job} jql={jql} onDismiss={() => setJobs((current) => current.filter((j) => j.job.id !== job.id))} />
      ))}
      {triggers.state === 'loading' ? <Loading label="Loading triggers" /> : null}
      {triggers.state === 'failed' ? <ApiErrorMessage error={triggers.error} onRetry={() => void reload()} /> : null}
      {triggers.state === 'ready' && triggers.value.triggers.length === 0 ? (
        <EmptyState
          header="No triggers yet"
          description="A trigger syncs every issue its JQL query matches, as soon as the issue is created or changed. Each connection has its own triggers; they all appear in the Triggers page."
          testId="triggers-empty"
        />
      ) : null}
      {triggers.state === 'ready' && triggers.value.triggers.length > 0 ? (
        <DataTable label="Triggers" columns={columns} rows={triggers.value.triggers} rowKey={(trigger) => trigger.id} testId="triggers-table" />
      ) : null}
      <Suspense fallback={null}>
        {dialog?.name === 'create' ? <TriggerDialog connections={choices} onClose={closeDialog} /> : null}
        {dialog?.name === 'edit' ? (
          <TriggerDialog trigger={dialog.trigger} connections={connection ? [connection] : choices} onClose={closeDialog} />
        ) : null}
        {dialog?.name === 'bulk' || dialog?.name === 'unbulk' ? (
          <BulkConfirmModal trigger={dialog.trigger} kind={dialog.name} onClose={(job) => started(dialog.trigger, job)} />
        ) : null}
        {dialog?.name === 'delete' ? (
          <DeleteTriggerModal
            trigger={dialog.trigger}
            onClose={(deleted) => {
              setDialog(null);
              if (deleted) {
                notify('Trigger deleted');
                void reload();
              }
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
