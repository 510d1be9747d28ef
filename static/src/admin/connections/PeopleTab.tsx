// The connection's People settings: who the other side's people are here when their email does not say
// (hidden, or no account here). A table of their person → a person of this site, and a fallback person for
// everyone else. The people the sync met and could not place are offered as rows to fill in.
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import { AsyncSelect } from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { api, type AnswerOf, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Loading } from '../../components/Loading';
import type { Connection } from '../../schemas';

type Mapping = AnswerOf<'getPeopleMapping'>['people'];
interface Person {
  accountId: string;
  displayName: string;
}
interface Row {
  remote: Person;
  local: Person | null;
}

const portal = { menuPortalTarget: document.body, styles: { menuPortal: (base: object) => ({ ...base, zIndex: 1000 }) } } as const;

async function searchHere(query: string): Promise<{ value: string; label: string }[]> {
  const answer = await api.searchUsers(query);
  return answer.ok ? answer.value.users.map((u) => ({ value: u.accountId, label: u.email ? `${u.displayName} (${u.email})` : u.displayName })) : [];
}

/** A person of this site, searched as the admin types; chosen by account id. */
function PersonHere({ inputId, label, value, onChange, placeholder }: { inputId: string; label: string; value: Person | null; onChange(person: Person | null): void; placeholder: string }) {
  return (
    <AsyncSelect<{ value: string; label: string }>
      inputId={inputId}
      aria-label={label}
      cacheOptions
      defaultOptions
      loadOptions={searchHere}
      value={value ? { value: value.accountId, label: value.displayName } : null}
      isClearable
      placeholder={placeholder}
      onChange={(choice) => onChange(choice ? { accountId: choice.value, displayName: choice.label.replace(/ \(.*\)$/, '') } : null)}
      {...portal}
    />
  );
}

export function PeopleTab({ connection }: { connection: Connection }) {
  const [loaded, setLoaded] = useState<Mapping | null>(null);
  const [fallback, setFallback] = useState<Person | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [typedId, setTypedId] = useState('');
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  function show(mapping: Mapping) {
    setLoaded(mapping);
    setFallback(mapping.fallback);
    setRows(mapping.accounts.map((a) => ({ remote: a.remote, local: a.local })));
  }

  useEffect(() => {
    void api.getPeopleMapping(connection.id).then((answer) => (answer.ok ? show(answer.value.people) : setFailure(answer.error)));
  }, [connection.id]);

  if (!loaded) return failure ? <ApiErrorMessage error={failure} /> : <Loading label="Loading people" />;

  const listed = new Set(rows.map((r) => r.remote.accountId));
  const unmatched = loaded.unmatched.filter((p) => !listed.has(p.accountId));
  const incomplete = rows.some((r) => !r.local);

  async function save() {
    setBusy(true);
    setFailure(null);
    setSaved(false);
    const answer = await api.setPeopleMapping({
      connectionId: connection.id,
      fallbackAccountId: fallback?.accountId ?? null,
      accounts: rows.flatMap((r) => (r.local ? [{ remoteAccountId: r.remote.accountId, remoteDisplayName: r.remote.displayName, localAccountId: r.local.accountId }] : [])),
    });
    setBusy(false);
    if (answer.ok) {
      show(answer.value.people);
      setSaved(true);
    } else setFailure(answer.error);
  }

  return (
    <div className="tab-body" data-testid="people-tab">
      <p>
        People of {connection.remoteName} are found here by their email where they share it. For the others (hidden emails, people without an account on this site), name
        who they are here; everyone still unplaced becomes the fallback person. With no fallback, their fields are left as they are and the sync says so in the issue's
        history. Used by Visual mappings and by scripts through <code>nodeHelper.mapUser</code>, and for mentions.
      </p>
      <div className="wizard-step">
        <label htmlFor="people-fallback">Fallback person</label>
        <PersonHere inputId="people-fallback" label="Fallback person" value={fallback} onChange={setFallback} placeholder="No fallback: leave such fields as they are" />
      </div>
      <table className="data-table" aria-label={`People of ${connection.remoteName}`}>
        <thead>
          <tr>
            <th scope="col">On {connection.remoteName}</th>
            <th scope="col">Here</th>
            <th scope="col" aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3}>No one yet: add the people below that the sync met, or anyone by account id.</td>
            </tr>
          ) : null}
          {rows.map((row, i) => (
            <tr key={row.remote.accountId}>
              <td>
                {row.remote.displayName}
                {row.remote.displayName !== row.remote.accountId ? <span className="picker-secondary"> {row.remote.accountId}</span> : null}
              </td>
              <td>
                <PersonHere
                  inputId={`people-row-${i}`}
                  label={`${row.remote.displayName} here`}
                  value={row.local}
                  onChange={(local) => setRows(rows.map((r, j) => (j === i ? { ...r, local } : r)))}
                  placeholder="Choose a person of this site"
                />
              </td>
              <td>
                <Button appearance="subtle" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unmatched.length ? (
        <div className="wizard-step" data-testid="people-unmatched">
          <h4>Met in syncs, not placed yet</h4>
          <ul>
            {unmatched.map((p) => (
              <li key={p.accountId}>
                {p.displayName}{' '}
                <Button appearance="subtle" onClick={() => setRows([...rows, { remote: { accountId: p.accountId, displayName: p.displayName }, local: null }])}>
                  Add a row
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const id = typedId.trim();
          if (!id || listed.has(id)) return;
          setRows([...rows, { remote: { accountId: id, displayName: id }, local: null }]);
          setTypedId('');
        }}
      >
        <label htmlFor="people-remote-id">Another person of {connection.remoteName}, by account id</label>
        <Textfield id="people-remote-id" value={typedId} onChange={(event) => setTypedId(event.currentTarget.value)} />
        <Button type="submit">Add</Button>
      </form>
      {failure ? <ApiErrorMessage error={failure} /> : null}
      {saved ? <p role="status">Saved. The next syncs use it.</p> : null}
      <div>
        <Button appearance="primary" isLoading={busy} isDisabled={incomplete} onClick={() => void save()}>
          Save people
        </Button>
        {incomplete ? <span className="picker-secondary"> Choose a person here for every row, or remove it.</span> : null}
      </div>
    </div>
  );
}
