import Lozenge from '@atlaskit/lozenge';
import type { ConnectionStatus } from '../schemas';

const appearance = {
  Active: 'success',
  Deactivated: 'default',
  Error: 'removed',
  Pending: 'inprogress',
} as const satisfies Record<ConnectionStatus, string>;

/** The status, and for an error its reason in plain sight rather than behind a tooltip. */
export function ConnectionStatusLozenge({ status, reason }: { status: ConnectionStatus; reason?: string | null }) {
  const slug = status.toLowerCase();
  return (
    <span data-testid={`status-${slug}`}>
      <Lozenge appearance={appearance[status]}>{status}</Lozenge>
      {reason && status !== 'Active' ? <span className={`status-reason status-reason--${slug}`}>{reason}</span> : null}
    </span>
  );
}
