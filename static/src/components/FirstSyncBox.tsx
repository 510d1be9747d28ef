// "Connection established successfully": the first-sync prompt of the
// reference flow. Enter an issue key from the incoming project, press Exalate.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import StatusSuccessIcon from '@atlaskit/icon/core/status-success';
import { api, type ApiError } from '../api';
import { ApiErrorMessage } from './ApiErrorMessage';
import { projectLabel } from './ProjectSelect';
import { checkIssueKey } from '../lib/issue-key';

interface Props {
  connectionId: string;
  project: { key: string; name: string } | null;
}

export function FirstSyncBox({ connectionId, project }: Props) {
  const [issueKey, setIssueKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [synced, setSynced] = useState<{ key: string; remoteKey?: string | null } | null>(null);

  async function exalate() {
    const invalid = checkIssueKey(issueKey, project?.key ?? null);
    setProblem(invalid);
    setError(null);
    if (invalid) return;
    const key = issueKey.trim().toUpperCase();
    setBusy(true);
    const result = await api.exalateIssue(connectionId, key);
    setBusy(false);
    if (result.ok) setSynced({ key, remoteKey: null });
    else setError(result.error);
  }

  return (
    <div className="first-sync" data-testid="first-sync">
      <div className="first-sync__established">
        <StatusSuccessIcon label="" color="var(--ds-icon-success)" />
        <Heading size="small" as="h3">
          Connection established successfully
        </Heading>
      </div>
      <p>Sync your first issue to see how it works.</p>
      {/* Not a <form>: this box sits inside the dialogs' own forms. */}
      <div className="first-sync__form">
        <label htmlFor="first-sync-issue-key" className="field-label">
          Please enter an issue key from the project{' '}
          <strong>{project ? projectLabel(project) : 'for incoming sync'}</strong> to proceed
        </label>
        <div className="first-sync__row">
          <Textfield
            id="first-sync-issue-key"
            value={issueKey}
            placeholder={project ? `${project.key}-1` : 'TEST-1'}
            onChange={(event) => setIssueKey(event.currentTarget.value)}
            isInvalid={problem !== null}
            aria-describedby={problem ? 'first-sync-problem' : undefined}
            autoComplete="off"
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              void exalate();
            }}
          />
          <Button appearance="primary" isLoading={busy} onClick={() => void exalate()}>
            Exalate
          </Button>
        </div>
        {problem ? (
          <p id="first-sync-problem" className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
      {error ? <ApiErrorMessage error={error} /> : null}
      {synced ? (
        <SectionMessage appearance="success" title={`${synced.key} is being synchronized`} testId="first-sync-done">
          <p>
            {synced.remoteKey
              ? `Its twin on the other side is ${synced.remoteKey}.`
              : 'Its twin appears on the other side within moments.'}{' '}
            Open the issue to follow the sync on its Exalate panel.
          </p>
        </SectionMessage>
      ) : null}
    </div>
  );
}
