// The two default sites, seeded like the reference documents: blue has the
// projects UD "UI Design" and TEST "Test", green has SC "Software Chasers" and
// CM "Content Management". Each site also has a project with a drawn
// workflow that is no full mesh (blue WEB "Website", green SUP "Support"):
// Done is reached only through review, a done issue only reopens, a reopened
// one only goes back to the start of the work, and the status new issues
// start in (Backlog, Triage) is reached from no other status. Green's adds a
// global "Close" into Done, so the same target takes a different number of
// steps on each side. Those projects have components and versions, and every
// custom field type an admin syncs is seeded on both sites under the same
// names with different ids.
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
//   blue   UD (UI Design)              TEST (Test)                         WEB (Website)
//   Ava    site admin: everything      site admin: everything              site admin: everything
//   Dan    Administrators              Developers                          Administrators
//   Ben    Developers                  (cannot see it)                     (cannot see it)
//   Chloe  Developers                  Users (browse, create, comment)     (cannot see it)
//   Sam    Developers                  Developers                          Developers
//
//   green  SC (Software Chasers)       CM (Content Management)             SUP (Support)
//   Gia    site admin: everything      site admin: everything              site admin: everything
//   Hugo   Administrators              (cannot see it)                     (cannot see it)
//   Iris   Developers                  Users (browse, create, comment)     (cannot see it)
//   Jack   (cannot see it)             Developers                          Developers
//   Sam    Developers                  Developers                          Developers
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
// comment and attach, see watchers, and edit or delete their own worklogs;
// Developers also edit, move through the workflow, assign, link and log work;
// Administrators also administer the project, manage watchers and delete or
// edit anyone's work.
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
    { permission: 'VIEW_VOTERS_AND_WATCHERS', holders: everyone },
    { permission: 'MANAGE_WATCHERS', holders: administrators },
    { permission: 'EDIT_OWN_WORKLOGS', holders: everyone },
    { permission: 'EDIT_ALL_WORKLOGS', holders: administrators },
    { permission: 'DELETE_OWN_WORKLOGS', holders: everyone },
    { permission: 'DELETE_ALL_WORKLOGS', holders: administrators },
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

/** A drawn review workflow; `start` and `open` are the site's names for the first two statuses. */
function reviewWorkflow(name: string, start: string, open: string, extra: NonNullable<Extract<SiteSeedInput['projects'][number]['workflow'], { name: string }>['transitions']> = []) {
  return {
    name,
    description: `${start} → ${open} → In Progress → In Review → Done; Done only reopens, and Reopened only goes back to ${open}.`,
    statuses: [start, open, 'In Progress', 'In Review', 'Done', 'Reopened'],
    initial: start,
    transitions: [
      { id: '11', name: start === 'Backlog' ? 'Select for development' : 'Accept', from: [start], to: open },
      { id: '21', name: 'Start progress', from: [open], to: 'In Progress', screen: [{ field: 'assignee' }] },
      { id: '31', name: 'Stop progress', from: ['In Progress'], to: open },
      { id: '41', name: 'Submit for review', from: ['In Progress'], to: 'In Review' },
      { id: '51', name: 'Request changes', from: ['In Review'], to: 'In Progress' },
      { id: '61', name: 'Approve', from: ['In Review'], to: 'Done', screen: [{ field: 'resolution' }, { field: 'fixVersions' }] },
      { id: '71', name: 'Reopen', from: ['Done'], to: 'Reopened' },
      { id: '81', name: `Back to ${open}`, from: ['Reopened'], to: open },
      ...extra,
    ],
  };
}

const VERSIONS: SiteSeedInput['projects'][number]['versions'] = [
  { name: '1.0', description: 'First public release.', released: true, startDate: '2026-07-01', releaseDate: '2026-10-01' },
  { name: '1.1', description: 'Landing page and account settings.', startDate: '2026-10-02', releaseDate: '2026-12-15' },
  { name: '2.0', description: 'The next big step.' },
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
    { id: '10002', name: 'In Review', category: 'indeterminate', description: 'Waiting for a review.' },
    { id: '4', name: 'Reopened', category: 'new', description: 'This issue was once resolved, but the resolution was deemed incorrect.' },
    { id: '10003', name: 'Backlog', category: 'new', description: 'Not yet selected for development.' },
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
    { id: 'customfield_10026', name: 'Target date', kind: 'date' },
    { id: 'customfield_10027', name: 'Deployed at', kind: 'datetime' },
    { id: 'customfield_10028', name: 'Design link', kind: 'url' },
    {
      id: 'customfield_10029', name: 'Platforms', kind: 'multiselect',
      contexts: [
        {
          id: '20029', name: 'Default Configuration Scheme for Platforms',
          options: [{ id: '10110', value: 'Web' }, { id: '10111', value: 'iOS' }, { id: '10112', value: 'Android' }],
        },
        // The website offers its own platforms: a project context wins over the global one.
        {
          id: '20129', name: 'Platforms of the website', projects: ['WEB'],
          options: [{ id: '10113', value: 'Desktop' }, { id: '10114', value: 'Mobile' }],
        },
      ],
    },
    {
      id: 'customfield_10040', name: 'Region', kind: 'cascadingselect',
      options: [
        { id: '10120', value: 'Europe', children: [{ id: '10121', value: 'Germany' }, { id: '10122', value: 'France' }] },
        { id: '10123', value: 'Americas', children: [{ id: '10124', value: 'USA' }, { id: '10125', value: 'Canada' }] },
        { id: '10126', value: 'Asia', children: [{ id: '10127', value: 'Japan' }] },
      ],
    },
    {
      id: 'customfield_10041', name: 'Review checks', kind: 'checkboxes',
      options: [{ id: '10130', value: 'Accessibility' }, { id: '10131', value: 'Security' }, { id: '10132', value: 'Performance' }],
    },
    { id: 'customfield_10042', name: 'Approvers', kind: 'multiuser' },
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
    {
      id: '10002', key: 'WEB', name: 'Website', description: 'The public website, reviewed before it ships.',
      leadAccountId: AVA,
      workflow: reviewWorkflow('Website Review Workflow', 'Backlog', 'To Do'),
      components: [
        { name: 'Frontend', description: 'Pages, styles and scripts.', lead: DAN, assigneeType: 'COMPONENT_LEAD' },
        { name: 'Backend', description: 'APIs behind the site.' },
        { name: 'Content', description: 'Copy, images and translations.', assigneeType: 'PROJECT_LEAD' },
      ],
      versions: VERSIONS,
      // Only Dan and Sam work here; Ben and Chloe cannot see it.
      roles: {
        [ROLES.admins]: [DAN],
        [ROLES.developers]: [SHARED_PERSON.accountId],
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
    {
      project: 'WEB', type: 'Story', summary: 'Launch the new landing page', status: 'In Review', priority: 'High',
      description: 'The landing page follows the new design and loads in under a second.',
      assignee: SHARED_PERSON.accountId, reporter: AVA,
      fields: {
        components: [{ name: 'Frontend' }],
        fixVersions: [{ name: '1.1' }],
        timetracking: { originalEstimate: '2d' },
        'Target date': '2026-12-10',
        'Design link': 'https://design.example.com/landing',
        Platforms: [{ value: 'Desktop' }, { value: 'Mobile' }],
        Region: { value: 'Europe', child: { value: 'Germany' } },
        'Review checks': [{ value: 'Accessibility' }],
        Approvers: [{ accountId: DAN }],
      },
      worklogs: [
        { author: SHARED_PERSON.accountId, timeSpent: '3h', started: '2026-11-20T09:00:00.000+0000', comment: 'First draft of the layout.' },
        { author: SHARED_PERSON.accountId, timeSpent: '2h 30m', started: '2026-11-21T13:00:00.000+0000', comment: null },
      ],
      watchers: [DAN],
    },
    {
      project: 'WEB', type: 'Story', summary: 'Fix the broken footer links', priority: 'Low', reporter: DAN,
      fields: { components: [{ name: 'Content' }], versions: [{ name: '1.0' }] },
    },
  ],
};

const GIA = '712020:96ee0000-1111-4000-8000-000000000001';
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
    { id: '10003', name: 'In Review', category: 'indeterminate', description: 'Waiting for a review.' },
    { id: '4', name: 'Reopened', category: 'new', description: 'This issue was once resolved, but the resolution was deemed incorrect.' },
    { id: '10004', name: 'Triage', category: 'new', description: 'Not yet looked at.' },
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
    { id: 'customfield_10036', name: 'Target date', kind: 'date' },
    { id: 'customfield_10037', name: 'Deployed at', kind: 'datetime' },
    { id: 'customfield_10038', name: 'Design link', kind: 'url' },
    {
      id: 'customfield_10039', name: 'Platforms', kind: 'multiselect',
      options: [{ id: '10210', value: 'Web' }, { id: '10211', value: 'iOS' }, { id: '10212', value: 'Android' }, { id: '10213', value: 'Windows' }],
    },
    {
      id: 'customfield_10050', name: 'Region', kind: 'cascadingselect',
      options: [
        { id: '10220', value: 'Europe', children: [{ id: '10221', value: 'Germany' }, { id: '10222', value: 'France' }, { id: '10228', value: 'Spain' }] },
        { id: '10223', value: 'Americas', children: [{ id: '10224', value: 'USA' }, { id: '10225', value: 'Canada' }] },
        { id: '10226', value: 'Asia', children: [{ id: '10227', value: 'Japan' }] },
      ],
    },
    {
      id: 'customfield_10051', name: 'Review checks', kind: 'checkboxes',
      options: [{ id: '10230', value: 'Accessibility' }, { id: '10231', value: 'Security' }, { id: '10232', value: 'Performance' }],
    },
    { id: 'customfield_10052', name: 'Approvers', kind: 'multiuser' },
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
    {
      id: '10102', key: 'SUP', name: 'Support', description: 'Customer problems, triaged and reviewed before they are closed.',
      leadAccountId: GIA,
      // Green's support may also close an issue from anywhere, straight into Done.
      workflow: reviewWorkflow('Support Triage Workflow', 'Triage', 'Open', [
        { id: '91', name: 'Close', from: 'any', to: 'Done', screen: [{ field: 'resolution' }] },
      ]),
      components: [
        { name: 'Frontend', description: 'What customers see.' },
        { name: 'Backend', description: 'Services and data.', lead: JACK, assigneeType: 'COMPONENT_LEAD' },
        { name: 'Billing', description: 'Invoices and payments.' },
      ],
      versions: VERSIONS,
      // Only Jack and Sam work here; Hugo and Iris cannot see it.
      roles: {
        [ROLES.developers]: [JACK, SHARED_PERSON.accountId],
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
    {
      project: 'SUP', type: 'Story', summary: 'Customers cannot reset their password', status: 'In Progress', priority: 'High',
      description: 'The reset mail never arrives for addresses with a plus sign.',
      assignee: JACK, reporter: GIA,
      fields: {
        components: [{ name: 'Backend' }],
        versions: [{ name: '1.0' }],
        timetracking: { originalEstimate: '1d', remainingEstimate: '6h' },
        Platforms: [{ value: 'Web' }],
        Region: { value: 'Americas', child: { value: 'USA' } },
        'Deployed at': '2026-11-18T16:30:00.000+0000',
      },
      worklogs: [{ author: JACK, timeSpent: '2h', started: '2026-11-19T10:00:00.000+0000', comment: 'Reproduced with a plus address.' }],
      watchers: [JACK],
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
