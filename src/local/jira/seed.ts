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
// relies on. Dan Evans (blue) and Hugo Irving (green) administer one project
// each without being site admins.
import { SiteSeedSchema, type SiteSeed, type SiteSeedInput } from './seed-schema';

const SHARED_PERSON = {
  accountId: '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11',
  displayName: 'Sam Rivera',
  email: 'sam.rivera@partner.example.com',
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

const blueInput: SiteSeedInput = {
  cloudId: 'b10e5173-0000-4c1a-9b1e-000000000b1e',
  serverTitle: 'Blue Jira',
  idBase: 10000,
  appAccountId: '712020:b1e00000-0a99-4000-8000-0000000000a1',
  adminAccountId: '712020:b1e00000-1111-4000-8000-000000000001',
  users: [
    { accountId: '712020:b1e00000-1111-4000-8000-000000000001', displayName: 'Ava Blue', email: 'ava.blue@blue.example.com', siteAdmin: true },
    { accountId: '712020:b1e00000-2222-4000-8000-000000000002', displayName: 'Ben Carter', email: 'ben.carter@blue.example.com' },
    { accountId: '712020:b1e00000-3333-4000-8000-000000000003', displayName: 'Chloe Dunn', email: 'chloe.dunn@blue.example.com', emailVisible: false, timeZone: 'Europe/Berlin' },
    { accountId: '712020:b1e00000-4444-4000-8000-000000000004', displayName: 'Dan Evans', email: 'dan.evans@blue.example.com' },
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
  projects: [
    {
      id: '10000', key: 'UD', name: 'UI Design', description: 'Design of the customer-facing screens.',
      leadAccountId: '712020:b1e00000-1111-4000-8000-000000000001',
      workflow: [
        { status: 'To Do', transition: 'To Do' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
      admins: ['712020:b1e00000-4444-4000-8000-000000000004'],
    },
    {
      id: '10001', key: 'TEST', name: 'Test', description: 'Test planning and execution.',
      leadAccountId: '712020:b1e00000-2222-4000-8000-000000000002',
      workflow: [
        { status: 'To Do', transition: 'To Do' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
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
      reporter: '712020:b1e00000-2222-4000-8000-000000000002',
      comments: [{ author: SHARED_PERSON.accountId, text: 'All green on the last run.' }],
    },
  ],
};

const greenInput: SiteSeedInput = {
  cloudId: '96ee0000-0000-4c1a-9b1e-0000000096ee',
  serverTitle: 'Green Jira',
  idBase: 20000,
  appAccountId: '712020:96ee0000-0a99-4000-8000-0000000000a2',
  adminAccountId: '712020:96ee0000-1111-4000-8000-000000000001',
  users: [
    { accountId: '712020:96ee0000-1111-4000-8000-000000000001', displayName: 'Gia Green', email: 'gia.green@green.example.com', siteAdmin: true },
    { accountId: '712020:96ee0000-2222-4000-8000-000000000002', displayName: 'Hugo Irving', email: 'hugo.irving@green.example.com' },
    { accountId: '712020:96ee0000-3333-4000-8000-000000000003', displayName: 'Iris Jones', email: 'iris.jones@green.example.com', emailVisible: false, timeZone: 'America/New_York' },
    { accountId: '712020:96ee0000-4444-4000-8000-000000000004', displayName: 'Jack King', email: 'jack.king@green.example.com' },
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
      admins: ['712020:96ee0000-2222-4000-8000-000000000002'],
    },
    {
      id: '10101', key: 'CM', name: 'Content Management', description: 'Articles, release notes and the website.',
      leadAccountId: '712020:96ee0000-4444-4000-8000-000000000004',
      workflow: [
        { status: 'Open', transition: 'Reopen' },
        { status: 'In Progress', transition: 'Start progress' },
        { status: 'Done', transition: 'Done' },
      ],
    },
  ],
  issues: [
    {
      project: 'SC', type: 'Story', summary: 'Search results pagination',
      description: 'Show 20 results per page with a way to the next page.', priority: 'Medium',
      assignee: '712020:96ee0000-4444-4000-8000-000000000004', reporter: '712020:96ee0000-1111-4000-8000-000000000001',
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
