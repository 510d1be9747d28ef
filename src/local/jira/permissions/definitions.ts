// The permissions Jira Cloud knows by key, with the ids, names and
// descriptions `GET /mypermissions` answers. Global permissions are held
// site-wide; project permissions are held per project through its
// permission scheme.

export const GLOBAL_PERMISSION_KEYS = ['ADMINISTER'] as const;

export const PROJECT_PERMISSION_KEYS = [
  'ADMINISTER_PROJECTS',
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'DELETE_ISSUES',
  'TRANSITION_ISSUES',
  'RESOLVE_ISSUES',
  'CLOSE_ISSUES',
  'SCHEDULE_ISSUES',
  'MOVE_ISSUES',
  'ASSIGN_ISSUES',
  'ASSIGNABLE_USER',
  'LINK_ISSUES',
  'MODIFY_REPORTER',
  'WORK_ON_ISSUES',
  'ADD_COMMENTS',
  'EDIT_ALL_COMMENTS',
  'EDIT_OWN_COMMENTS',
  'DELETE_ALL_COMMENTS',
  'DELETE_OWN_COMMENTS',
  'CREATE_ATTACHMENTS',
  'DELETE_ALL_ATTACHMENTS',
  'DELETE_OWN_ATTACHMENTS',
  'VIEW_VOTERS_AND_WATCHERS',
  'MANAGE_WATCHERS',
  'EDIT_OWN_WORKLOGS',
  'EDIT_ALL_WORKLOGS',
  'DELETE_OWN_WORKLOGS',
  'DELETE_ALL_WORKLOGS',
] as const;

export type GlobalPermissionKey = (typeof GLOBAL_PERMISSION_KEYS)[number];
export type ProjectPermissionKey = (typeof PROJECT_PERMISSION_KEYS)[number];
export type PermissionKey = GlobalPermissionKey | ProjectPermissionKey;

export interface PermissionDefinition {
  id: string;
  key: PermissionKey;
  name: string;
  type: 'GLOBAL' | 'PROJECT';
  description: string;
}

const define = (id: string, key: PermissionKey, name: string, description: string): PermissionDefinition => ({
  id,
  key,
  name,
  type: (GLOBAL_PERMISSION_KEYS as readonly string[]).includes(key) ? 'GLOBAL' : 'PROJECT',
  description,
});

// Ids and wording as Jira Cloud's `GET /permissions` lists them.
const DEFINITIONS: PermissionDefinition[] = [
  define('0', 'ADMINISTER', 'Administer Jira', 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.'),
  define('23', 'ADMINISTER_PROJECTS', 'Administer Projects', 'Ability to administer a project in Jira.'),
  define('10', 'BROWSE_PROJECTS', 'Browse Projects', 'Ability to browse projects and the issues within them.'),
  define('11', 'CREATE_ISSUES', 'Create Issues', 'Ability to create issues.'),
  define('12', 'EDIT_ISSUES', 'Edit Issues', 'Ability to edit issues.'),
  define('16', 'DELETE_ISSUES', 'Delete Issues', 'Ability to delete issues.'),
  define('46', 'TRANSITION_ISSUES', 'Transition Issues', 'Ability to transition issues.'),
  define('14', 'RESOLVE_ISSUES', 'Resolve Issues', 'Ability to resolve and reopen issues.'),
  define('18', 'CLOSE_ISSUES', 'Close Issues', 'Ability to close issues.'),
  define('28', 'SCHEDULE_ISSUES', 'Schedule Issues', 'Ability to view or edit an issue\'s due date.'),
  define('25', 'MOVE_ISSUES', 'Move Issues', 'Ability to move issues between projects or between workflows of the same project.'),
  define('13', 'ASSIGN_ISSUES', 'Assign Issues', 'Ability to assign issues to other people.'),
  define('17', 'ASSIGNABLE_USER', 'Assignable User', 'Users with this permission may be assigned to issues.'),
  define('21', 'LINK_ISSUES', 'Link Issues', 'Ability to link issues together and create linked issues.'),
  define('30', 'MODIFY_REPORTER', 'Modify Reporter', 'Ability to modify the reporter when creating or editing an issue.'),
  define('20', 'WORK_ON_ISSUES', 'Work On Issues', 'Ability to log work done against an issue.'),
  define('15', 'ADD_COMMENTS', 'Add Comments', 'Ability to comment on issues.'),
  define('34', 'EDIT_ALL_COMMENTS', 'Edit All Comments', 'Ability to edit all comments made on issues.'),
  define('35', 'EDIT_OWN_COMMENTS', 'Edit Own Comments', 'Ability to edit own comments made on issues.'),
  define('36', 'DELETE_ALL_COMMENTS', 'Delete All Comments', 'Ability to delete all comments made on issues.'),
  define('37', 'DELETE_OWN_COMMENTS', 'Delete Own Comments', 'Ability to delete own comments made on issues.'),
  define('19', 'CREATE_ATTACHMENTS', 'Create Attachments', 'Users with this permission may create attachments.'),
  define('38', 'DELETE_ALL_ATTACHMENTS', 'Delete All Attachments', 'Users with this permission may delete all attachments.'),
  define('39', 'DELETE_OWN_ATTACHMENTS', 'Delete Own Attachments', 'Users with this permission may delete own attachments.'),
  define('31', 'VIEW_VOTERS_AND_WATCHERS', 'View Voters and Watchers', 'Ability to view the voters and watchers of an issue.'),
  define('32', 'MANAGE_WATCHERS', 'Manage Watchers', 'Ability to manage the watchers of an issue.'),
  define('40', 'EDIT_OWN_WORKLOGS', 'Edit Own Worklogs', 'Ability to edit own worklogs made on issues.'),
  define('41', 'EDIT_ALL_WORKLOGS', 'Edit All Worklogs', 'Ability to edit all worklogs made on issues.'),
  define('42', 'DELETE_OWN_WORKLOGS', 'Delete Own Worklogs', 'Ability to delete own worklogs made on issues.'),
  define('43', 'DELETE_ALL_WORKLOGS', 'Delete All Worklogs', 'Ability to delete all worklogs made on issues.'),
];

const BY_KEY = new Map(DEFINITIONS.map((d) => [d.key as string, d]));

/** The definition of a permission key, or undefined when Jira knows no such key. */
export function permissionDefinition(key: string): PermissionDefinition | undefined {
  return BY_KEY.get(key);
}

export function isProjectPermission(key: PermissionKey): key is ProjectPermissionKey {
  return (PROJECT_PERMISSION_KEYS as readonly string[]).includes(key);
}
