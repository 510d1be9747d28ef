// The UI's only way to the backend: `invoke` of @forge/bridge, typed per
// resolver key, answering values instead of throwing.
import { invoke } from '@forge/bridge';
import type { z } from 'zod/mini';
import * as S from './schemas';
import { describeRejection, type ApiError } from './lib/rejection';
import type { ConnectionMode, QueueDirection, QueueKind, StatisticsPeriod } from './schemas';

export type { ApiError, ApiErrorKind } from './lib/rejection';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface InitiateConnectionPayload {
  /** null for a private connection ("I don't have a URL"). */
  destinationUrl: string | null;
  mode: ConnectionMode;
  localName: string;
  remoteName: string;
  name?: string;
  description?: string;
  projectKey: string;
  /** Local connections: the project on the other side of this same site. */
  remoteProjectKey?: string;
  adminAccess?: boolean;
}

type Empty = Record<string, never>;

interface Payloads {
  getInstance: Empty;
  listConnections: Empty;
  initiateConnection: InitiateConnectionPayload;
  acceptInvitation: { invitationCode: string; projectKey: string };
  setConnectionActive: { connectionId: string; active: boolean };
  updateConnection: { connectionId: string; name?: string; description?: string };
  deleteConnection: { connectionId: string };
  listProjects: Empty;
  exalateIssue: { connectionId: string; issueKey: string };
  listTriggers: { connectionId?: string };
  saveTrigger: SaveTriggerPayload;
  deleteTrigger: { id: string };
  bulkExalate: { triggerId: string };
  unbulkExalate: { triggerId: string };
  getJob: { id: string };
  listJobs: { triggerId?: string; connectionId?: string };
  cancelJob: { id: string };
  listErrors: { connectionId?: string };
  retryError: { id: string };
  resolveError: { id: string };
  listQueue: QueueQuery;
  getStatistics: { connectionId?: string; period: StatisticsPeriod };
  getIssueSyncStatus: { issueKey: string };
  getIssueHistory: { issueKey: string };
  connectIssue: { connectionId: string; issueKey: string; remoteIssueKey: string };
  unexalateIssue: { connectionId: string; issueKey: string };
  getRules: { connectionId: string };
  publishRules: { connectionId: string; outgoing: string; incoming: string };
  testRules: { connectionId: string; issueKey: string; outgoing?: string };
  getMapping: { connectionId: string };
  publishMapping: { connectionId: string; mapping: S.VisualMapping };
}

export interface SaveTriggerPayload {
  id?: string;
  connectionId: string;
  entityType: 'issue';
  jql: string;
  notes: string;
  active: boolean;
}

export interface QueueQuery {
  connectionId?: string;
  direction?: QueueDirection;
  kind?: QueueKind;
}

const answers = {
  getInstance: S.InstanceSchema,
  listConnections: S.ListConnectionsResultSchema,
  initiateConnection: S.InitiateConnectionResultSchema,
  acceptInvitation: S.AcceptInvitationResultSchema,
  setConnectionActive: S.AcknowledgementSchema,
  updateConnection: S.AcknowledgementSchema,
  deleteConnection: S.AcknowledgementSchema,
  listProjects: S.ListProjectsResultSchema,
  exalateIssue: S.ExalateIssueResultSchema,
  listTriggers: S.ListTriggersResultSchema,
  saveTrigger: S.SaveTriggerResultSchema,
  deleteTrigger: S.AcknowledgementSchema,
  bulkExalate: S.JobSchema,
  unbulkExalate: S.JobSchema,
  getJob: S.JobSchema,
  listJobs: S.ListJobsResultSchema,
  cancelJob: S.JobSchema,
  listErrors: S.ListErrorsResultSchema,
  retryError: S.AcknowledgementSchema,
  resolveError: S.AcknowledgementSchema,
  listQueue: S.ListQueueResultSchema,
  getStatistics: S.StatisticsResultSchema,
  getIssueSyncStatus: S.IssueSyncStatusResultSchema,
  getIssueHistory: S.IssueHistoryResultSchema,
  connectIssue: S.AcknowledgementSchema,
  unexalateIssue: S.AcknowledgementSchema,
  getRules: S.RulesSchema,
  publishRules: S.PublishRulesResultSchema,
  testRules: S.TestRulesResultSchema,
  getMapping: S.GetMappingResultSchema,
  publishMapping: S.PublishMappingResultSchema,
} satisfies { [K in keyof Payloads]: z.ZodMiniType };

export type ResolverKey = keyof Payloads;
export type PayloadOf<K extends ResolverKey> = Payloads[K];
export type AnswerOf<K extends ResolverKey> = z.infer<(typeof answers)[K]>;

function describeMismatch(error: z.core.$ZodError): string {
  const first = error.issues[0];
  if (!first) return 'no details';
  const where = first.path.length ? first.path.join('.') : 'the answer';
  return `${where}: ${first.message}`;
}

export async function call<K extends ResolverKey>(key: K, payload: PayloadOf<K>): Promise<ApiResult<AnswerOf<K>>> {
  let raw: unknown;
  try {
    raw = await invoke(key, payload as Record<string, unknown>);
  } catch (rejection) {
    return { ok: false, error: describeRejection(key, rejection) };
  }
  const parsed = answers[key].safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        kind: 'UnexpectedAnswer',
        resolver: key,
        message: `The server's answer to "${key}" isn't in the form this page understands (${describeMismatch(parsed.error)}).`,
      },
    };
  }
  return { ok: true, value: parsed.data as AnswerOf<K> };
}

export const api = {
  getInstance: () => call('getInstance', {}),
  listConnections: () => call('listConnections', {}),
  initiateConnection: (payload: InitiateConnectionPayload) => call('initiateConnection', payload),
  acceptInvitation: (invitationCode: string, projectKey: string) => call('acceptInvitation', { invitationCode, projectKey }),
  setConnectionActive: (connectionId: string, active: boolean) => call('setConnectionActive', { connectionId, active }),
  updateConnection: (connectionId: string, changes: { name?: string; description?: string }) =>
    call('updateConnection', { connectionId, ...changes }),
  deleteConnection: (connectionId: string) => call('deleteConnection', { connectionId }),
  listProjects: () => call('listProjects', {}),
  exalateIssue: (connectionId: string, issueKey: string) => call('exalateIssue', { connectionId, issueKey }),
  listTriggers: (connectionId?: string) => call('listTriggers', connectionId ? { connectionId } : {}),
  saveTrigger: (trigger: SaveTriggerPayload) => call('saveTrigger', trigger),
  deleteTrigger: (id: string) => call('deleteTrigger', { id }),
  bulkExalate: (triggerId: string) => call('bulkExalate', { triggerId }),
  unbulkExalate: (triggerId: string) => call('unbulkExalate', { triggerId }),
  getJob: (id: string) => call('getJob', { id }),
  listJobs: (filter: { triggerId?: string; connectionId?: string } = {}) => call('listJobs', filter),
  cancelJob: (id: string) => call('cancelJob', { id }),
  listErrors: (connectionId?: string) => call('listErrors', connectionId ? { connectionId } : {}),
  retryError: (id: string) => call('retryError', { id }),
  resolveError: (id: string) => call('resolveError', { id }),
  listQueue: (query: QueueQuery = {}) => call('listQueue', query),
  getStatistics: (period: StatisticsPeriod, connectionId?: string) => call('getStatistics', connectionId ? { period, connectionId } : { period }),
  getIssueSyncStatus: (issueKey: string) => call('getIssueSyncStatus', { issueKey }),
  getIssueHistory: (issueKey: string) => call('getIssueHistory', { issueKey }),
  connectIssue: (connectionId: string, issueKey: string, remoteIssueKey: string) => call('connectIssue', { connectionId, issueKey, remoteIssueKey }),
  unexalateIssue: (connectionId: string, issueKey: string) => call('unexalateIssue', { connectionId, issueKey }),
  getRules: (connectionId: string) => call('getRules', { connectionId }),
  publishRules: (connectionId: string, rules: { outgoing: string; incoming: string }) => call('publishRules', { connectionId, ...rules }),
  testRules: (connectionId: string, issueKey: string, outgoing?: string) =>
    call('testRules', outgoing === undefined ? { connectionId, issueKey } : { connectionId, issueKey, outgoing }),
  getMapping: (connectionId: string) => call('getMapping', { connectionId }),
  publishMapping: (connectionId: string, mapping: S.VisualMapping) => call('publishMapping', { connectionId, mapping }),
};
