import Button from '@atlaskit/button/default/button';
import { ConnectionStatusLozenge } from '../../components/ConnectionStatusLozenge';
import { DataTable, type Column } from '../../components/DataTable';
import { describeLastSync } from '../../lib/relative-time';
import type { Connection } from '../../schemas';

const MODE_LABEL = { basic: 'Basic', visual: 'Visual', script: 'Script' } as const;
const KIND_LABEL = { public: 'Public', private: 'Private', local: 'Local' } as const;

interface Props {
  connections: Connection[];
  now: number;
  onEdit(connection: Connection): void;
  onSetActive(connection: Connection, active: boolean): void;
  onDelete(connection: Connection): void;
  /** Revoke the invitation code of a pending connection this site invited. */
  onRevoke(connection: Connection): void;
  busyId: string | null;
}

export function ConnectionsTable({ connections, now, onEdit, onSetActive, onDelete, onRevoke, busyId }: Props) {
  const columns: Column<Connection>[] = [
    {
      key: 'name',
      title: 'Connection',
      width: '28%',
      render: (connection) => (
        <div className="connection-name">
          <span className="connection-name__title">{connection.name}</span>
          {connection.description ? <span className="connection-name__description">{connection.description}</span> : null}
          <span className="connection-name__meta">
            {MODE_LABEL[connection.mode]} · {KIND_LABEL[connection.kind]} · {connection.localName} ↔ {connection.remoteName}
          </span>
        </div>
      ),
    },
    { key: 'issues', title: 'Issues under sync', width: '11%', render: (connection) => <span className="number-cell">{connection.issuesUnderSync}</span> },
    { key: 'last-sync', title: 'Last sync', width: '21%', render: (connection) => describeLastSync(connection.lastSync, now) },
    {
      key: 'status',
      title: 'Status',
      width: '16%',
      render: (connection) => (
        <>
          <ConnectionStatusLozenge status={connection.status} reason={connection.statusReason} />
          {connection.ruleWarnings?.length ? (
            <span className="connection-warning" data-testid={`rule-warnings-${connection.id}`} title={connection.ruleWarnings.map((w) => w.message).join('\n')}>
              ⚠ Rules name {connection.ruleWarnings.length === 1 ? 'a value' : `${connection.ruleWarnings.length} values`} Jira does not have
            </span>
          ) : null}
        </>
      ),
    },
    {
      key: 'actions',
      title: 'Actions',
      width: '24%',
      // Inline buttons rather than a "…" menu: one Tab stop each, and no popup
      // code on the page's first render.
      render: (connection) => (
        <div className="row-actions" role="group" aria-label={`Actions for ${connection.name}`}>
          <Button spacing="compact" appearance="subtle" onClick={() => onEdit(connection)} testId={`edit-${connection.id}`}>
            Edit
          </Button>
          {connection.invitation === 'waiting' ? (
            <Button spacing="compact" appearance="subtle" onClick={() => onRevoke(connection)} testId={`revoke-${connection.id}`}>
              Revoke code
            </Button>
          ) : null}
          {connection.status === 'Pending' ? null : (
            <Button
              spacing="compact"
              appearance="subtle"
              isLoading={busyId === connection.id}
              onClick={() => onSetActive(connection, connection.status === 'Deactivated')}
              testId={`toggle-${connection.id}`}
            >
              {connection.status === 'Deactivated' ? 'Activate' : 'Deactivate'}
            </Button>
          )}
          <Button spacing="compact" appearance="subtle" onClick={() => onDelete(connection)} testId={`delete-${connection.id}`}>
            Delete
          </Button>
        </div>
      ),
    },
  ];
  return <DataTable label="Connections" columns={columns} rows={connections} rowKey={(connection) => connection.id} testId="connections-table" />;
}
