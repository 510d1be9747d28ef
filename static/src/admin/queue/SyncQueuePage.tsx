// What is waiting to go to the other side or to be applied here, per
// direction and kind, filtered by connection and issue; and how syncing went.
import { useCallback, useEffect, useRef, useState } from 'react';
import EmptyState from '@atlaskit/empty-state';
import Button from '@atlaskit/button/default/button';
import Heading from '@atlaskit/heading';
import Select from '@atlaskit/select';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import Textfield from '@atlaskit/textfield';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { timeAgo } from '../../lib/relative-time';
import { useNow, useResource } from '../../lib/use-resource';
import type { QueueDirection, QueueItem, QueueKind } from '../../schemas';
import { matchesId } from './queue-filter';
import type { AdminPageProps } from '../page-props';

const VIEWS: { direction: QueueDirection; kind: QueueKind; label: string }[] = [
  { direction: 'outgoing', kind: 'issue', label: 'Outgoing issues' },
  { direction: 'incoming', kind: 'issue', label: 'Incoming issues' },
  { direction: 'outgoing', kind: 'attachment', label: 'Outgoing attachments' },
  { direction: 'incoming', kind: 'attachment', label: 'Incoming attachments' },
];

interface Option {
  label: string;
  value: string;
}

function columnsAt(now: number): Column<QueueItem>[] {
  return [
    { key: 'connection', title: 'Connection', width: '18%', render: (item) => item.connectionName ?? '' },
    { key: 'issue', title: 'Issue', width: '10%', render: (item) => item.issueKey ?? '' },
    { key: 'remote', title: 'Remote issue', width: '10%', render: (item) => item.remoteKey ?? '' },
    {
      key: 'type',
      title: 'Message',
      width: '14%',
      render: (item) => `${item.type ?? ''}${item.chunks ? ` (${item.chunks.received} of ${item.chunks.total} parts)` : ''}`,
    },
    {
      key: 'status',
      title: 'Status',
      width: '26%',
      render: (item) => (
        <>
          {item.status ?? ''}
          {item.lastError ? <span className="status-reason status-reason--error">{item.lastError}</span> : null}
        </>
      ),
    },
    { key: 'attempts', title: 'Attempts', width: '8%', render: (item) => <span className="number-cell">{item.attempts ?? ''}</span> },
    { key: 'when', title: 'Queued', width: '14%', render: (item) => (item.at === undefined || item.at === null ? '' : timeAgo(item.at, now)) },
  ];
}

export default function SyncQueuePage({ navigate }: AdminPageProps) {
  const [view, setView] = useState(0);
  const [connection, setConnection] = useState<Option | null>(null);
  const [idFilter, setIdFilter] = useState('');
  const current = VIEWS[view]!;
  const load = useCallback(
    () => api.listQueue({ direction: current.direction, kind: current.kind, ...(connection ? { connectionId: connection.value } : {}) }),
    [current.direction, current.kind, connection],
  );
  const [queue, reload] = useResource(load);
  const [connections] = useResource(api.listConnections);
  const now = useNow();

  // The first view loads with the page; a change of tab or connection loads again.
  const loaded = useRef(load);
  useEffect(() => {
    if (loaded.current === load) return;
    loaded.current = load;
    void reload();
  }, [load, reload]);

  const options = [{ label: 'All connections', value: '' }, ...(connections.state === 'ready' ? connections.value.connections.map((c) => ({ label: c.name, value: c.id })) : [])];
  const items = queue.state === 'ready' ? queue.value.items.filter((item) => matchesId(item, idFilter)) : [];
  return (
    <div className="page">
      <PageHeader title="Sync queue" description="Changes waiting to be delivered to the other side or applied here, oldest first." />
      <Tabs id="queue-tabs" selected={view} onChange={setView}>
        <TabList>
          {VIEWS.map((v) => (
            <Tab key={v.label}>{v.label}</Tab>
          ))}
        </TabList>
        {/* Each tab controls a panel (an ARIA tab without one points nowhere); only the chosen one is drawn. */}
        {VIEWS.map((v, index) => (
          <TabPanel key={v.label}>
            {index === view ? (
              <div className="tab-panel">
      <div className="filters" role="search" aria-label="Filter the sync queue">
        <div className="filters__connection">
          <Select<Option>
            inputId="queue-connection"
            aria-label="Connection"
            options={options}
            value={connection ?? options[0]}
            onChange={(option) => setConnection(option && option.value ? option : null)}
            spacing="compact"
          />
        </div>
        <div className="filters__id">
          <Textfield aria-label="Issue key or id" placeholder="Issue key or id" value={idFilter} onChange={(event) => setIdFilter(event.currentTarget.value)} isCompact />
        </div>
      </div>
      {queue.state === 'loading' ? <Loading label="Loading the sync queue" /> : null}
      {queue.state === 'failed' ? <ApiErrorMessage error={queue.error} onRetry={() => void reload()} /> : null}
      {queue.state === 'ready' && items.length === 0 ? (
        <EmptyState
          header={queue.value.items.length === 0 ? 'Nothing waiting here' : 'Nothing matches the filter'}
          description={`${current.label}: every change has been delivered. Changes waiting for the other side appear here until they arrive.`}
          testId="queue-empty"
        />
      ) : null}
      {items.length > 0 ? <DataTable label="Sync queue" columns={columnsAt(now)} rows={items} rowKey={(item) => item.id} testId="queue-table" /> : null}
              </div>
            ) : null}
          </TabPanel>
        ))}
      </Tabs>
      {/* Statistics has its own page in the sidebar; shown here too it doubled the page's length. */}
      <p className="page-section">
        How much synced and how fast:{' '}
        <Button appearance="subtle" spacing="compact" onClick={() => navigate('/statistics')}>
          Statistics
        </Button>
      </p>
    </div>
  );
}
