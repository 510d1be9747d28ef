// The system fields an emulated issue has, as `/field` describes them and as
// the `fields` parameter of issue reads selects them: every field Jira Cloud
// returns for `*all`, including those that are empty on every emulated issue
// (votes, security level, last viewed), since clients expect their keys.

export interface SystemField {
  id: string;
  name: string;
  schema?: { type: string; items?: string; system: string };
  clauseNames: string[];
  navigable: boolean;
  orderable: boolean;
  searchable: boolean;
}

const field = (
  id: string,
  name: string,
  schema: SystemField['schema'],
  clauseNames: string[],
  flags: Partial<Pick<SystemField, 'navigable' | 'orderable' | 'searchable'>> = {},
): SystemField => ({ id, name, schema, clauseNames, navigable: true, orderable: true, searchable: true, ...flags });

export const SYSTEM_FIELDS: SystemField[] = [
  field('issuekey', 'Key', undefined, ['id', 'issue', 'issuekey', 'key'], { orderable: false }),
  field('summary', 'Summary', { type: 'string', system: 'summary' }, ['summary']),
  field('description', 'Description', { type: 'string', system: 'description' }, ['description']),
  field('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, ['issuetype', 'type']),
  field('project', 'Project', { type: 'project', system: 'project' }, ['project']),
  field('status', 'Status', { type: 'status', system: 'status' }, ['status'], { orderable: false }),
  field('priority', 'Priority', { type: 'priority', system: 'priority' }, ['priority']),
  field('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }, ['labels']),
  field('assignee', 'Assignee', { type: 'user', system: 'assignee' }, ['assignee']),
  field('reporter', 'Reporter', { type: 'user', system: 'reporter' }, ['reporter']),
  field('creator', 'Creator', { type: 'user', system: 'creator' }, ['creator'], { orderable: false }),
  field('created', 'Created', { type: 'datetime', system: 'created' }, ['created', 'createdDate'], { orderable: false }),
  field('updated', 'Updated', { type: 'datetime', system: 'updated' }, ['updated', 'updatedDate'], { orderable: false }),
  field('duedate', 'Due date', { type: 'date', system: 'duedate' }, ['due', 'duedate']),
  field('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }, ['resolution']),
  field('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }, ['resolutiondate', 'resolved'], {
    orderable: false,
  }),
  field('statuscategorychangedate', 'Status Category Changed', { type: 'datetime', system: 'statuscategorychangedate' },
    ['statusCategoryChangedDate'], { orderable: false }),
  field('parent', 'Parent', { type: 'issuelink', system: 'parent' }, ['parent']),
  field('subtasks', 'Sub-tasks', { type: 'array', items: 'issuelinks', system: 'subtasks' }, ['subtasks'], {
    orderable: false,
  }),
  field('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks', system: 'issuelinks' }, ['issueLink']),
  field('comment', 'Comment', { type: 'comments-page', system: 'comment' }, ['comment'], { navigable: false }),
  field('attachment', 'Attachment', { type: 'array', items: 'attachment', system: 'attachment' }, ['attachments']),
  field('components', 'Components', { type: 'array', items: 'component', system: 'components' }, ['component']),
  field('fixVersions', 'Fix versions', { type: 'array', items: 'version', system: 'fixVersions' }, ['fixVersion']),
  field('versions', 'Affects versions', { type: 'array', items: 'version', system: 'versions' }, ['affectedVersion']),
  field('environment', 'Environment', { type: 'string', system: 'environment' }, ['environment']),
  field('timetracking', 'Time tracking', { type: 'timetracking', system: 'timetracking' }, [], { navigable: false }),
  field('worklog', 'Log Work', { type: 'array', items: 'worklog', system: 'worklog' }, [], { navigable: false }),
  field('timespent', 'Time Spent', { type: 'number', system: 'timespent' }, ['timespent'], { orderable: false }),
  field('timeoriginalestimate', 'Original estimate', { type: 'number', system: 'timeoriginalestimate' },
    ['originalEstimate', 'timeoriginalestimate'], { orderable: false }),
  field('timeestimate', 'Remaining Estimate', { type: 'number', system: 'timeestimate' }, ['remainingEstimate', 'timeestimate'],
    { orderable: false }),
  field('aggregatetimespent', 'Σ Time Spent', { type: 'number', system: 'aggregatetimespent' }, [], { orderable: false }),
  field('aggregatetimeoriginalestimate', 'Σ Original Estimate', { type: 'number', system: 'aggregatetimeoriginalestimate' }, [],
    { orderable: false }),
  field('aggregatetimeestimate', 'Σ Remaining Estimate', { type: 'number', system: 'aggregatetimeestimate' }, [], { orderable: false }),
  field('progress', 'Progress', { type: 'progress', system: 'progress' }, ['progress'], { orderable: false }),
  field('aggregateprogress', 'Σ Progress', { type: 'progress', system: 'aggregateprogress' }, [], { orderable: false }),
  field('workratio', 'Work Ratio', { type: 'number', system: 'workratio' }, ['workratio'], { orderable: false }),
  field('watches', 'Watchers', { type: 'watches', system: 'watches' }, ['watchers'], { orderable: false }),
  field('votes', 'Votes', { type: 'votes', system: 'votes' }, ['votes'], { orderable: false }),
  field('lastViewed', 'Last Viewed', { type: 'datetime', system: 'lastViewed' }, ['lastViewed'], { orderable: false }),
  field('security', 'Security Level', { type: 'securitylevel', system: 'security' }, ['level']),
  field('issuerestriction', 'Restrict to', { type: 'issuerestriction', system: 'issuerestriction' }, [], { navigable: false }),
];

/** Fields an issue read returns: everything but the pseudo field `issuekey`. */
export const ISSUE_FIELD_IDS = SYSTEM_FIELDS.filter((f) => f.id !== 'issuekey').map((f) => f.id);
