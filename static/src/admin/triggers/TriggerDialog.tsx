// Create or edit a trigger: which connection, the entity type, the JQL that
// selects issues (Jira checks it on save), notes, and whether it is active.
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import Select from '@atlaskit/select';
import TextArea from '@atlaskit/textarea';
import Toggle from '@atlaskit/toggle';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Field } from '../../components/Field';
import type { Connection, Trigger } from '../../schemas';

interface Option {
  label: string;
  value: string;
}

const ENTITY_TYPES: Option[] = [{ label: 'Issue', value: 'issue' }];
const JQL_LIMIT = 5000;

interface Props {
  /** The trigger to edit, or none to create one. */
  trigger?: Trigger;
  /** Connections a new trigger can belong to; one fixed connection on a connection's own tab. */
  connections: Connection[];
  onClose(saved: { trigger: Trigger; matches: number | null } | null): void;
}

/** What the query matches now, checked by Jira as the person typing, a moment after they stop typing. */
function useMatchCount(connectionId: string | undefined, jql: string): { matches: number; projectKey: string } | { problem: string } | null {
  const [answer, setAnswer] = useState<{ matches: number; projectKey: string } | { problem: string } | null>(null);
  useEffect(() => {
    setAnswer(null);
    const query = jql.trim();
    if (!connectionId || !query || query.length > JQL_LIMIT) return;
    let current = true;
    const timer = setTimeout(() => {
      void api.countTriggerMatches(connectionId, query).then((result) => {
        if (current) setAnswer(result.ok ? { matches: result.value.matches, projectKey: result.value.projectKey } : { problem: result.error.message });
      });
    }, 600);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [connectionId, jql]);
  return answer;
}

export default function TriggerDialog({ trigger, connections, onClose }: Props) {
  const options = connections.map((c) => ({ label: c.name, value: c.id }));
  const [connection, setConnection] = useState<Option | null>(
    options.find((o) => o.value === trigger?.connectionId) ?? (options.length === 1 ? options[0]! : null),
  );
  const [jql, setJql] = useState(trigger?.jql ?? '');
  const [notes, setNotes] = useState(trigger?.notes ?? '');
  const [active, setActive] = useState(trigger?.active ?? true);
  const [problem, setProblem] = useState<{ connection?: string; jql?: string }>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const project = connections.find((c) => c.id === connection?.value)?.localProjectKey;
  const count = useMatchCount(connection?.value, jql);
  const countText =
    count === null ? null : 'problem' in count ? count.problem : `Matches ${count.matches} issue${count.matches === 1 ? '' : 's'} of ${count.projectKey} now.`;

  async function save() {
    const next: typeof problem = {};
    if (!connection) next.connection = 'Choose the connection this trigger syncs through.';
    if (!jql.trim()) next.jql = 'Enter a JQL query, such as labels = sync.';
    else if (jql.length > JQL_LIMIT) next.jql = `Keep the query to ${JQL_LIMIT} characters or fewer.`;
    setProblem(next);
    if (next.connection || next.jql || !connection) return;
    setBusy(true);
    setFailure(null);
    const result = await api.saveTrigger({ id: trigger?.id, connectionId: connection.value, entityType: 'issue', jql: jql.trim(), notes, active });
    setBusy(false);
    if (result.ok) onClose({ trigger: result.value.trigger, matches: result.value.matches ?? null });
    // Jira's own words about a bad query belong under the query.
    else if (result.error.kind === 'BadInput' || result.error.kind === 'JiraError') setProblem({ jql: result.error.message });
    else setFailure(result.error);
  }

  const title = trigger ? 'Edit trigger' : 'Create trigger';
  return (
    <ModalDialog onClose={() => onClose(null)} label={title} testId="trigger-dialog" width="large">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <ModalHeader hasCloseButton>
          <ModalTitle>{title}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          <div className="wizard-step">
            {connections.length > 1 || !connection ? (
              <Field id="trigger-connection" label="Connection" required error={problem.connection}>
                {(describedBy) => (
                  <Select<Option>
                    inputId="trigger-connection"
                    options={options}
                    value={connection}
                    onChange={(option) => setConnection(option)}
                    isInvalid={Boolean(problem.connection)}
                    aria-describedby={describedBy}
                    placeholder="Choose a connection"
                    autoFocus={!trigger}
                  />
                )}
              </Field>
            ) : (
              <dl className="facts">
                <dt>Connection</dt>
                <dd>{connection.label}</dd>
              </dl>
            )}
            <Field id="trigger-entity" label="Entity type" required>
              {() => <Select<Option> inputId="trigger-entity" options={ENTITY_TYPES} value={ENTITY_TYPES[0]} isDisabled />}
            </Field>
            <Field
              id="trigger-jql"
              label="If"
              required
              error={problem.jql}
              help={
                <>
                  {`A JQL query. Issues${project ? ` of ${project}` : ''} it matches are synced when they are created or changed.`}
                  {countText ? (
                    <span data-testid="trigger-matches" aria-live="polite">
                      {' '}
                      {countText}
                    </span>
                  ) : null}
                </>
              }
            >
              {(describedBy) => (
                <TextArea
                  id="trigger-jql"
                  value={jql}
                  minimumRows={3}
                  placeholder="labels = sync AND status != Done"
                  isMonospaced
                  isInvalid={Boolean(problem.jql)}
                  aria-describedby={describedBy}
                  onChange={(event) => setJql(event.currentTarget.value)}
                  autoFocus={Boolean(trigger) || connections.length === 1}
                />
              )}
            </Field>
            <Field id="trigger-notes" label="Notes">
              {(describedBy) => (
                <TextArea id="trigger-notes" value={notes} minimumRows={2} aria-describedby={describedBy} onChange={(event) => setNotes(event.currentTarget.value)} />
              )}
            </Field>
            <div className="toggle-row">
              <Toggle id="trigger-active" isChecked={active} onChange={(event) => setActive(event.currentTarget.checked)} />
              <label htmlFor="trigger-active">Active</label>
            </div>
            {failure ? <ApiErrorMessage error={failure} /> : null}
          </div>
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={() => onClose(null)}>
            Cancel
          </Button>
          <Button type="submit" appearance="primary" isLoading={busy} testId="save-trigger">
            {trigger ? 'Save' : 'Create'}
          </Button>
        </ModalFooter>
      </form>
    </ModalDialog>
  );
}
