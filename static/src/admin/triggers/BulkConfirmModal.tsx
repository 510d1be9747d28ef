// "Sync these N issues?" before Bulk Exalate, "stop syncing them?" before
// Unbulk: the count is what the query matches now in the connection's
// project, as the person asking can see it.
import { useCallback } from 'react';
import { api, type ApiResult } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Loading } from '../../components/Loading';
import { useResource } from '../../lib/use-resource';
import type { Job, Trigger } from '../../schemas';

export type BulkKind = 'bulk' | 'unbulk';

const issues = (n: number) => `${n} issue${n === 1 ? '' : 's'}`;

export default function BulkConfirmModal({ trigger, kind, onClose }: { trigger: Trigger; kind: BulkKind; onClose(job: Job | null): void }) {
  const load = useCallback(() => api.countTriggerMatches(trigger.connectionId, trigger.jql), [trigger.connectionId, trigger.jql]);
  const [count] = useResource(load);
  let started: Job | null = null;
  const act = async (): Promise<ApiResult<Job>> => {
    const result = kind === 'bulk' ? await api.bulkExalate(trigger.id) : await api.unbulkExalate(trigger.id);
    if (result.ok) started = result.value;
    return result;
  };
  const matches = count.state === 'ready' ? count.value.matches : null;
  const project = count.state === 'ready' ? count.value.projectKey : null;
  const verb = kind === 'bulk' ? 'Sync' : 'Stop syncing';
  return (
    <ConfirmModal
      label={kind === 'bulk' ? 'Bulk Exalate' : 'Unbulk Exalate'}
      title={kind === 'bulk' ? 'Bulk Exalate?' : 'Unbulk Exalate?'}
      testId={`confirm-${kind}`}
      confirmTestId={`confirm-${kind}-button`}
      confirmLabel={matches === null ? verb : `${verb} ${issues(matches)}`}
      appearance="warning"
      ready={matches !== null && matches > 0}
      act={act}
      onClose={(done) => onClose(done ? started : null)}
    >
      <p>
        The trigger <code className="jql">{trigger.jql}</code> on <strong>{trigger.connectionName}</strong>.
      </p>
      {count.state === 'loading' ? <Loading label="Counting the issues the query matches" /> : null}
      {count.state === 'failed' ? <ApiErrorMessage error={count.error} /> : null}
      {matches !== null && matches === 0 ? <p data-testid="bulk-count">The query matches no issue in {project} now: there is nothing to {kind === 'bulk' ? 'sync' : 'stop'}.</p> : null}
      {matches !== null && matches > 0 ? (
        <p data-testid="bulk-count">
          {kind === 'bulk'
            ? `${issues(matches)} of ${project} ${matches === 1 ? 'matches' : 'match'} it now. Each is synced to the partner (issues already in sync are brought up to date). The job runs in the background; you can leave this page and follow it in the Sync queue.`
            : `${issues(matches)} of ${project} ${matches === 1 ? 'matches' : 'match'} it now. Syncing stops for those under sync on this connection, on both sides, once what is in flight has arrived; the issues themselves stay as they are.`}
        </p>
      ) : null}
    </ConfirmModal>
  );
}
