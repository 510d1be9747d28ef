// The Exalate panel on an issue: its twins on other sides, and Exalate to
// start syncing it through a connection.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge';
import Select from '@atlaskit/select';
import { api, type ApiError } from '../api';
import { ApiErrorMessage } from '../components/ApiErrorMessage';
import { Loading } from '../components/Loading';
import { useForgeContext } from '../context';
import { timeAgo } from '../lib/relative-time';
import { useNow, useResource } from '../lib/use-resource';
import type { IssueSyncStatus, Twin } from '../schemas';

const TWIN_STATUS = {
  synchronized: { label: 'Synchronized', appearance: 'success' },
  pending: { label: 'Pending', appearance: 'inprogress' },
  error: { label: 'Error', appearance: 'removed' },
} as const;

function TwinRow({ twin, now }: { twin: Twin; now: number }) {
  const status = TWIN_STATUS[twin.status];
  return (
    <li className="twin" data-testid="twin">
      <div className="twin__head">
        {twin.remoteKey && twin.remoteUrl ? (
          <a href={twin.remoteUrl} target="_blank" rel="noopener noreferrer" className="twin__key">
            {twin.remoteKey}
          </a>
        ) : (
          <span className="twin__key">{twin.remoteKey ?? 'Not created yet'}</span>
        )}
        <Lozenge appearance={status.appearance}>{status.label}</Lozenge>
      </div>
      <div className="twin__meta">
        {twin.connectionName}
        {twin.lastSyncAt !== undefined && twin.lastSyncAt !== null ? ` · synced ${timeAgo(twin.lastSyncAt, now)}` : ''}
      </div>
      {twin.error ? (
        <p className="twin__reason">{twin.error.line ? `${twin.error.message} (line ${twin.error.line})` : twin.error.message}</p>
      ) : null}
    </li>
  );
}

interface Option {
  label: string;
  value: string;
}

function ExalateForm({ issueKey, choices, onDone }: { issueKey: string; choices: Option[]; onDone(): void }) {
  const [choice, setChoice] = useState<Option | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function exalate() {
    if (!choice) {
      setProblem('Choose the connection to sync this issue through.');
      return;
    }
    setProblem(null);
    setBusy(true);
    setFailure(null);
    const result = await api.exalateIssue(choice.value, issueKey);
    setBusy(false);
    if (result.ok) {
      setChoice(null);
      onDone();
    } else setFailure(result.error);
  }

  if (choices.length === 0) {
    return <p className="field-help">No other active connection takes issues from this project. A Jira admin sets connections up in Apps → Exalate.</p>;
  }
  return (
    <div className="exalate-form">
      <label htmlFor="exalate-connection" className="field-label">
        Sync this issue through
      </label>
      <div className="exalate-form__row">
        <div className="exalate-form__select">
          <Select<Option>
            inputId="exalate-connection"
            options={choices}
            value={choice}
            onChange={(option) => setChoice(option)}
            placeholder="Choose a connection"
            isInvalid={problem !== null}
            spacing="compact"
          />
        </div>
        <Button appearance="primary" isLoading={busy} onClick={() => void exalate()}>
          Exalate
        </Button>
      </div>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {failure ? <ApiErrorMessage error={failure} /> : null}
    </div>
  );
}

const noIssue = (): Promise<{ ok: true; value: IssueSyncStatus }> => Promise.resolve({ ok: true, value: { twins: [] } });

export default function IssuePanel() {
  const context = useForgeContext();
  const issueKey = context.extension?.issue?.key;
  const [status, reload] = useResource(() => (issueKey ? api.getIssueSyncStatus(issueKey) : noIssue()));
  const now = useNow();
  if (!issueKey) return <p className="panel">Open this panel from an issue.</p>;
  const twins = status.state === 'ready' ? status.value.twins : [];
  const choices =
    status.state === 'ready' ? (status.value.operations?.exalate ?? []).map((entry) => ({ label: entry.name, value: entry.connectionId })) : [];
  return (
    <div className="panel" data-testid="issue-panel">
      {status.state === 'loading' ? <Loading label="Loading sync status" /> : null}
      {status.state === 'failed' ? <ApiErrorMessage error={status.error} onRetry={() => void reload()} /> : null}
      {status.state === 'ready' && twins.length === 0 ? (
        <p className="panel__empty" data-testid="not-synced">
          {issueKey} isn't synced with any other issue yet.
        </p>
      ) : null}
      {twins.length > 0 ? (
        <ul className="twins" aria-label={`Twins of ${issueKey}`}>
          {twins.map((twin) => (
            <TwinRow key={`${twin.connectionId}:${twin.remoteKey ?? ''}`} twin={twin} now={now} />
          ))}
        </ul>
      ) : null}
      {status.state === 'ready' ? <ExalateForm issueKey={issueKey} choices={choices} onDone={() => void reload()} /> : null}
    </div>
  );
}
