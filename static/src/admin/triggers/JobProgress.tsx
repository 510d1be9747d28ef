// A running Bulk / Unbulk Exalate job, polled every second until it ends.
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ProgressBar, { SuccessProgressBar } from '@atlaskit/progress-bar';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import type { Job } from '../../schemas';

const POLL_MS = 1000;
const KIND_LABEL = { 'bulk-exalate': 'Bulk Exalate', 'unbulk-exalate': 'Unbulk Exalate' } as const;
const STATUS_LABEL = { running: 'running', done: 'done', cancelled: 'cancelled', failed: 'failed' } as const;

export function JobProgress({ job: started, jql, onDismiss }: { job: Job; jql: string; onDismiss(): void }) {
  const [job, setJob] = useState(started);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const running = job.status === 'running';

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const timer = window.setTimeout(async () => {
      const next = await api.getJob(job.id);
      if (stopped) return;
      if (next.ok) setJob(next.value);
      else setFailure(next.error);
    }, POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [job, running]);

  async function cancel() {
    setCancelling(true);
    const result = await api.cancelJob(job.id);
    setCancelling(false);
    if (result.ok) setJob(result.value);
    else setFailure(result.error);
  }

  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : running ? 0 : 1;
  const label = `${KIND_LABEL[job.kind]}: ${job.done} of ${job.total} issue${job.total === 1 ? '' : 's'}${job.failed ? `, ${job.failed} failed` : ''} (${STATUS_LABEL[job.status]})`;
  return (
    <section className="job" aria-label={KIND_LABEL[job.kind]} data-testid="job" data-status={job.status}>
      <div className="job__head">
        <strong>{KIND_LABEL[job.kind]}</strong> <code className="jql">{jql}</code>
      </div>
      {job.status === 'done' ? <SuccessProgressBar value={1} ariaLabel={label} /> : <ProgressBar value={fraction} ariaLabel={label} isIndeterminate={running && job.total === 0} />}
      <div className="job__foot">
        <span role="status" data-testid="job-status">
          {label}
        </span>
        {job.lastError ? <span className="field-error">{job.lastError}</span> : null}
        {running ? (
          <Button spacing="compact" isLoading={cancelling} onClick={() => void cancel()} testId="cancel-job">
            Cancel
          </Button>
        ) : (
          <Button spacing="compact" appearance="subtle" onClick={onDismiss}>
            Dismiss
          </Button>
        )}
      </div>
      {failure ? <ApiErrorMessage error={failure} /> : null}
    </section>
  );
}
