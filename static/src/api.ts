// The UI's only way to the backend: `invoke` of @forge/bridge, typed per
// resolver key from the contract the server registers from
// (src/contract/resolvers.ts), answering values instead of throwing.
import { invoke } from '@forge/bridge';
import type { z } from 'zod';
import { resolverContract, type AnswerOf, type PayloadOf, type ResolverKey } from '../../src/contract/resolvers';
import { describeRejection, type ApiError } from './lib/rejection';
import type { QueueDirection, QueueKind, StatisticsPeriod, VisualMapping } from './schemas';

export type { ApiError, ApiErrorKind } from './lib/rejection';
export type { AnswerOf, PayloadOf, ResolverKey } from '../../src/contract/resolvers';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type InitiateConnectionPayload = PayloadOf<'initiateConnection'>;
export type SaveTriggerPayload = PayloadOf<'saveTrigger'>;
export type QueueQuery = PayloadOf<'listQueue'>;

function describeMismatch(error: z.ZodError): string {
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
  const parsed = resolverContract[key].output.safeParse(raw);
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
  acceptInvitation: (invitationCode: string, projectKey: string, name?: string) =>
    call('acceptInvitation', name === undefined ? { invitationCode, projectKey } : { invitationCode, projectKey, name }),
  describeDestination: (url: string) => call('describeDestination', { url }),
  getJiraValues: (projectKey: string) => call('getJiraValues', { projectKey }),
  searchUsers: (query: string) => call('searchUsers', { query }),
  setConnectionActive: (connectionId: string, active: boolean) => call('setConnectionActive', { connectionId, active }),
  updateConnection: (connectionId: string, changes: { name?: string; description?: string }) =>
    call('updateConnection', { connectionId, ...changes }),
  deleteConnection: (connectionId: string) => call('deleteConnection', { connectionId }),
  revokeInvitation: (connectionId: string) => call('revokeInvitation', { connectionId }),
  listProjects: () => call('listProjects', {}),
  exalateIssue: (connectionId: string, issueKey: string) => call('exalateIssue', { connectionId, issueKey }),
  listTriggers: (connectionId?: string) => call('listTriggers', connectionId ? { connectionId } : {}),
  saveTrigger: (trigger: SaveTriggerPayload) => call('saveTrigger', trigger),
  countTriggerMatches: (connectionId: string, jql: string) => call('countTriggerMatches', { connectionId, jql }),
  deleteTrigger: (id: string) => call('deleteTrigger', { id }),
  bulkExalate: (triggerId: string) => call('bulkExalate', { triggerId }),
  unbulkExalate: (triggerId: string) => call('unbulkExalate', { triggerId }),
  getJob: (id: string) => call('getJob', { id }),
  listJobs: (filter: { triggerId?: string; connectionId?: string } = {}) => call('listJobs', filter),
  cancelJob: (id: string) => call('cancelJob', { id }),
  listErrors: (connectionId?: string) => call('listErrors', connectionId ? { connectionId } : {}),
  retryError: (id: string) => call('retryError', { id }),
  resolveError: (id: string) => call('resolveError', { id }),
  listQueue: (query: { connectionId?: string; direction?: QueueDirection; kind?: QueueKind } = {}) => call('listQueue', query),
  getConnectionHealth: () => call('getConnectionHealth', {}),
  getPeopleMapping: (connectionId: string) => call('getPeopleMapping', { connectionId }),
  setPeopleMapping: (edit: PayloadOf<'setPeopleMapping'>) => call('setPeopleMapping', edit),
  getStatistics: (period: StatisticsPeriod, connectionId?: string) => call('getStatistics', connectionId ? { period, connectionId } : { period }),
  getIssueSyncStatus: (issueKey: string) => call('getIssueSyncStatus', { issueKey }),
  getIssueHistory: (issueKey: string) => call('getIssueHistory', { issueKey }),
  connectIssue: (connectionId: string, issueKey: string, remoteIssueKey: string) => call('connectIssue', { connectionId, issueKey, remoteIssueKey }),
  unexalateIssue: (connectionId: string, issueKey: string) => call('unexalateIssue', { connectionId, issueKey }),
  getRules: (connectionId: string) => call('getRules', { connectionId }),
  publishRules: (connectionId: string, rules: { outgoing: string; incoming: string }, acceptWarnings = false) => call('publishRules', { connectionId, ...rules, acceptWarnings }),
  testRules: (connectionId: string, issueKey: string, outgoing?: string) =>
    call('testRules', outgoing === undefined ? { connectionId, issueKey } : { connectionId, issueKey, outgoing }),
  translateGroovy: (source: string, direction: 'outgoing' | 'incoming') => call('translateGroovy', { source, direction }),
  getMapping: (connectionId: string) => call('getMapping', { connectionId }),
  publishMapping: (connectionId: string, mapping: VisualMapping, acceptWarnings = false) => call('publishMapping', { connectionId, mapping, acceptWarnings }),
};
