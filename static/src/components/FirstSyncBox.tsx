// "Connection established successfully": the first-sync prompt of the
// reference flow. Enter an issue key from the incoming project, press Exalate.
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import StatusSuccessIcon from '@atlaskit/icon/core/status-success';
import { api, type ApiError } from '../api';
import { ApiErrorMessage } from './ApiErrorMessage';
import { projectLabel } from './ProjectSelect';
import { checkIssueKey } from '../lib/issue-key';
import { useForgeContext } from '../context';
import type { Twin } from '../schemas';

/** How often, and how long, the box asks how the first sync went. */
const POLL_MS = 1500;
const POLL_TIMES = 40;

/** The twin on this connection once the partner answered, or its error; null while it is on its way. */
function useFirstSyncOutcome(connectionId: string, issueKey: string | null): { twin: Twin | null; gaveUp: boolean } {
  const [twin, setTwin] = useState<Twin | null>(null);
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    setTwin(null);
    setGaveUp(false);
    if (!issueKey) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async (left: number) => {
      const status = await api.getIssueSyncStatus(issueKey);
      if (stopped) return;
      const found = status.ok ? (status.value.twins.find((t) => t.connectionId === connectionId) ?? null) : null;
      if (found) setTwin(found);
      if (found && (found.status === 'error' || (found.status === 'synchronized' && found.remoteKey))) return;
      if (left <= 1) setGaveUp(true);
      else timer = setTimeout(() => void ask(left - 1), POLL_MS);
    };
    timer = setTimeout(() => void ask(POLL_TIMES), POLL_MS / 3);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [connectionId, issueKey]);
  return { twin, gaveUp };
}

interface Props {
  connectionId: string;
  project: { key: string; name: string } | null;
}

export function FirstSyncBox({ connectionId, project }: Props) {
  const [issueKey, setIssueKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [synced, setSynced] = useState<{ key: string } | null>(null);
  const { twin, gaveUp } = useFirstSyncOutcome(connectionId, synced?.key ?? null);
  const siteUrl = useForgeContext().siteUrl;

  async function exalate() {
    const invalid = checkIssueKey(issueKey, project?.key ?? null);
    setProblem(invalid);
    setError(null);
    if (invalid) return;
    const key = issueKey.trim().toUpperCase();
    setBusy(true);
    const result = await api.exalateIssue(connectionId, key);
    setBusy(false);
    if (result.ok) setSynced({ key });
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
      {synced && twin?.status === 'error' ? (
        <SectionMessage appearance="error" title={`${synced.key} could not be synchronized`} testId="first-sync-failed">
          <p>{twin.error?.message ?? 'The sync stopped with an error.'} Fix the cause, then retry it from the Errors page or the issue's Exalate panel.</p>
        </SectionMessage>
      ) : null}
      {synced && twin?.status === 'synchronized' && twin.remoteKey ? (
        <SectionMessage appearance="success" title={`${synced.key} is synchronized`} testId="first-sync-done">
          <p data-testid="first-sync-twins">
            <a href={siteUrl ? `${siteUrl.replace(/\/$/, '')}/browse/${synced.key}` : undefined} target="_blank" rel="noopener noreferrer">
              {synced.key}
            </a>{' '}
            here and{' '}
            {twin.remoteUrl ? (
              <a href={twin.remoteUrl} target="_blank" rel="noopener noreferrer" data-testid="first-sync-remote">
                {twin.remoteKey}
              </a>
            ) : (
              <span data-testid="first-sync-remote">{twin.remoteKey}</span>
            )}{' '}
            on the other side are twins now: changes to either reach the other. Each issue's Exalate panel shows the sync history.
          </p>
        </SectionMessage>
      ) : null}
      {synced && twin?.status !== 'error' && !(twin?.status === 'synchronized' && twin.remoteKey) ? (
        <SectionMessage appearance={gaveUp ? 'warning' : 'information'} title={`${synced.key} is being synchronized`} testId="first-sync-done">
          <p>
            {gaveUp
              ? 'The other side has not answered yet. Nothing is lost: the change waits in the Sync queue and goes out as soon as the partner is reachable; the issue\'s Exalate panel shows when it arrives.'
              : 'Waiting for the other side to create its twin…'}
          </p>
        </SectionMessage>
      ) : null}
    </div>
  );
}
