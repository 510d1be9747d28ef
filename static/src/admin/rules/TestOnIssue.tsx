// Runs the outgoing script as it is in the editor (published or not) on one
// issue and shows the replica it makes, or where it fails.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Textfield from '@atlaskit/textfield';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Field } from '../../components/Field';
import { JsonView } from '../../components/JsonView';
import { checkIssueKey } from '../../lib/issue-key';
import type { Connection, TestRulesResult } from '../../schemas';

export function TestOnIssue({ connection, outgoing, onErrorLine }: { connection: Connection; outgoing: string; onErrorLine(line: number | null): void }) {
  const [issueKey, setIssueKey] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [result, setResult] = useState<TestRulesResult | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function test() {
    const key = issueKey.trim().toUpperCase();
    // Any issue the app can read will do: a test sends nothing.
    const wrong = checkIssueKey(key, null);
    setProblem(wrong ?? undefined);
    if (wrong) return;
    setBusy(true);
    setFailure(null);
    const answer = await api.testRules(connection.id, key, outgoing);
    setBusy(false);
    if (!answer.ok) {
      setResult(null);
      setFailure(answer.error);
      onErrorLine(null);
      return;
    }
    setResult(answer.value);
    onErrorLine(answer.value.error?.line ?? null);
  }

  const logs = (result?.logs ?? []).map((line) => (typeof line === 'string' ? line : JSON.stringify(line)));
  return (
    <section className="test-on-issue" aria-labelledby="test-on-issue-heading" data-testid="test-on-issue">
      <h3 className="rules__heading" id="test-on-issue-heading">
        Test on issue
      </h3>
      <form
        className="test-on-issue__form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void test();
        }}
      >
        <Field id="test-issue-key" label="Issue key" error={problem} help="Runs the outgoing script above, unpublished changes included, and shows the replica it makes.">
          {(describedBy) => (
            <div className="test-on-issue__row">
              <Textfield
                id="test-issue-key"
                value={issueKey}
                placeholder={connection.localProjectKey ? `${connection.localProjectKey}-1` : 'UD-1'}
                isInvalid={Boolean(problem)}
                aria-describedby={describedBy}
                onChange={(event) => setIssueKey(event.currentTarget.value)}
                isCompact
              />
              <Button type="submit" isLoading={busy} testId="run-test">
                Test
              </Button>
            </div>
          )}
        </Field>
      </form>
      {failure ? <ApiErrorMessage error={failure} testId="test-error" /> : null}
      {result ? (
        <div className="test-on-issue__result" data-testid="test-result">
          <p className="test-on-issue__meta">
            {result.ok ? 'Replica made' : 'The script failed'} in {(result.elapsedMs ?? 0).toFixed(1)} ms
          </p>
          {result.error ? (
            <div role="alert" className="script-failure" data-testid="test-script-error">
              <strong>{result.error.line ? `Line ${result.error.line}${result.error.column ? `, column ${result.error.column}` : ''}: ` : ''}</strong>
              {result.error.message}
            </div>
          ) : null}
          {result.ok && result.replica !== undefined ? <JsonView value={result.replica} label="Replica" testId="replica" /> : null}
          {logs.length > 0 ? (
            <div className="test-on-issue__logs">
              <h4 className="rules__sub">Logs</h4>
              <pre data-testid="test-logs">{logs.join('\n')}</pre>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
