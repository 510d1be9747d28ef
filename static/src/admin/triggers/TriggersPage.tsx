import EmptyState from '@atlaskit/empty-state';
import Lozenge from '@atlaskit/lozenge';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useResource } from '../../lib/use-resource';
import type { Trigger } from '../../schemas';
import type { AdminPageProps } from '../page-props';

const columns: Column<Trigger>[] = [
  { key: 'connection', title: 'Connection', width: '20%', render: (trigger) => trigger.connectionName ?? trigger.connectionId },
  { key: 'entity', title: 'Entity type', width: '12%', render: (trigger) => trigger.entityType ?? 'issue' },
  { key: 'query', title: 'Query', width: '36%', render: (trigger) => <code className="jql">{trigger.jql}</code> },
  { key: 'notes', title: 'Notes', width: '20%', render: (trigger) => trigger.notes ?? '' },
  {
    key: 'status',
    title: 'Status',
    width: '12%',
    render: (trigger) => <Lozenge appearance={trigger.active ? 'success' : 'default'}>{trigger.active ? 'Active' : 'Inactive'}</Lozenge>,
  },
];

export default function TriggersPage(_: AdminPageProps) {
  const [triggers, reload] = useResource(api.listTriggers);
  return (
    <div className="page">
      <PageHeader
        title="Triggers"
        description="A trigger starts syncing every issue its JQL query matches, as soon as the issue is created or changed."
      />
      {triggers.state === 'loading' ? <Loading label="Loading triggers" /> : null}
      {triggers.state === 'failed' ? <ApiErrorMessage error={triggers.error} onRetry={() => void reload()} /> : null}
      {triggers.state === 'ready' && triggers.value.triggers.length === 0 ? (
        <EmptyState
          header="No triggers yet"
          description="Triggers sync issues automatically. Each connection has its own triggers; they all appear in this list."
          testId="triggers-empty"
        />
      ) : null}
      {triggers.state === 'ready' && triggers.value.triggers.length > 0 ? (
        <DataTable label="Triggers" columns={columns} rows={triggers.value.triggers} rowKey={(trigger) => trigger.id} testId="triggers-table" />
      ) : null}
    </div>
  );
}
