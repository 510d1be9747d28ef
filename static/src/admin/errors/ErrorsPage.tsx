import EmptyState from '@atlaskit/empty-state';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { timeAgo } from '../../lib/relative-time';
import { useNow, useResource } from '../../lib/use-resource';
import type { SyncError } from '../../schemas';
import type { AdminPageProps } from '../page-props';

function columnsAt(now: number): Column<SyncError>[] {
  return [
    { key: 'connection', title: 'Connection', width: '16%', render: (error) => error.connectionName ?? error.connectionId ?? '' },
    { key: 'issue', title: 'Issue', width: '10%', render: (error) => error.issueKey ?? '' },
    { key: 'phase', title: 'Phase', width: '10%', render: (error) => error.phase ?? '' },
    {
      key: 'message',
      title: 'Error',
      width: '40%',
      render: (error) => (error.scriptLine ? `${error.message} (line ${error.scriptLine})` : error.message),
    },
    { key: 'attempts', title: 'Attempts', width: '10%', render: (error) => error.attempts ?? '' },
    { key: 'when', title: 'When', width: '14%', render: (error) => (error.lastAt === undefined ? '' : timeAgo(error.lastAt, now)) },
  ];
}

export default function ErrorsPage(_: AdminPageProps) {
  const [errors, reload] = useResource(api.listErrors);
  const now = useNow();
  return (
    <div className="page">
      <PageHeader
        title="Errors"
        description="Sync problems that need attention. A blocking error pauses its issue (or its connection) until it is retried or resolved."
      />
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
        <DataTable label="Errors" columns={columnsAt(now)} rows={errors.value.errors} rowKey={(error) => error.id} testId="errors-table" />
      ) : null}
    </div>
  );
}
