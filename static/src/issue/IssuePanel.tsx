// The Exalate panel on an issue: its twins on other sides, and Exalate to
// start syncing it through a connection.
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import Select from '@atlaskit/select';
import { api, type ApiError } from '../api';
import { ApiErrorMessage } from '../components/ApiErrorMessage';
import { Loading } from '../components/Loading';
import { useForgeContext } from '../context';
import { timeAgo } from '../lib/relative-time';
import { useNow, useResource } from '../lib/use-resource';
import type { Twin } from '../schemas';

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
        {twin.lastSync !== undefined && twin.lastSync !== null ? ` · synced ${timeAgo(twin.lastSync, now)}` : ''}
      </div>
      {twin.status === 'error' && twin.statusReason ? <p className="twin__reason">{twin.statusReason}</p> : null}
    </li>
  );
}

interface Option {
  label: string;
  value: string;
}

function ExalateForm({ issueKey, exclude, onDone }: { issueKey: string; exclude: Set<string>; onDone(): void }) {
  const [connections] = useResource(api.listConnections);
  const [choice, setChoice] = useState<Option | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const options: Option[] =
    connections.state === 'ready'
      ? connections.value.connections
          .filter((connection) => connection.status === 'active' && !exclude.has(connection.id))
          .map((connection) => ({ label: connection.name, value: connection.id }))
      : [];

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
    if (result.ok) onDone();
    else setFailure(result.error);
  }

  if (connections.state === 'failed') return <ApiErrorMessage error={connections.error} />;
  if (connections.state === 'ready' && options.length === 0) {
    return <p className="field-help">No active connection can take this issue. A Jira admin sets connections up in Apps → Exalate.</p>;
  }
  return (
    <div className="exalate-form">
      <label htmlFor="exalate-connection" className="field-label">
        Connection
      </label>
      <div className="exalate-form__row">
        <div className="exalate-form__select">
          <Select<Option>
            inputId="exalate-connection"
            options={options}
            value={choice}
            onChange={(option) => setChoice(option)}
            isLoading={connections.state === 'loading'}
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

export default function IssuePanel() {
  const context = useForgeContext();
  const issueKey = context.extension?.issue?.key;
  const [status, reload] = useResource(() =>
    issueKey ? api.getIssueSyncStatus(issueKey) : Promise.resolve({ ok: true as const, value: { twins: [] as Twin[] } }),
  );
  const now = useNow();
  if (!issueKey) return <p className="panel">Open this panel from an issue.</p>;
  const twins = status.state === 'ready' ? status.value.twins : [];
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
      {status.state !== 'loading' ? (
        <ExalateForm issueKey={issueKey} exclude={new Set(twins.map((twin) => twin.connectionId))} onDone={() => void reload()} />
      ) : null}
    </div>
  );
}
