import type { z } from 'zod';
import { ADMIN_ONLY, ADMIN_OR_PROJECT_ADMIN, MODULES, type NonEmptyAccess } from './access';
import * as A from './answers';
import { inputs } from './inputs';

// The UI's API, declared once: each resolver's key, what it takes, what it
// answers and who may call it from which module. The server registers its
// handlers from this table (a key without a handler, or a handler without a
// key, does not compile), and the custom UI derives its typed client from it.

export interface ResolverDeclaration<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: NonEmptyAccess;
}

const declare = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, access: NonEmptyAccess): ResolverDeclaration<I, O> => ({ input, output, access });

const ISSUE_PANEL_BROWSE = { [MODULES.admin]: 'jiraAdmin', [MODULES.issuePanel]: 'issueBrowse' } as const satisfies NonEmptyAccess;
/** The issue panel, and the first-sync box of the connection dialogs, which follows the issue it just sent. */
const ISSUE_STATUS = { ...ISSUE_PANEL_BROWSE, [MODULES.projectSettings]: 'projectAdmin' } as const satisfies NonEmptyAccess;
const ISSUE_PANEL_EDIT = { [MODULES.admin]: 'jiraAdmin', [MODULES.issuePanel]: 'issueEdit' } as const satisfies NonEmptyAccess;
const EVERY_PAGE_EDIT = { [MODULES.admin]: 'jiraAdmin', [MODULES.projectSettings]: 'projectAdmin', [MODULES.issuePanel]: 'issueEdit' } as const satisfies NonEmptyAccess;

export const resolverContract = {
  // Instance and connections
  getInstance: declare(inputs.getInstance, A.Instance, ADMIN_OR_PROJECT_ADMIN),
  updateInstance: declare(inputs.updateInstance, A.Instance, ADMIN_ONLY),
  listConnections: declare(inputs.listConnections, A.ListConnectionsResult, ADMIN_OR_PROJECT_ADMIN),
  initiateConnection: declare(inputs.initiateConnection, A.InitiateConnectionResult, ADMIN_OR_PROJECT_ADMIN),
  acceptInvitation: declare(inputs.acceptInvitation, A.AcceptInvitationResult, ADMIN_OR_PROJECT_ADMIN),
  setConnectionActive: declare(inputs.setConnectionActive, A.ConnectionResult, ADMIN_OR_PROJECT_ADMIN),
  updateConnection: declare(inputs.updateConnection, A.ConnectionResult, ADMIN_OR_PROJECT_ADMIN),
  deleteConnection: declare(inputs.deleteConnection, A.Deleted, ADMIN_OR_PROJECT_ADMIN),
  rotateSecret: declare(inputs.rotateSecret, A.RotationResult, ADMIN_ONLY),
  /** How refused values are handled on this side: a Jira admin's choice, as it can hold back whole issues. */
  setStrictValues: declare(inputs.setStrictValues, A.ConnectionResult, ADMIN_ONLY),
  /** Whether the app creates link types, components and versions here: a Jira admin's choice, as it changes the site's configuration. */
  setCreateMissing: declare(inputs.setCreateMissing, A.ConnectionResult, ADMIN_ONLY),
  /** The People settings: who the partner's people are here. A Jira admin's, as it decides who appears as assignee, reporter and in mentions. */
  getPeopleMapping: declare(inputs.getPeopleMapping, A.PeopleMappingResult, ADMIN_ONLY),
  setPeopleMapping: declare(inputs.setPeopleMapping, A.PeopleMappingResult, ADMIN_ONLY),
  /** How often the private side polls: a Jira admin's choice, as it spends the installation's share of Forge's limits. */
  setPollingIntervals: declare(inputs.setPollingIntervals, A.ConnectionResult, ADMIN_ONLY),
  pingConnection: declare(inputs.pingConnection, A.PingResult, ADMIN_OR_PROJECT_ADMIN),
  getInvitation: declare(inputs.getInvitation, A.InvitationState, ADMIN_OR_PROJECT_ADMIN),
  renewInvitation: declare(inputs.renewInvitation, A.RenewedInvitation, ADMIN_OR_PROJECT_ADMIN),
  revokeInvitation: declare(inputs.revokeInvitation, A.ConnectionResult, ADMIN_OR_PROJECT_ADMIN),
  listProjects: declare(inputs.listProjects, A.ListProjectsResult, ADMIN_OR_PROJECT_ADMIN),
  describeDestination: declare(inputs.describeDestination, A.DestinationDescription, ADMIN_OR_PROJECT_ADMIN),
  /** Visual mode's pickers, read as the caller: Jira admins only, like the editor. */
  getJiraValues: declare(inputs.getJiraValues, A.JiraValues, ADMIN_ONLY),
  searchUsers: declare(inputs.searchUsers, A.UserSearchResult, ADMIN_ONLY),

  // Rules and Visual mode (Basic rules are read-only, so project admins may read them)
  getRules: declare(inputs.getRules, A.Rules, ADMIN_OR_PROJECT_ADMIN),
  publishRules: declare(inputs.publishRules, A.PublishRulesResult, ADMIN_ONLY),
  testRules: declare(inputs.testRules, A.TestRulesResult, ADMIN_ONLY),
  getMapping: declare(inputs.getMapping, A.GetMappingResult, ADMIN_ONLY),
  publishMapping: declare(inputs.publishMapping, A.PublishMappingResult, ADMIN_ONLY),
  upgradeConnection: declare(inputs.upgradeConnection, A.ConnectionResult, ADMIN_ONLY),
  translateGroovy: declare(inputs.translateGroovy, A.GroovyTranslation, ADMIN_ONLY),

  // Triggers and bulk operations
  listTriggers: declare(inputs.listTriggers, A.ListTriggersResult, ADMIN_OR_PROJECT_ADMIN),
  saveTrigger: declare(inputs.saveTrigger, A.SaveTriggerResult, ADMIN_OR_PROJECT_ADMIN),
  /** How many issues a query matches now in the connection's project, checked as the caller: the trigger form and the Bulk / Unbulk confirmations. */
  countTriggerMatches: declare(inputs.countTriggerMatches, A.TriggerMatches, ADMIN_OR_PROJECT_ADMIN),
  deleteTrigger: declare(inputs.deleteTrigger, A.Deleted, ADMIN_OR_PROJECT_ADMIN),
  bulkExalate: declare(inputs.bulkExalate, A.Job, ADMIN_OR_PROJECT_ADMIN),
  unbulkExalate: declare(inputs.unbulkExalate, A.Job, ADMIN_OR_PROJECT_ADMIN),
  getJob: declare(inputs.getJob, A.Job, ADMIN_OR_PROJECT_ADMIN),
  listJobs: declare(inputs.listJobs, A.ListJobsResult, ADMIN_OR_PROJECT_ADMIN),
  cancelJob: declare(inputs.cancelJob, A.Job, ADMIN_OR_PROJECT_ADMIN),

  // One issue
  exalateIssue: declare(inputs.exalateIssue, A.ExalateIssueResult, EVERY_PAGE_EDIT),
  connectIssue: declare(inputs.connectIssue, A.IssueOperationResult, ISSUE_PANEL_EDIT),
  unexalateIssue: declare(inputs.unexalateIssue, A.IssueOperationResult, ISSUE_PANEL_EDIT),
  getIssueSyncStatus: declare(inputs.getIssueSyncStatus, A.IssueSyncStatusResult, ISSUE_STATUS),
  getIssueHistory: declare(inputs.getIssueHistory, A.IssueHistoryResult, ISSUE_PANEL_BROWSE),

  // Operations views
  listErrors: declare(inputs.listErrors, A.ListErrorsResult, ADMIN_ONLY),
  retryError: declare(inputs.retryError, A.Retried, ADMIN_ONLY),
  resolveError: declare(inputs.resolveError, A.Resolved, ADMIN_ONLY),
  listQueue: declare(inputs.listQueue, A.ListQueueResult, ADMIN_ONLY),
  getStatistics: declare(inputs.getStatistics, A.StatisticsResult, ADMIN_ONLY),
  /** The Connections page's health figures: read-only, Jira admins on the admin page only. */
  getConnectionHealth: declare(inputs.getConnectionHealth, A.ConnectionHealthResult, ADMIN_ONLY),
} as const satisfies Record<string, ResolverDeclaration>;

export type ResolverContract = typeof resolverContract;
export type ResolverKey = keyof ResolverContract;
/** What the UI sends (defaults may be left out). */
export type PayloadOf<K extends ResolverKey> = z.input<ResolverContract[K]['input']>;
/** What the handler receives, parsed. */
export type InputOf<K extends ResolverKey> = z.output<ResolverContract[K]['input']>;
/** What the handler answers and the UI reads. */
export type AnswerOf<K extends ResolverKey> = z.output<ResolverContract[K]['output']>;
export const RESOLVER_KEYS = Object.keys(resolverContract) as ResolverKey[];

/** Whether `key` names a resolver of the contract (an unknown one is refused before anything runs). */
export const isResolverKey = (key: string): key is ResolverKey => Object.hasOwn(resolverContract, key);
