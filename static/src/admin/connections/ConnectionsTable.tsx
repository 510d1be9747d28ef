import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import { IconButton } from '@atlaskit/button/new';
import ShowMoreHorizontalIcon from '@atlaskit/icon/core/show-more-horizontal';
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
  busyId: string | null;
}

export function ConnectionsTable({ connections, now, onEdit, onSetActive, onDelete, busyId }: Props) {
  const columns: Column<Connection>[] = [
    {
      key: 'name',
      title: 'Connection',
      width: '36%',
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
    { key: 'issues', title: 'Issues under sync', width: '14%', render: (connection) => <span className="number-cell">{connection.issuesUnderSync}</span> },
    { key: 'last-sync', title: 'Last sync', width: '24%', render: (connection) => describeLastSync(connection.lastSync, now) },
    {
      key: 'status',
      title: 'Status',
      width: '18%',
      render: (connection) => <ConnectionStatusLozenge status={connection.status} reason={connection.statusReason} />,
    },
    {
      key: 'actions',
      title: <span className="visually-hidden">Actions</span>,
      width: '8%',
      render: (connection) => (
        <DropdownMenu
          placement="bottom-end"
          shouldRenderToParent
          trigger={({ triggerRef, ...triggerProps }) => (
            <IconButton
              {...triggerProps}
              ref={triggerRef}
              icon={ShowMoreHorizontalIcon}
              label={`Actions for ${connection.name}`}
              appearance="subtle"
              isLoading={busyId === connection.id}
              testId={`connection-actions-${connection.id}`}
            />
          )}
        >
          <DropdownItemGroup>
            <DropdownItem onClick={() => onEdit(connection)}>Edit</DropdownItem>
            {connection.status === 'pending' ? null : connection.status === 'deactivated' ? (
              <DropdownItem onClick={() => onSetActive(connection, true)}>Activate</DropdownItem>
            ) : (
              <DropdownItem onClick={() => onSetActive(connection, false)}>Deactivate</DropdownItem>
            )}
            <DropdownItem onClick={() => onDelete(connection)}>Delete</DropdownItem>
          </DropdownItemGroup>
        </DropdownMenu>
      ),
    },
  ];
  return <DataTable label="Connections" columns={columns} rows={connections} rowKey={(connection) => connection.id} testId="connections-table" />;
}
