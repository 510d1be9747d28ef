// What a rule script can use, declared once: the sandbox's prelude binds
// exactly these names (test/rules/script-api.test.ts holds it to that), the
// rule editor completes them and the Advanced fold lists them. Plain data, so
// the custom UI imports it as it is.

export type ScriptDirection = 'outgoing' | 'incoming';

export interface ScriptMember {
  name: string;
  /** How it is called, for the completion list and the reference table. */
  signature: string;
  doc: string;
}

export interface ScriptBinding {
  name: string;
  kind: 'variable' | 'function' | 'namespace' | 'keyword';
  /** Where the name exists: both scripts, or one. */
  directions: readonly ScriptDirection[];
  doc: string;
  members?: readonly ScriptMember[];
}

const BOTH = ['outgoing', 'incoming'] as const;

export const SCRIPT_BINDINGS: readonly ScriptBinding[] = [
  { name: 'replica', kind: 'variable', directions: BOTH, doc: 'The hub issue: what the outgoing script fills, what the incoming script reads.' },
  { name: 'issue', kind: 'variable', directions: BOTH, doc: 'The local issue: read in outgoing, changed in incoming.' },
  { name: 'previous', kind: 'variable', directions: ['incoming'], doc: 'The replica received before this one, to see what changed (null on a first sync).' },
  { name: 'firstSync', kind: 'variable', directions: ['incoming'], doc: 'True when this replica creates the local issue.' },
  {
    name: 'commentHelper',
    kind: 'namespace',
    directions: ['incoming'],
    doc: 'Comments this twin owns.',
    members: [
      { name: 'mergeComments', signature: 'commentHelper.mergeComments(issue, replica, change?)', doc: 'Adds, updates and removes the comments this twin owns, each headed “Author, on Site:” (the app writes them); `change(copy, theirs)` may alter or drop (false) each.' },
      { name: 'addComment', signature: 'commentHelper.addComment(body, issue.comments)', doc: 'A new comment by the app, added to the list.' },
    ],
  },
  {
    name: 'attachmentHelper',
    kind: 'namespace',
    directions: ['incoming'],
    doc: 'Attachments this twin owns.',
    members: [{ name: 'mergeAttachments', signature: 'attachmentHelper.mergeAttachments(issue, replica)', doc: 'Adds and removes the attachments this twin owns.' }],
  },
  {
    name: 'worklogHelper',
    kind: 'namespace',
    directions: ['incoming'],
    doc: 'Worklogs this twin copied from the other side.',
    members: [{ name: 'mergeWorklogs', signature: 'worklogHelper.mergeWorklogs(issue, replica)', doc: 'Adds, changes and removes the copies of the partner’s worklogs (time spent, started, comment under “Author, on Site:”).' }],
  },
  {
    name: 'nodeHelper',
    kind: 'namespace',
    directions: BOTH,
    doc: 'Look-ups of this site’s values, by name (case-insensitive) or id.',
    members: [
      { name: 'getIssueType', signature: 'nodeHelper.getIssueType(name, projectKey?)', doc: 'A local issue type by name, or null.' },
      { name: 'getDefaultIssueType', signature: 'nodeHelper.getDefaultIssueType(projectKey?)', doc: 'The project’s default issue type, or null.' },
      { name: 'getPriority', signature: 'nodeHelper.getPriority(name)', doc: 'A local priority by name, or null.' },
      { name: 'getStatus', signature: 'nodeHelper.getStatus(name)', doc: 'A local status by name, or null.' },
      { name: 'getResolution', signature: 'nodeHelper.getResolution(name)', doc: 'A local resolution by name, or null.' },
      { name: 'getUserByEmail', signature: 'nodeHelper.getUserByEmail(email)', doc: 'A local user with this email, when visible, or null.' },
      { name: 'getUserByAccountId', signature: 'nodeHelper.getUserByAccountId(accountId)', doc: 'A local user by account id, or null.' },
      {
        name: 'mapUser',
        signature: 'nodeHelper.mapUser(replica.assignee, fallback?)',
        doc: 'The other side’s person here: by email, else the connection’s People table, else `fallback` (email or account id), else the connection’s fallback person. Nobody: undefined, so the field stays as it is and the sync warns.',
      },
    ],
  },
  {
    name: 'syncHelper',
    kind: 'namespace',
    directions: ['incoming'],
    doc: 'This issue’s sync.',
    members: [
      { name: 'unExalate', signature: 'syncHelper.unExalate()', doc: 'Stops syncing this issue, on both sides.' },
      { name: 'getLocalIssueKeyFromRemoteId', signature: 'syncHelper.getLocalIssueKeyFromRemoteId(remoteId)', doc: 'The local twin of the partner’s issue, `{id, key}`, or null.' },
    ],
  },
  {
    name: 'customFieldHelper',
    kind: 'namespace',
    directions: BOTH,
    doc: 'Custom fields by name.',
    members: [{ name: 'setValue', signature: 'customFieldHelper.setValue(issue, "Name", value)', doc: 'Sets a custom field by name; its type comes from this side, the other side or the value.' }],
  },
  { name: 'plainText', kind: 'function', directions: BOTH, doc: 'The text of a rich-text body, to search a comment or a description: `plainText(comment.body)`.' },
  {
    name: 'debug',
    kind: 'namespace',
    directions: BOTH,
    doc: 'Lines for Test on issue and the issue history.',
    members: [{ name: 'log', signature: 'debug.log(…values)', doc: 'Writes a line to the run’s log.' }],
  },
  { name: 'return', kind: 'keyword', directions: BOTH, doc: 'At the top level, stops the script; what it set before stays.' },
];

/** The names a script of `direction` can use. */
export function bindingsFor(direction: ScriptDirection): readonly ScriptBinding[] {
  return SCRIPT_BINDINGS.filter((b) => b.directions.includes(direction));
}
