// The UI's only way to the backend: `invoke` of @forge/bridge, typed per
// resolver key, answering values instead of throwing.
import { invoke } from '@forge/bridge';
import type { z } from 'zod/mini';
import * as S from './schemas';
import { describeRejection, type ApiError } from './lib/rejection';
import type { ConnectionMode } from './schemas';

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
  listErrors: { connectionId?: string };
  listQueue: Empty;
  getIssueSyncStatus: { issueKey: string };
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
  listErrors: S.ListErrorsResultSchema,
  listQueue: S.ListQueueResultSchema,
  getIssueSyncStatus: S.IssueSyncStatusResultSchema,
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
  listTriggers: () => call('listTriggers', {}),
  listErrors: () => call('listErrors', {}),
  listQueue: () => call('listQueue', {}),
  getIssueSyncStatus: (issueKey: string) => call('getIssueSyncStatus', { issueKey }),
};
