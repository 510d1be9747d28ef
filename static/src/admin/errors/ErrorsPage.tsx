import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import EmptyState from '@atlaskit/empty-state';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../lib/flags';
import { timeAgo } from '../../lib/relative-time';
import { useNow, useResource } from '../../lib/use-resource';
import type { SyncError } from '../../schemas';
import type { AdminPageProps } from '../page-props';

const PHASE_LABEL: Record<string, string> = { outgoing: 'Outgoing', incoming: 'Incoming', transport: 'Delivery', rules: 'Rules' };

interface Actions {
  busy: string | null;
  retry(error: SyncError): void;
  resolve(error: SyncError): void;
}

function columnsAt(now: number, actions: Actions): Column<SyncError>[] {
  return [
    { key: 'connection', title: 'Connection', width: '14%', render: (error) => error.connectionName ?? error.connectionId ?? '' },
    { key: 'issue', title: 'Issue', width: '8%', render: (error) => error.issueKey ?? '' },
    { key: 'phase', title: 'Phase', width: '9%', render: (error) => (error.phase ? (PHASE_LABEL[error.phase] ?? error.phase) : '') },
    { key: 'message', title: 'Error', width: '33%', render: (error) => <span className="error-message">{error.message}</span> },
    { key: 'line', title: 'Script line', width: '7%', render: (error) => (error.scriptLine ? <span className="number-cell">{error.scriptLine}</span> : '') },
    { key: 'attempts', title: 'Attempts', width: '7%', render: (error) => <span className="number-cell">{error.attempts ?? ''}</span> },
    { key: 'when', title: 'When', width: '10%', render: (error) => (error.lastAt === undefined ? '' : timeAgo(error.lastAt, now)) },
    {
      key: 'actions',
      title: 'Actions',
      width: '12%',
      render: (error) => (
        <div className="row-actions" role="group" aria-label={`Actions for the error on ${error.issueKey ?? 'the connection'}`}>
          <Button spacing="compact" appearance="subtle" isLoading={actions.busy === `retry:${error.id}`} onClick={() => actions.retry(error)}>
            Retry
          </Button>
          <Button spacing="compact" appearance="subtle" isLoading={actions.busy === `resolve:${error.id}`} onClick={() => actions.resolve(error)}>
            Resolve
          </Button>
        </div>
      ),
    },
  ];
}

export default function ErrorsPage(_: AdminPageProps) {
  const [errors, reload] = useResource(() => api.listErrors());
  const now = useNow();
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  async function act(kind: 'retry' | 'resolve', error: SyncError) {
    setBusy(`${kind}:${error.id}`);
    setActionError(null);
    const result = kind === 'retry' ? await api.retryError(error.id) : await api.resolveError(error.id);
    setBusy(null);
    if (!result.ok) {
      setActionError(result.error);
      return;
    }
    notify(kind === 'retry' ? `Retrying ${error.issueKey ?? 'the sync'}` : 'Error resolved', {
      description: kind === 'retry' ? 'If it fails again, the error comes back here.' : 'The issue syncs again from its next change.',
    });
    await reload();
  }

  const actions: Actions = { busy, retry: (error) => void act('retry', error), resolve: (error) => void act('resolve', error) };
  return (
    <div className="page">
      <PageHeader
        title="Errors"
        description="Sync problems that need attention. A blocking error pauses its issue (or its connection) until it is retried or resolved."
      />
      {actionError ? <ApiErrorMessage error={actionError} /> : null}
      {errors.state === 'loading' ? <Loading label="Loading errors" /> : null}
      {errors.state === 'failed' ? <ApiErrorMessage error={errors.error} onRetry={() => void reload()} /> : null}
      {errors.state === 'ready' && errors.value.errors.length === 0 ? (
        <EmptyState
          header="No errors"
          description="Every issue under sync is going through. When a sync fails, the error shows here with its connection, issue and script line."
          testId="errors-empty"
        />
      ) : null}
      {errors.state === 'ready' && errors.value.errors.length > 0 ? (
        <DataTable label="Errors" columns={columnsAt(now, actions)} rows={errors.value.errors} rowKey={(error) => error.id} testId="errors-table" />
      ) : null}
    </div>
  );
}
