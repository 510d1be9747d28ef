// The Exalate panel on an issue: its twins on other sides with their status
// and history, and the actions Exalate, Connect and Unexalate.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { api, type ApiError, type InitialSyncChoice } from '../api';
import { ApiErrorMessage } from '../components/ApiErrorMessage';
import { Loading } from '../components/Loading';
import { useForgeContext } from '../context';
import { notify } from '../lib/flags';
import { checkIssueKey } from '../lib/issue-key';
import { timeAgo } from '../lib/relative-time';
import { useNow, useResource } from '../lib/use-resource';
import type { HistoryEntry, IssueSyncStatus, Twin } from '../schemas';
import { TwinHistory } from './TwinHistory';

const TWIN_STATUS = {
  synchronized: { label: 'Synchronized', appearance: 'success' },
  pending: { label: 'Pending', appearance: 'inprogress' },
  error: { label: 'Error', appearance: 'removed' },
} as const;

interface TwinRowProps {
  twin: Twin;
  now: number;
  history: HistoryEntry[];
  onUnexalate(): void;
  busy: boolean;
}

function TwinRow({ twin, now, history, onUnexalate, busy }: TwinRowProps) {
  const status = TWIN_STATUS[twin.status];
  return (
    <li className="twin" data-testid="twin">
      <div className="twin__head">
        {twin.remoteKey && twin.remoteUrl ? (
          <a href={twin.remoteUrl} target="_blank" rel="noopener noreferrer" className="twin__key" data-testid="remote-link">
            {twin.remoteKey}
          </a>
        ) : (
          <span className="twin__key">{twin.remoteKey ?? 'Not created yet'}</span>
        )}
        <span data-testid="twin-status">
          <Lozenge appearance={status.appearance}>{status.label}</Lozenge>
        </span>
        <span className="twin__actions">
          <Button spacing="compact" appearance="subtle" isLoading={busy} onClick={onUnexalate} testId="unexalate">
            Unexalate
          </Button>
        </span>
      </div>
      <div className="twin__meta">
        {twin.connectionName}
        {twin.lastSyncAt !== undefined && twin.lastSyncAt !== null ? ` · synced ${timeAgo(twin.lastSyncAt, now)}` : ''}
      </div>
      {twin.error ? (
        <p className="twin__reason" data-testid="twin-error">
          {twin.error.line ? `${twin.error.message} (line ${twin.error.line})` : twin.error.message}
        </p>
      ) : null}
      <TwinHistory entries={history} remote={twin.remoteKey ?? twin.connectionName} now={now} />
    </li>
  );
}

interface Option {
  label: string;
  value: string;
}

type Action = 'exalate' | 'connect';

/** Connect's initial sync, this side's fields first: the admin connecting usually stands on the issue to keep. */
const INITIAL_SYNC: { value: InitialSyncChoice; label: string; help: string }[] = [
  { value: 'this-side', label: 'This side wins', help: "This issue's fields, comments and attachments are sent and overwrite the other issue's fields." },
  { value: 'other-side', label: 'The other side wins', help: "The other issue's fields, comments and attachments come here and overwrite this issue's fields." },
  { value: 'none', label: 'No initial sync', help: 'Nothing syncs until the next change on either side.' },
];

/** The initial sync as the panel says it, for a Connect request or its confirmation. */
export const initialSyncLabel = (choice: InitialSyncChoice | undefined) => INITIAL_SYNC.find((option) => option.value === (choice ?? 'none'))!.label;

function ActionForm({ issueKey, action, choices, onDone }: { issueKey: string; action: Action; choices: Option[]; onDone(): void }) {
  const [choice, setChoice] = useState<Option | null>(choices.length === 1 ? choices[0]! : null);
  const [remoteKey, setRemoteKey] = useState('');
  const [initialSync, setInitialSync] = useState<InitialSyncChoice>('this-side');
  const [problem, setProblem] = useState<{ connection?: string; remoteKey?: string }>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `${action}-connection`;

  async function run() {
    const next: typeof problem = {};
    if (!choice) next.connection = 'Choose the connection to sync this issue through.';
    if (action === 'connect') {
      const wrong = checkIssueKey(remoteKey, null);
      if (wrong) next.remoteKey = wrong.replace('an issue key', 'the remote issue key');
    }
    setProblem(next);
    if (next.connection || next.remoteKey || !choice) return;
    setBusy(true);
    setFailure(null);
    const result =
      action === 'exalate' ? await api.exalateIssue(choice.value, issueKey) : await api.connectIssue(choice.value, issueKey, remoteKey.trim().toUpperCase(), initialSync);
    setBusy(false);
    if (result.ok) {
      notify(action === 'exalate' ? `Exalating ${issueKey}` : `Connecting ${issueKey} with ${remoteKey.trim().toUpperCase()}`, {
        description: action === 'exalate' ? 'Its twin appears here once the other side has it.' : `The other side confirms the link. Initial sync: ${initialSyncLabel(initialSync).toLowerCase()}.`,
      });
      setRemoteKey('');
      onDone();
    } else setFailure(result.error);
  }

  return (
    <form
      className="exalate-form"
      noValidate
      aria-label={action === 'exalate' ? 'Exalate' : 'Connect'}
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <label htmlFor={id} className="field-label">
        {action === 'exalate' ? 'Sync this issue through' : 'Link it to an existing issue on the other side'}
      </label>
      <div className="exalate-form__row">
        <div className="exalate-form__select">
          <Select<Option>
            inputId={id}
            options={choices}
            value={choice}
            onChange={(option) => setChoice(option)}
            placeholder="Choose a connection"
            isInvalid={Boolean(problem.connection)}
            spacing="compact"
          />
        </div>
        {action === 'connect' ? (
          <div className="exalate-form__key">
            <Textfield
              aria-label="Remote issue key"
              placeholder="Remote issue key"
              value={remoteKey}
              isInvalid={Boolean(problem.remoteKey)}
              onChange={(event) => setRemoteKey(event.currentTarget.value)}
              isCompact
              testId="remote-issue-key"
            />
          </div>
        ) : null}
        <Button type="submit" appearance={action === 'exalate' ? 'primary' : 'default'} isLoading={busy} testId={`${action}-button`}>
          {action === 'exalate' ? 'Exalate' : 'Connect'}
        </Button>
      </div>
      {action === 'connect' ? (
        <fieldset className="exalate-form__choice" data-testid="initial-sync">
          <legend className="field-label">Initial sync</legend>
          {INITIAL_SYNC.map((option) => (
            <label key={option.value} className="exalate-form__option" title={option.help}>
              <input type="radio" name={`${id}-initial-sync`} value={option.value} checked={initialSync === option.value} onChange={() => setInitialSync(option.value)} />
              {option.label}
            </label>
          ))}
          <p className="field-help">{INITIAL_SYNC.find((option) => option.value === initialSync)!.help}</p>
        </fieldset>
      ) : null}
      {problem.connection || problem.remoteKey ? (
        <p className="field-error" role="alert">
          {problem.connection ?? problem.remoteKey}
        </p>
      ) : null}
      {failure ? <ApiErrorMessage error={failure} /> : null}
    </form>
  );
}

const noIssue = (): Promise<{ ok: true; value: IssueSyncStatus }> => Promise.resolve({ ok: true, value: { issueKey: '', twins: [], operations: { exalate: [] } } });
const noHistory = () => Promise.resolve({ ok: true as const, value: { entries: [] as HistoryEntry[] } });

export default function IssuePanel() {
  const context = useForgeContext();
  const issueKey = context.extension?.issue?.key;
  const [status, reloadStatus] = useResource(() => (issueKey ? api.getIssueSyncStatus(issueKey) : noIssue()));
  const [history, reloadHistory] = useResource(() => (issueKey ? api.getIssueHistory(issueKey) : noHistory()));
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const now = useNow();
  if (!issueKey) return <p className="panel">Open this panel from an issue.</p>;

  const reload = () => {
    void reloadStatus();
    void reloadHistory();
  };

  async function unexalate(twin: Twin) {
    if (!issueKey) return;
    setBusy(twin.connectionId);
    setActionError(null);
    const result = await api.unexalateIssue(twin.connectionId, issueKey);
    setBusy(null);
    if (result.ok) {
      notify(`Stopping the sync of ${issueKey}`, { description: `${twin.remoteKey ?? 'The other issue'} stays as it is; changes no longer go across.` });
      reload();
    } else setActionError(result.error);
  }

  const ready = status.state === 'ready' ? status.value : null;
  const twins = ready?.twins ?? [];
  const entries = history.state === 'ready' ? history.value.entries : [];
  const toOptions = (list: { connectionId: string; name: string }[] | undefined) => (list ?? []).map((entry) => ({ label: entry.name, value: entry.connectionId }));
  const exalateChoices = toOptions(ready?.operations?.exalate);
  const connectChoices = toOptions(ready?.operations?.connect);
  const connects = ready?.connects ?? [];
  return (
    <div className="panel" data-testid="issue-panel">
      {status.state === 'loading' ? <Loading label="Loading sync status" /> : null}
      {status.state === 'failed' ? <ApiErrorMessage error={status.error} onRetry={() => void reloadStatus()} /> : null}
      {actionError ? <ApiErrorMessage error={actionError} /> : null}
      {ready && twins.length === 0 && connects.length === 0 ? (
        <p className="panel__empty" data-testid="not-synced">
          {issueKey} isn't synced with any other issue yet.
        </p>
      ) : null}
      {twins.length > 0 ? (
        <ul className="twins" aria-label={`Twins of ${issueKey}`}>
          {twins.map((twin) => (
            <TwinRow
              key={`${twin.connectionId}:${twin.remoteKey ?? ''}`}
              twin={twin}
              now={now}
              history={entries.filter((entry) => entry.connectionId === twin.connectionId)}
              busy={busy === twin.connectionId}
              onUnexalate={() => void unexalate(twin)}
            />
          ))}
        </ul>
      ) : null}
      {connects.length > 0 ? (
        <ul className="twins" aria-label="Connect requests">
          {connects.map((request) => (
            <li className="twin" key={request.connectionId} data-testid="connect-request">
              <div className="twin__head">
                <span className="twin__key">{request.remoteIssueKey}</span>
                <Lozenge appearance={request.state === 'pending' ? 'inprogress' : 'removed'}>{request.state === 'pending' ? 'Connecting' : 'Refused'}</Lozenge>
              </div>
              <div className="twin__meta">
                {request.connectionName} · Initial sync: {initialSyncLabel(request.initialSync).toLowerCase()}
              </div>
              {request.reason ? <p className="twin__reason">{request.reason}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {ready && exalateChoices.length === 0 && connectChoices.length === 0 && twins.length === 0 ? (
        <p className="field-help">No other active connection takes issues from this project. A Jira admin sets connections up in Apps → Exalate.</p>
      ) : null}
      {ready && exalateChoices.length > 0 ? <ActionForm issueKey={issueKey} action="exalate" choices={exalateChoices} onDone={reload} /> : null}
      {ready && connectChoices.length > 0 ? <ActionForm issueKey={issueKey} action="connect" choices={connectChoices} onDone={reload} /> : null}
    </div>
  );
}
