// The two default sites, seeded like the reference documents: blue has the
// projects UD "UI Design" and TEST "Test", green has SC "Software Chasers" and
// CM "Content Management".
//
// Differences between the sites are deliberate, so the sync has real work to
// do: green has no "Improvement" issue type (Basic mode must fall back), its
// first status is "Open" rather than "To Do", its custom field ids and option
// ids differ, and ids of issues, comments and attachments start from other
// bases so a local id can never pass for a remote one.
//
// Default issue types live where Jira keeps them, on the project's issue type
// scheme (`GET /issuetypescheme/project` answers `defaultIssueTypeId`), and the
// default type is listed first by createmeta and the project's issue types, as
// the create dialog offers it first. Green's SC sets Story as its default; the
// other projects set none, so callers fall back to Task there.
//
// One person, Sam Rivera, works on both sites with the same account (Atlassian
// account ids are global), which is what user mapping by email or account id
// relies on.
//
// Who may do what follows Jira's model: one permission scheme per site grants
// each project permission to project roles (Administrators, Developers,
// Users, Viewers) and to the `site-admins` group; each project says who plays
// which role. So per site there is a Jira admin who sees and administers everything
// (Ava Blue, Gia Green), a project admin of exactly one project (Dan Evans
// administers UD and works in TEST; Hugo Irving administers SC and cannot see
// CM), a person who works in one project and cannot see the other (Ben Carter
// in UD, Jack King in CM), and a person who can browse, create and comment in
// a project but not edit its issues (Chloe Dunn in TEST, Iris Jones in CM).
// The app's own account holds every project permission everywhere, as Jira
// gives Forge apps through their app role, and is no Jira admin.
//
//   blue   UD (UI Design)              TEST (Test)
//   Ava    site admin: everything      site admin: everything
//   Dan    Administrators              Developers
//   Ben    Developers                  (cannot see it)
//   Chloe  Developers                  Users (browse, create, comment; no edit)
//   Sam    Developers                  Developers
//
//   green  SC (Software Chasers)       CM (Content Management)
//   Gia    site admin: everything      site admin: everything
//   Hugo   Administrators              (cannot see it)
//   Iris   Developers                  Users (browse, create, comment; no edit)
//   Jack   (cannot see it)             Developers
//   Sam    Developers                  Developers
import { SiteSeedSchema, type SiteSeed, type SiteSeedInput } from './seed-schema';

const SHARED_PERSON = {
  accountId: '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11',
  displayName: 'Sam Rivera',
  email: 'sam.rivera@partner.example.com',
};

const ROLES = { admins: 'Administrators', developers: 'Developers', users: 'Users', viewers: 'Viewers' } as const;

const browsers = [
  { group: 'site-admins' }, { projectRole: ROLES.admins }, { projectRole: ROLES.developers }, { projectRole: ROLES.users },
  { projectRole: ROLES.viewers },
];
const everyone = [{ group: 'site-admins' }, { projectRole: ROLES.admins }, { projectRole: ROLES.developers }, { projectRole: ROLES.users }];
const workers = [{ group: 'site-admins' }, { projectRole: ROLES.admins }, { projectRole: ROLES.developers }];
const administrators = [{ group: 'site-admins' }, { projectRole: ROLES.admins }];

// Jira's classic default scheme: Viewers only browse (nobody plays that role
// in the default seeds; a seed can cast someone); Users browse, create,
// comment and attach; Developers also edit, move through the workflow, assign
// and link; Administrators also administer the project and delete anyone's work.
const PERMISSION_SCHEME: SiteSeedInput['permissionScheme'] = {
  name: 'Default Permission Scheme',
  description: 'This is the default Permission Scheme. Any new projects that are created will be assigned this scheme.',
  grants: [
    { permission: 'ADMINISTER_PROJECTS', holders: administrators },
    { permission: 'BROWSE_PROJECTS', holders: browsers },
    { permission: 'CREATE_ISSUES', holders: everyone },
    { permission: 'EDIT_ISSUES', holders: workers },
    { permission: 'DELETE_ISSUES', holders: administrators },
    { permission: 'TRANSITION_ISSUES', holders: workers },
    { permission: 'RESOLVE_ISSUES', holders: workers },
    { permission: 'CLOSE_ISSUES', holders: workers },
    { permission: 'SCHEDULE_ISSUES', holders: workers },
    { permission: 'MOVE_ISSUES', holders: administrators },
    { permission: 'ASSIGN_ISSUES', holders: workers },
    { permission: 'ASSIGNABLE_USER', holders: workers },
    { permission: 'LINK_ISSUES', holders: workers },
    { permission: 'MODIFY_REPORTER', holders: administrators },
    { permission: 'WORK_ON_ISSUES', holders: workers },
    { permission: 'ADD_COMMENTS', holders: everyone },
    { permission: 'EDIT_ALL_COMMENTS', holders: administrators },
    { permission: 'EDIT_OWN_COMMENTS', holders: everyone },
    { permission: 'DELETE_ALL_COMMENTS', holders: administrators },
    { permission: 'DELETE_OWN_COMMENTS', holders: everyone },
    { permission: 'CREATE_ATTACHMENTS', holders: everyone },
    { permission: 'DELETE_ALL_ATTACHMENTS', holders: administrators },
    { permission: 'DELETE_OWN_ATTACHMENTS', holders: everyone },
  ],
};

const PRIORITIES: SiteSeedInput['priorities'] = [
  { id: '1', name: 'Highest', statusColor: '#d04437', description: 'This problem will block progress.' },
  { id: '2', name: 'High', statusColor: '#f15c75', description: 'Serious problem that could block progress.' },
  { id: '3', name: 'Medium', statusColor: '#f79232', description: 'Has the potential to affect progress.', isDefault: true },
  { id: '4', name: 'Low', statusColor: '#707070', description: 'Minor problem or easily worked around.' },
  { id: '5', name: 'Lowest', statusColor: '#999999', description: 'Trivial problem with little or no impact on progress.' },
];

const RESOLUTIONS: SiteSeedInput['resolutions'] = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.', isDefault: true },
  { id: '10001', name: "Won't Do", description: 'This issue won\'t be actioned.' },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  { id: '10003', name: 'Cannot Reproduce', description: 'This issue could not be reproduced.' },
];

const LINK_TYPES: SiteSeedInput['linkTypes'] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const CHLOE = '712020:b1e00000-3333-4000-8000-000000000003';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';

const blueInput: SiteSeedInput = {
  cloudId: 'b10e5173-0000-4c1a-9b1e-000000000b1e',
  serverTitle: 'Blue Jira',
  idBase: 10000,
  appAccountId: '712020:b1e00000-0a99-4000-8000-0000000000a1',
  adminAccountId: '712020:b1e00000-1111-4000-8000-000000000001',
  users: [
    { accountId: AVA, displayName: 'Ava Blue', email: 'ava.blue@blue.example.com', siteAdmin: true },
    { accountId: BEN, displayName: 'Ben Carter', email: 'ben.carter@blue.example.com' },
    { accountId: CHLOE, displayName: 'Chloe Dunn', email: 'chloe.dunn@blue.example.com', emailVisible: false, timeZone: 'Europe/Berlin' },
    { accountId: DAN, displayName: 'Dan Evans', email: 'dan.evans@blue.example.com' },
    SHARED_PERSON,
    { accountId: '712020:b1e00000-0a99-4000-8000-0000000000a1', displayName: 'Exalate', email: null, accountType: 'app' },
  ],
  statuses: [
    { id: '10000', name: 'To Do', category: 'new' },
    { id: '3', name: 'In Progress', category: 'indeterminate', description: 'This issue is being actively worked on at the moment by the assignee.' },
    { id: '10001', name: 'Done', category: 'done' },
  ],
  issueTypes: [
    { id: '10000', name: 'Epic', description: 'A big user story that needs to be broken down.', hierarchyLevel: 1, avatarId: 10307 },
    { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', avatarId: 10318 },
    { id: '10002', name: 'Bug', description: 'A problem or error.', avatarId: 10303 },
    { id: '10003', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', avatarId: 10315 },
    { id: '10004', name: 'Improvement', description: 'An improvement or enhancement to an existing feature or task.', avatarId: 10310 },
    { id: '10005', name: 'Sub-task', description: 'A small piece of work that\'s part of a larger task.', subtask: true, hierarchyLevel: -1, avatarId: 10316 },
  ],
  priorities: PRIORITIES,
  resolutions: RESOLUTIONS,
  customFields: [
    { id: 'customfield_10020', name: 'Customer', kind: 'text' },
    {
      id: 'customfield_10021', name: 'Severity', kind: 'select',
      options: [{ id: '10100', value: 'Critical' }, { id: '10101', value: 'Major' }, { id: '10102', value: 'Minor' }],
    },
    { id: 'customfield_10022', name: 'Story Points', kind: 'number' },
    { id: 'customfield_10023', name: 'Reviewer', kind: 'user' },
    { id: 'customfield_10024', name: 'Tags', kind: 'labels' },
    { id: 'customfield_10025', name: 'Notes', kind: 'textarea' },
  ],
  linkTypes: LINK_TYPES,
  permissionScheme: PERMISSION_SCHEME,
  projects: [
    {
      id: '10000', key: 'UD', name: 'UI Design', description: 'Design of the customer-facing screens.',
      leadAccountId: '712020:b1e00000-1111-4000-8000-000000000001',
      workflow: [
        { status: 'To Do', transition: 'To Do' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
      roles: {
        [ROLES.admins]: [DAN],
        [ROLES.developers]: [BEN, CHLOE, SHARED_PERSON.accountId],
      },
    },
    {
      id: '10001', key: 'TEST', name: 'Test', description: 'Test planning and execution.',
      leadAccountId: AVA,
      workflow: [
        { status: 'To Do', transition: 'To Do' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
      // Ben has no role here, so TEST is invisible to him.
      roles: {
        [ROLES.developers]: [DAN, SHARED_PERSON.accountId],
        [ROLES.users]: [CHLOE],
      },
    },
  ],
  issues: [
    {
      project: 'UD', type: 'Task', summary: 'Redesign the login page',
      description: 'The login page should follow the new design system.', status: 'In Progress', priority: 'High',
      labels: ['login', 'ui'], assignee: '712020:b1e00000-2222-4000-8000-000000000002',
      reporter: '712020:b1e00000-1111-4000-8000-000000000001',
      comments: [
        { author: '712020:b1e00000-2222-4000-8000-000000000002', text: 'Mockups are in the shared drive.' },
        { author: '712020:b1e00000-3333-4000-8000-000000000003', text: 'Please keep the brand colours.' },
      ],
    },
    {
      project: 'UD', type: 'Bug', summary: 'Button misaligned on mobile',
      description: 'The submit button overflows on narrow screens.', priority: 'Medium',
      reporter: '712020:b1e00000-3333-4000-8000-000000000003',
      comments: [{ author: '712020:b1e00000-4444-4000-8000-000000000004', text: 'Reproduced on a small phone.', internal: true }],
    },
    {
      project: 'UD', type: 'Improvement', summary: 'Dark mode palette', priority: 'Low', labels: ['theme'],
      reporter: '712020:b1e00000-4444-4000-8000-000000000004',
    },
    {
      project: 'TEST', type: 'Task', summary: 'Regression suite for checkout', status: 'Done',
      reporter: CHLOE,
      comments: [{ author: SHARED_PERSON.accountId, text: 'All green on the last run.' }],
    },
  ],
};

const HUGO = '712020:96ee0000-2222-4000-8000-000000000002';
const IRIS = '712020:96ee0000-3333-4000-8000-000000000003';
const JACK = '712020:96ee0000-4444-4000-8000-000000000004';

const greenInput: SiteSeedInput = {
  cloudId: '96ee0000-0000-4c1a-9b1e-0000000096ee',
  serverTitle: 'Green Jira',
  idBase: 20000,
  appAccountId: '712020:96ee0000-0a99-4000-8000-0000000000a2',
  adminAccountId: '712020:96ee0000-1111-4000-8000-000000000001',
  users: [
    { accountId: '712020:96ee0000-1111-4000-8000-000000000001', displayName: 'Gia Green', email: 'gia.green@green.example.com', siteAdmin: true },
    { accountId: HUGO, displayName: 'Hugo Irving', email: 'hugo.irving@green.example.com' },
    { accountId: IRIS, displayName: 'Iris Jones', email: 'iris.jones@green.example.com', emailVisible: false, timeZone: 'America/New_York' },
    { accountId: JACK, displayName: 'Jack King', email: 'jack.king@green.example.com' },
    SHARED_PERSON,
    { accountId: '712020:96ee0000-0a99-4000-8000-0000000000a2', displayName: 'Exalate', email: null, accountType: 'app' },
  ],
  statuses: [
    { id: '1', name: 'Open', category: 'new', description: 'The issue is open and ready for the assignee to start work on it.' },
    { id: '3', name: 'In Progress', category: 'indeterminate', description: 'This issue is being actively worked on at the moment by the assignee.' },
    { id: '10002', name: 'Done', category: 'done' },
  ],
  issueTypes: [
    { id: '10100', name: 'Epic', description: 'A big user story that needs to be broken down.', hierarchyLevel: 1, avatarId: 10307 },
    { id: '10101', name: 'Task', description: 'A small, distinct piece of work.', avatarId: 10318 },
    { id: '10102', name: 'Bug', description: 'A problem or error.', avatarId: 10303 },
    { id: '10103', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', avatarId: 10315 },
    { id: '10104', name: 'Sub-task', description: 'A small piece of work that\'s part of a larger task.', subtask: true, hierarchyLevel: -1, avatarId: 10316 },
  ],
  priorities: PRIORITIES,
  resolutions: RESOLUTIONS,
  customFields: [
    { id: 'customfield_10030', name: 'Customer', kind: 'text' },
    {
      id: 'customfield_10031', name: 'Severity', kind: 'select',
      options: [
        { id: '10200', value: 'Critical' }, { id: '10201', value: 'Major' },
        { id: '10202', value: 'Minor' }, { id: '10203', value: 'Trivial' },
      ],
    },
    { id: 'customfield_10032', name: 'Story Points', kind: 'number' },
    { id: 'customfield_10033', name: 'Reviewer', kind: 'user' },
    { id: 'customfield_10034', name: 'Tags', kind: 'labels' },
    { id: 'customfield_10035', name: 'Notes', kind: 'textarea' },
  ],
  linkTypes: LINK_TYPES,
  permissionScheme: PERMISSION_SCHEME,
  projects: [
    {
      id: '10100', key: 'SC', name: 'Software Chasers', description: 'Product development.',
      leadAccountId: '712020:96ee0000-1111-4000-8000-000000000001',
      issueTypes: ['Story', 'Task', 'Bug', 'Epic', 'Sub-task'],
      defaultIssueType: 'Story',
      workflow: [
        { status: 'Open', transition: 'Reopen' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
      // Jack has no role here, so SC is invisible to him.
      roles: {
        [ROLES.admins]: [HUGO],
        [ROLES.developers]: [IRIS, SHARED_PERSON.accountId],
      },
    },
    {
      id: '10101', key: 'CM', name: 'Content Management', description: 'Articles, release notes and the website.',
      leadAccountId: JACK,
      workflow: [
        { status: 'Open', transition: 'Reopen' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
      // Hugo has no role here, so CM is invisible to him.
      roles: {
        [ROLES.developers]: [JACK, SHARED_PERSON.accountId],
        [ROLES.users]: [IRIS],
      },
    },
  ],
  issues: [
    {
      project: 'SC', type: 'Story', summary: 'Search results pagination',
      description: 'Show 20 results per page with a way to the next page.', priority: 'Medium',
      assignee: IRIS, reporter: '712020:96ee0000-1111-4000-8000-000000000001',
      comments: [{ author: '712020:96ee0000-2222-4000-8000-000000000002', text: 'Should the page size be configurable?' }],
    },
    {
      project: 'SC', type: 'Bug', summary: 'Crash when saving a draft', priority: 'Highest', status: 'In Progress',
      labels: ['crash'], reporter: '712020:96ee0000-3333-4000-8000-000000000003',
      comments: [
        { author: '712020:96ee0000-3333-4000-8000-000000000003', text: 'Happens with drafts over 1 MB.' },
        { author: SHARED_PERSON.accountId, text: 'Same on our side.' },
      ],
    },
    {
      project: 'CM', type: 'Task', summary: 'Publish the release notes', dueDate: '2026-12-01',
      reporter: '712020:96ee0000-1111-4000-8000-000000000001',
    },
  ],
};

export const blueSeed: SiteSeed = SiteSeedSchema.parse(blueInput);
export const greenSeed: SiteSeed = SiteSeedSchema.parse(greenInput);

/**
 * The seed for a site name: blue and green as above; any other configured
 * site starts as a copy of blue under its own cloud id and title.
 */
export function seedForSite(name: string): SiteSeed {
  if (name === 'blue') return blueSeed;
  if (name === 'green') return greenSeed;
  const hex = Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12);
  return {
    ...blueSeed,
    cloudId: `00000000-0000-4000-8000-${hex}`,
    serverTitle: `${name.charAt(0).toUpperCase()}${name.slice(1)} Jira`,
  };
}
