import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { ConnectAnswer, ConnectRequest, ConnectWinner, MessageOf } from '../domain/messages';
import { AppError } from '../domain/errors';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { issuesUnderSyncStep, recordLastSync } from '../connections/store';
import { sendMessage } from '../transport';
import { issueBrowseUrl } from '../sync/issue-reader';
import { newTwin, twinStore, type Twin } from '../sync/twins';
import { recordHistoryOfNewTwin } from '../sync/history';
import { recordStat } from '../sync/statistics';
import { requestOutgoing } from '../sync/engine';
import { connectRecordKey, ConnectRecord, pendingConnect } from '../sync/connect-requests';

// Connect: link an existing local issue to an existing partner issue without
// creating anything. Only the partner can look its issue up, so this side
// records a pending request and sends a `connect` message; the partner
// checks the issue (in its project, not synced yet on this connection),
// makes its twin and answers with a `connect` message of its own. That
// answer travels through the partner's ordered outbox ahead of any replica
// of the newly linked issue, so this side has its twin before the first
// change arrives. No twin exists here until then: a half-made twin would
// send a first replica and the partner would create a new issue from it.
//
// The initial sync (the admin's choice, carried in the request) copies one
// issue over the other at once. The side that wins marks its twin `send`
// and queues the same outgoing work as a manual sync, with cause `connect`:
// the partner right after it grants, the requester once it takes the
// answer. Every field of that first replica counts as changed, and it
// carries the `initialSync` flag. The side that loses marks its twin
// `expect`: only then is the flag honoured, once (src/sync/incoming). A
// partner that does not know the choice answers without it, and then
// neither side syncs anything until the next edit, as before.

/** The initial sync as the requester's admin chose it, in the protocol's terms (who wins); undefined: none. */
export function winnerOf(choice: 'this-side' | 'other-side' | 'none' | undefined): ConnectWinner | undefined {
  return choice === 'this-side' ? 'requester' : choice === 'other-side' ? 'partner' : undefined;
}

/** A Connect request's initial sync as the requester's admin sees it. */
export function choiceOf(winner: ConnectWinner | null | undefined): 'this-side' | 'other-side' | 'none' {
  return winner === 'requester' ? 'this-side' : winner === 'partner' ? 'other-side' : 'none';
}

/** What this side's twin does in the initial sync, or nothing. */
const roleOf = (winner: ConnectWinner | undefined, weAre: ConnectWinner): Twin['initialSync'] => (winner === undefined ? undefined : winner === weAre ? 'send' : 'expect');

const describeTwin = (twin: Twin) => (twin.remoteKey ? `with ${twin.remoteKey}` : 'waiting for its first answer');

/** Starts a Connect; the link is made when the partner answers. */
export async function requestConnect(
  platform: Platform,
  connection: ConnectionRecord,
  issue: { id: string; key: string; url: string | null },
  remoteIssueKey: string,
  initialSync?: ConnectWinner,
): Promise<ConnectRecord> {
  const existing = await twinStore(platform.kvs).get(connection.id, issue.id);
  if (existing) throw new AppError('Conflict', `${issue.key} is already synced on the connection "${connection.name}" (${describeTwin(existing)}); Unexalate it first.`);
  const waiting = await pendingConnect(platform, issue.id, connection.id);
  if (waiting) throw new AppError('Conflict', `${issue.key} is already waiting for "${connection.remote.name}" to answer a Connect to ${waiting.remoteIssueKey}.`);
  const record: ConnectRecord = {
    requestId: platform.random.uuid(),
    connectionId: connection.id,
    localIssueId: issue.id,
    localKey: issue.key,
    remoteIssueKey,
    initialSync: initialSync ?? null,
    state: 'pending',
    reason: null,
    requestedAt: platform.clock.now(),
    answeredAt: null,
  };
  await platform.kvs.set(connectRecordKey(issue.id, connection.id), record);
  const request: ConnectRequest = {
    phase: 'request',
    requestId: record.requestId,
    issueId: issue.id,
    issueKey: issue.key,
    issueUrl: issue.url,
    remoteIssueKey,
    ...(initialSync ? { initialSync } : {}),
  };
  await sendMessage(platform, connection.id, 'connect', request);
  return record;
}

/** Inbound `connect` handler: a request from the partner, or its answer to ours. */
export async function receiveConnect(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'connect'>): Promise<unknown> {
  const message = envelope.body;
  return message.phase === 'request' ? answerRequest(platform, connection, message) : takeAnswer(platform, connection, message);
}

async function answerRequest(platform: Platform, connection: ConnectionRecord, request: ConnectRequest): Promise<unknown> {
  const refuse = async (reason: string) => {
    await sendMessage(platform, connection.id, 'connect', { phase: 'answer', requestId: request.requestId, yourIssueId: request.issueId, accepted: false, reason });
    return { accepted: false, reason };
  };
  const jira = createJiraClient(platform.jira);
  let found;
  try {
    found = await jira.issues.get(request.remoteIssueKey, { fields: ['project'] });
  } catch (e) {
    // Anything but "no such issue" is Jira being unwell: throwing keeps the request with the sender for a retry.
    if (isJiraError(e) && (e.kind === 'not-found' || e.kind === 'bad-request')) {
      return refuse(`There is no issue ${request.remoteIssueKey} on ${connection.localName}, or the app cannot see it.`);
    }
    throw e;
  }
  const projectKey = found.fields.project?.key ?? '';
  if (projectKey.toUpperCase() !== connection.localProjectKey.toUpperCase()) {
    return refuse(`${found.key} is in project ${projectKey || '(unknown)'}, outside this connection's project ${connection.localProjectKey} on ${connection.localName}.`);
  }
  const url = found.self ? issueBrowseUrl(found.self, found.key) : null;
  const twins = twinStore(platform.kvs);
  const mine = await twins.get(connection.id, found.id);
  // A repeat of a request already granted: answer the same again.
  if (mine && mine.remoteIssueId === request.issueId) return grant(platform, connection, request, mine, url, false);
  if (mine) return refuse(`${found.key} is already synced on this connection (${describeTwin(mine)}).`);
  const theirs = await twins.findByRemote(connection.id, request.issueId);
  if (theirs) return refuse(`${request.issueKey} is already synced on this connection with ${theirs.localKey}.`);
  if (await pendingConnect(platform, found.id, connection.id)) {
    return refuse(`${found.key} is itself waiting for an answer to a Connect on this connection.`);
  }
  const now = platform.clock.now();
  const twin: Twin = {
    ...newTwin({ connectionId: connection.id, localIssueId: found.id, localKey: found.key, origin: 'remote', now }),
    remoteIssueId: request.issueId,
    remoteKey: request.issueKey,
    remoteUrl: request.issueUrl,
    status: 'synchronized',
    lastSyncAt: now,
    initialSync: roleOf(request.initialSync, 'partner'),
  };
  await twins.save(twin, [await issuesUnderSyncStep(platform, connection.id, 1)]);
  return grant(platform, connection, request, twin, url, true);
}

async function grant(
  platform: Platform,
  connection: ConnectionRecord,
  request: ConnectRequest,
  twin: Twin,
  url: string | null,
  isNew: boolean,
): Promise<unknown> {
  if (isNew) await linked(platform, twin, 'in', request.initialSync, 'partner');
  await sendMessage(platform, connection.id, 'connect', {
    phase: 'answer',
    requestId: request.requestId,
    yourIssueId: request.issueId,
    accepted: true,
    issueId: twin.localIssueId,
    issueKey: twin.localKey,
    url,
    ...(request.initialSync ? { initialSync: request.initialSync } : {}),
  });
  // Queued after the answer, so the replica leaves the outbox behind it: the requester has its twin by then.
  if (isNew && twin.initialSync === 'send') await requestOutgoing(platform, connection.id, twin.localIssueId, 'connect');
  return { accepted: true, issueKey: twin.localKey };
}

async function takeAnswer(platform: Platform, connection: ConnectionRecord, answer: ConnectAnswer): Promise<unknown> {
  const key = connectRecordKey(answer.yourIssueId, connection.id);
  const record = await pendingConnect(platform, answer.yourIssueId, connection.id);
  const twins = twinStore(platform.kvs);
  if (!record || record.requestId !== answer.requestId) {
    if (!answer.accepted) return { ignored: 'no such request' };
    const mine = await twins.get(connection.id, answer.yourIssueId);
    if (mine?.remoteIssueId === answer.issueId) return { ignored: 'already connected' };
    // The request was cancelled here meanwhile: undo the partner's half.
    await sendMessage(platform, connection.id, 'unexalate', { issueId: answer.yourIssueId, yourIssueId: answer.issueId, reason: 'connect-cancelled' });
    return { ignored: 'cancelled' };
  }
  const now = platform.clock.now();
  if (!answer.accepted) {
    await platform.kvs.set(key, { ...record, state: 'refused', reason: answer.reason, answeredAt: now });
    return { refused: true };
  }
  const clash = (await twins.get(connection.id, answer.yourIssueId)) ?? (await twins.findByRemote(connection.id, answer.issueId));
  if (clash && clash.localIssueId === answer.yourIssueId && clash.remoteIssueId === answer.issueId) {
    // This answer was taken before, up to the twin: only the request is left to clear.
    await platform.kvs.delete(key);
    return { connected: true };
  }
  if (clash) {
    // The issue came under sync another way meanwhile: undo the partner's half, keep what is here.
    await sendMessage(platform, connection.id, 'unexalate', { issueId: answer.yourIssueId, yourIssueId: answer.issueId, reason: 'connect-conflict' });
    const reason = `${clash.localKey} came under sync another way while ${answer.issueKey} was being connected.`;
    await platform.kvs.set(key, { ...record, state: 'refused', reason, answeredAt: now });
    return { refused: true };
  }
  const twin: Twin = {
    ...newTwin({ connectionId: connection.id, localIssueId: record.localIssueId, localKey: record.localKey, origin: 'local', now }),
    remoteIssueId: answer.issueId,
    remoteKey: answer.issueKey,
    remoteUrl: answer.url,
    status: 'synchronized',
    lastSyncAt: now,
    // Only what the partner agreed to: one that does not know the choice answers without it, and then none.
    initialSync: roleOf(answer.initialSync, 'requester'),
  };
  await twins.save(twin, [await issuesUnderSyncStep(platform, connection.id, 1)]);
  await platform.kvs.delete(key);
  await linked(platform, twin, 'out', answer.initialSync, 'requester', record.initialSync ?? undefined);
  if (twin.initialSync === 'send') await requestOutgoing(platform, connection.id, twin.localIssueId, 'connect');
  return { connected: true };
}

/**
 * What every new link records beside its twin (counted in issues under sync as it was saved): its
 * statistics, its history, which says what the initial sync does.
 */
async function linked(platform: Platform, twin: Twin, direction: 'in' | 'out', agreed: ConnectWinner | undefined, weAre: ConnectWinner, asked?: ConnectWinner): Promise<void> {
  const now = platform.clock.now();
  await recordLastSync(platform, twin.connectionId, { issueKey: twin.localKey, at: now });
  const message = `Connected with ${twin.remoteKey}; ${initialSyncWords(twin.remoteKey ?? 'the other issue', agreed, weAre, asked)}`;
  await recordHistoryOfNewTwin(platform.kvs, twin, now, { direction, cause: 'connect', outcome: 'connected', message, changes: [] });
  await recordStat(platform, twin.connectionId, { created: 1 }, now);
}

/** The initial sync in words, for the issue's history on either side. */
export function initialSyncWords(remoteKey: string, agreed: ConnectWinner | undefined, weAre: ConnectWinner, asked?: ConnectWinner): string {
  if (agreed === undefined && asked !== undefined) return `no initial sync: the other side does not support choosing one, so nothing syncs until the next edit`;
  if (agreed === undefined) return 'no initial sync: nothing syncs until the next edit';
  return agreed === weAre ? `this issue's fields sent to ${remoteKey}, overwriting it` : `${remoteKey}'s fields taken, overwriting this issue's`;
}
