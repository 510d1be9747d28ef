// The "Advanced" fold under the editors: which rules version is live and what
// a script can use.
const BINDINGS: [string, string][] = [
  ['replica', 'The hub issue: what the outgoing script fills, what the incoming script reads.'],
  ['issue', 'The local issue: read in outgoing, changed in incoming.'],
  ['previous', 'The replica received before this one (incoming), to see what changed.'],
  ['firstSync', 'True when the incoming replica creates the local issue.'],
  ['commentHelper.mergeComments(issue, replica)', 'Adds, updates and removes the comments this twin owns.'],
  ['attachmentHelper.mergeAttachments(issue, replica)', 'The same for attachments.'],
  ['nodeHelper.getIssueType(name, projectKey)', 'A local issue type by name, or null.'],
  ['nodeHelper.getPriority / getStatus', 'Local priorities and statuses by name.'],
  ['nodeHelper.getUserByEmail / getUserByAccountId', 'A local user, when visible.'],
  ['syncHelper.unExalate()', 'Stops syncing this issue.'],
  ['commentHelper.addComment(body, issue.comments)', 'A new comment by the app, added to the list (incoming).'],
  ['plainText(comment.body)', 'The text of a rich-text body, to search a comment or a description.'],
  ['customFieldHelper.setValue(issue, "Name", value)', 'Sets a custom field by name; its type comes from this side, the other side or the value.'],
  ['return', 'At the top level, stops the script; what it set before stays.'],
  ['debug.log(…)', 'Lines shown in Test on issue and in the issue history.'],
];

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
