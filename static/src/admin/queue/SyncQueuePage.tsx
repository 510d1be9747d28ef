import EmptyState from '@atlaskit/empty-state';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { timeAgo } from '../../lib/relative-time';
import { useNow, useResource } from '../../lib/use-resource';
import type { QueueItem } from '../../schemas';
import type { AdminPageProps } from '../page-props';

function columnsAt(now: number): Column<QueueItem>[] {
  return [
    { key: 'connection', title: 'Connection', width: '22%', render: (item) => item.connectionName ?? '' },
    { key: 'issue', title: 'Issue', width: '12%', render: (item) => item.issueKey ?? '' },
    { key: 'type', title: 'Message', width: '20%', render: (item) => item.type ?? '' },
    { key: 'status', title: 'Status', width: '18%', render: (item) => item.status ?? '' },
    { key: 'attempts', title: 'Attempts', width: '12%', render: (item) => item.attempts ?? '' },
    { key: 'when', title: 'Queued', width: '16%', render: (item) => (item.at === undefined ? '' : timeAgo(item.at, now)) },
  ];
}

export default function SyncQueuePage(_: AdminPageProps) {
  const [queue, reload] = useResource(api.listQueue);
  const now = useNow();
  return (
    <div className="page">
      <PageHeader title="Sync queue" description="Changes waiting to be delivered to the other side or applied here, oldest first." />
      {queue.state === 'loading' ? <Loading label="Loading the sync queue" /> : null}
      {queue.state === 'failed' ? <ApiErrorMessage error={queue.error} onRetry={() => void reload()} /> : null}
      {queue.state === 'ready' && queue.value.items.length === 0 ? (
        <EmptyState
          header="The sync queue is empty"
          description="Every change has been delivered. Changes waiting for the other side appear here until they arrive."
          testId="queue-empty"
        />
      ) : null}
      {queue.state === 'ready' && queue.value.items.length > 0 ? (
        <DataTable label="Sync queue" columns={columnsAt(now)} rows={queue.value.items} rowKey={(item) => item.id} testId="queue-table" />
      ) : null}
    </div>
  );
}
