import Lozenge from '@atlaskit/lozenge';
import type { ConnectionStatus } from '../schemas';

const appearance = {
  active: 'success',
  deactivated: 'default',
  error: 'removed',
  pending: 'inprogress',
} as const;

const label: Record<ConnectionStatus, string> = {
  active: 'Active',
  deactivated: 'Deactivated',
  error: 'Error',
  pending: 'Pending',
};

/** The status, and for an error its reason in plain sight rather than behind a tooltip. */
export function ConnectionStatusLozenge({ status, reason }: { status: ConnectionStatus; reason?: string | null }) {
  return (
    <span data-testid={`status-${status}`}>
      <Lozenge appearance={appearance[status]}>{label[status]}</Lozenge>
      {reason && status !== 'active' ? <span className={`status-reason status-reason--${status}`}>{reason}</span> : null}
    </span>
  );
}
