// What Exalate's names become here: issue and replica fields that are named
// differently or not synced, the helpers, and Exalate's globals that have no
// counterpart. The translator looks things up here; the reasons given are
// what the admin reads next to the line that was not translated.

export type Direction = 'outgoing' | 'incoming';

/** Issue fields Exalate names differently. */
export const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  due: 'dueDate',
  duedate: 'dueDate',
  issueType: 'type',
  workLogs: 'worklogs',
  parentIssueId: 'parentId',
};

/** Fields Exalate syncs that this app does not (yet): reading or writing them is listed, never silently lost. */
export const UNSYNCED_FIELDS: Readonly<Record<string, string>> = {
  components: 'Components travel by name here, not as objects: write replica.components = issue.components and issue.components = replica.components (a missing one is skipped with a warning, or created when the connection allows).',
  fixVersions: 'Fix versions travel by name here, not as objects: write replica.fixVersions = issue.fixVersions and issue.fixVersions = replica.fixVersions.',
  affectedVersions: 'Affected versions are not synced by this app; carry them in replica.customKeys.',
  versions: 'Versions are not synced by this app; carry them in replica.customKeys.',
  environment: 'The environment field is not synced by this app; use a custom field.',
  timeSpent: 'Time tracking is synced through worklogs (replica.worklogs).',
  originalEstimate: 'Estimates are not synced by this app; use a custom field.',
  remainingEstimate: 'Estimates are not synced by this app; use a custom field.',
  estimate: 'Estimates are not synced by this app; use a custom field.',
  watchers: 'Watchers are not synced by this app.',
  votes: 'Votes are not synced by this app.',
  securityLevel: 'Security levels are not synced by this app.',
  security: 'Security levels are not synced by this app.',
  created: 'The creation time is not part of the replica; Jira sets it when the issue is made.',
  updated: 'The update time is not part of the replica.',
  resolutionDate: 'The resolution date is not part of the replica; Jira sets it with the resolution.',
  creator: 'The creator is not part of the replica; use reporter.',
  timeTracking: 'Time tracking is synced through worklogs (replica.worklogs).',
  sprint: 'Sprints are not synced by this app.',
  executor: 'Comments are posted by the app; the first line of each copy names its author.',
  restrictSecurity: 'Comment visibility by role or group is not synced; set internal = true to keep a comment internal.',
  roleLevel: 'Comment visibility by role or group is not synced; set internal = true to keep a comment internal.',
  groupLevel: 'Comment visibility by role or group is not synced; set internal = true to keep a comment internal.',
};

/** Exalate globals with no counterpart here, and what to do instead. */
export const MISSING_GLOBALS: Readonly<Record<string, string>> = {
  httpClient: 'Rules have no network access here; call other systems from an automation outside the rules.',
  transformer: 'Descriptions and comments already travel as rich text (ADF); assign them as they are.',
  workflowHelper: 'Use issue.setStatus("Status name"): the app finds the transition that leads there.',
  connection: 'The connection is not visible to rules; write a separate rule per connection.',
  relation: 'The connection is not visible to rules; write a separate rule per connection.',
  issueBeforeScript: 'Compare with `previous` (the replica applied last time) instead.',
  eventTriggerContext: 'Rules are not told what triggered a sync; compare with `previous` instead.',
  serviceDeskHelper: 'Jira Service Management request types are not synced by this app.',
  traceHelper: 'Use debug.log(…) to write to the sync log.',
  blobMetadata: 'Attachments travel whole; use attachmentHelper.mergeAttachments(issue, replica).',
  userHelper: 'Use nodeHelper.getUserByEmail(…) or nodeHelper.getUserByAccountId(…).',
  groupHelper: 'Groups are not visible to rules.',
};

/** Helpers only the incoming prelude provides. */
export const INCOMING_ONLY_GLOBALS: Readonly<Record<string, string>> = {
  firstSync: 'firstSync belongs to incoming scripts: an outgoing script runs the same on every sync.',
  previous: 'previous belongs to incoming scripts (the replica applied last time).',
  commentHelper: 'Comments are merged by the incoming script; the outgoing one sets replica.comments = issue.comments (filtered as needed).',
  attachmentHelper: 'Attachments are merged by the incoming script; the outgoing one sets replica.attachments = issue.attachments.',
  syncHelper: 'syncHelper belongs to incoming scripts.',
};

/** nodeHelper's methods: Exalate's name → ours, or why there is none. */
export const NODE_HELPER: Readonly<Record<string, { to: string } | { missing: string }>> = {
  getUserByEmail: { to: 'getUserByEmail' },
  getUser: { to: 'getUserByAccountId' },
  getUserByAccountId: { to: 'getUserByAccountId' },
  getUserByUsername: { missing: 'Jira Cloud has no usernames; match by email: nodeHelper.getUserByEmail(replica.assignee?.email).' },
  getUserByFullName: { missing: 'Match by email instead: nodeHelper.getUserByEmail(replica.assignee?.email).' },
  getUserByKey: { missing: 'Jira Cloud has no user keys; match by email or account id.' },
  getIssueType: { to: 'getIssueType' },
  getDefaultIssueType: { to: 'getDefaultIssueType' },
  getPriority: { to: 'getPriority' },
  getStatus: { to: 'getStatus' },
  getResolution: { to: 'getResolution' },
  getLocalIssueKeyFromRemoteId: { to: 'syncHelper.getLocalIssueKeyFromRemoteId' },
  getLocalIssueFromRemoteId: { to: 'syncHelper.getLocalIssueKeyFromRemoteId' },
  getComponent: { missing: 'Components travel by name: issue.components = replica.components.' },
  getVersion: { missing: 'Fix versions travel by name: issue.fixVersions = replica.fixVersions.' },
  getSecurityLevel: { missing: 'Security levels are not synced by this app.' },
  getIssue: { missing: 'Rules see only the issue being synced; other issues are not readable here.' },
  createVersion: { missing: 'A fix version the project lacks is created when the connection allows it (create missing values); issue.fixVersions = replica.fixVersions.' },
  createComponent: { missing: 'A component the project lacks is created when the connection allows it (create missing values); issue.components = replica.components.' },
};

/** Names of the issue and replica fields this app knows, for reading a field through a getter (`issue.getSummary()`). */
export const KNOWN_FIELDS = new Set([
  'id', 'key', 'url', 'project', 'projectKey', 'type', 'typeName', 'summary', 'description', 'status', 'priority', 'labels', 'assignee',
  'reporter', 'dueDate', 'resolution', 'parentId', 'customFields', 'comments', 'attachments', 'issueLinks', 'worklogs', 'customKeys',
]);

/** The kinds of values the translator tells apart to pick Groovy's meaning of an operation. */
export type Kind = 'string' | 'number' | 'boolean' | 'adf' | 'map' | 'list' | 'user' | 'comment' | 'label' | 'field' | 'fields' | 'unknown';

/** What a field of that name holds, whatever object it is on. */
export const FIELD_KINDS: Readonly<Record<string, Kind>> = {
  labels: 'list',
  comments: 'list',
  attachments: 'list',
  issueLinks: 'list',
  worklogs: 'list',
  body: 'adf',
  description: 'adf',
  summary: 'string',
  key: 'string',
  name: 'string',
  email: 'string',
  displayName: 'string',
  accountId: 'string',
  typeName: 'string',
  projectKey: 'string',
  filename: 'string',
  mimeType: 'string',
  customFields: 'fields',
  customKeys: 'map',
  author: 'user',
  assignee: 'user',
  reporter: 'user',
  internal: 'boolean',
};

/** The kind of the elements of a list field. */
export const ELEMENT_KINDS: Readonly<Record<string, Kind>> = {
  labels: 'label',
  comments: 'comment',
};

/** Methods whose Groovy meaning on a string is text: called on a rich-text body, they read its text. */
export const TEXT_METHODS = new Set([
  'contains', 'startsWith', 'endsWith', 'toLowerCase', 'toUpperCase', 'trim', 'matches', 'indexOf', 'lastIndexOf', 'isEmpty', 'isBlank',
  'length', 'size', 'replace', 'replaceAll', 'replaceFirst', 'split', 'tokenize', 'substring', 'equalsIgnoreCase', 'equals', 'toString',
  'find', 'findAll', 'charAt', 'capitalize', 'readLines', 'count',
]);

/** Java and Groovy exception classes a rule may throw: they all become `Error`. */
export const EXCEPTIONS = /^(?:[\w.]*\.)?(?:Exception|RuntimeException|IllegalStateException|IllegalArgumentException|IssueTrackerException|Error)$/;
