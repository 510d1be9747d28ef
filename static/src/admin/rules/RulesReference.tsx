// The "Advanced" fold under the editors: which rules version is live and what
// a script can use.
import { SCRIPT_BINDINGS } from '../../../../src/domain/script-api';

/** One row per name and per helper member, from the declarations the sandbox binds. */
const BINDINGS: [string, string][] = SCRIPT_BINDINGS.flatMap((b) => {
  const where = b.directions.length === 1 ? ` (${b.directions[0]} only)` : '';
  const own: [string, string] = [b.name, `${b.doc}${where}`];
  return [own, ...(b.members ?? []).map((m): [string, string] => [m.signature, m.doc])];
});

export function RulesReference({ version }: { version: number | null }) {
  return (
    <details className="rules__advanced" data-testid="rules-advanced">
      <summary>Advanced</summary>
      <p className="field-help">
        {version === null ? 'These are the default rules; none have been published yet.' : `Published rules: version ${version}.`} Published rules apply from the next
        change of each issue; issues already in sync are not resent.
      </p>
      <table className="data-table rules__bindings" aria-label="What a script can use">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">What it is</th>
          </tr>
        </thead>
        <tbody>
          {BINDINGS.map(([name, description]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
