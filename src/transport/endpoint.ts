import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import { APP_NAME, PROTOCOL_VERSION, type PartnerInfo, type PushReply } from '../domain/protocol';
import { Envelope } from '../domain/messages';
import { describeZodError } from '../domain/zod-error';
import { ensureInstance, exalateUrl } from '../connections/instance';
import { getConnection } from '../connections/store';
import { clearSchedule, recordContact } from './delivery-state';
import { keyringOf, notePartnerKey, type Keyring } from './keyring';
import { kick } from './kick';
import { answerPoll } from './poll';
import { receiveEnvelope } from './receive';
import { BUSY_RETRY_AFTER_SECONDS, errorResponse, jsonResponse, signedResponse } from './responses';
import { checkTimestamp, headerValue, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signing';
import { answerFromTombstone, readTombstone } from './tombstone';
import { settingsOf, WebTriggerRequest, type TransportDeps, type WebTriggerResponse } from './types';

// The partner endpoint (the web trigger behind the Exalate URL). The
// platform authenticates nothing, so every POST is verified here before it
// can touch anything: size, shape, connection, timestamp, signature.

const RETRY_AFTER_DEACTIVATED = 300;
const RETRY_AFTER_BUSY = 30;

export async function handlePartnerRequest(platform: Platform, deps: TransportDeps, rawRequest: WebTriggerRequest): Promise<WebTriggerResponse> {
  const parsedRequest = WebTriggerRequest.safeParse(rawRequest);
  if (!parsedRequest.success) return errorResponse(400, 'bad-request', 'The request could not be read.');
  const request = parsedRequest.data;
  const method = request.method.toUpperCase();
  if (method === 'GET') return describeInstance(platform, deps);
  if (method !== 'POST') return errorResponse(405, 'method-not-allowed', 'The Exalate endpoint takes GET (who are you) and POST (signed messages).', false, { Allow: ['GET, POST'] });
  const envelope = readEnvelope(request.body, settingsOf(deps).maxRequestBytes);
  if (!('messageId' in envelope)) return envelope;
  const headers = request.headers;

  if (envelope.type === 'handshake' && (envelope.body as { phase?: unknown } | null)?.phase === 'accept') {
    return deps.pairing.answerAcceptance(platform, (await deps.instance()).siteUrl, envelope, request.body, headers);
  }
  // An inviter checking that this site is the one accepting its invitation: there is no connection here yet.
  if (envelope.type === 'challenge') return deps.pairing.answerChallenge(platform, envelope, request.body, headers);

  const connection = await getConnection(platform, envelope.connectionId);
  if (!connection) {
    const tombstone = await readTombstone(platform, envelope.connectionId);
    const gone = tombstone && answerFromTombstone(tombstone, envelope, request.body, headers, platform.clock.now());
    return gone || errorResponse(404, 'unknown-connection', 'This instance has no such connection.');
  }
  const proved = await verifyPartner(platform, deps, connection, envelope, request.body, headers);
  if (!('signKey' in proved)) return proved;
  // From here the partner has proved itself.
  await redriveOnContact(platform, connection);
  return answerVerified(platform, deps, connection, envelope, proved.signKey);
}

/** The request body as an envelope, or the answer that says why it is not one. */
function readEnvelope(body: string, maxRequestBytes: number): Envelope | WebTriggerResponse {
  const size = Buffer.byteLength(body, 'utf8');
  if (size > maxRequestBytes) return errorResponse(413, 'too-large', `The request body is ${size} bytes; this endpoint reads at most ${maxRequestBytes} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return errorResponse(400, 'not-json', 'The request body is not JSON.');
  }
  const parsed = Envelope.safeParse(json);
  if (!parsed.success) return errorResponse(400, 'not-an-envelope', `The request is not a message envelope: ${describeZodError(parsed.error)}.`);
  return parsed.data;
}

/** A current timestamp and a signature with one of the connection's keys; the key to sign the answer with, or the refusal. */
async function verifyPartner(
  platform: Platform,
  deps: TransportDeps,
  connection: ConnectionRecord,
  envelope: Envelope,
  rawBody: string,
  headers: Record<string, string[]>,
): Promise<{ signKey: Uint8Array } | WebTriggerResponse> {
  const freshness = checkTimestamp(headerValue(headers, TIMESTAMP_HEADER), platform.clock.now());
  if (freshness) {
    const why = freshness === 'stale' ? 'is more than five minutes away from this instance\'s clock' : `is ${freshness}`;
    return errorResponse(401, 'bad-timestamp', `The request's ${TIMESTAMP_HEADER} ${why}.`);
  }
  const notEstablished = () => errorResponse(409, 'not-established', 'This connection is not established yet.', true, { 'Retry-After': [String(RETRY_AFTER_BUSY)] });
  const verifyWith = (keys: Keyring) => verify(keys.verify, headerValue(headers, TIMESTAMP_HEADER)!, envelope.messageId, rawBody, headerValue(headers, SIGNATURE_HEADER) ?? '');
  let keyring = await keyringOf(platform, connection.id, { warm: true });
  if (!keyring) return notEstablished();
  let keyIndex = verifyWith(keyring);
  if (keyIndex < 0 && keyring.warm) {
    // The copy of the secrets this container held may predate a rotation: check against the stored ones.
    keyring = await keyringOf(platform, connection.id);
    if (!keyring) return notEstablished();
    keyIndex = verifyWith(keyring);
  }
  if (keyIndex < 0) return errorResponse(401, 'bad-signature', 'The request signature does not verify with this connection\'s secret.');
  const role = keyring.roles[keyIndex];
  await notePartnerKey(platform, connection.id, role, settingsOf(deps).secretGraceSeconds * 1000);
  // The partner signed with the secret agreed in a rotation we answered: it is now ours to sign with too.
  return { signKey: role === 'pending' ? ((await keyringOf(platform, connection.id))?.sign ?? keyring.sign) : keyring.sign };
}

/** A verified message: a poll is exchanged, anything else received; the answer is signed. */
async function answerVerified(platform: Platform, deps: TransportDeps, connection: ConnectionRecord, envelope: Envelope, signKey: Uint8Array): Promise<WebTriggerResponse> {
  if (envelope.type === 'poll') {
    const answer = await answerPoll(platform, deps, connection, envelope);
    const retryHeaders = answer.retryAfterSeconds ? { 'Retry-After': [String(answer.retryAfterSeconds)] } : undefined;
    return signedResponse(answer.statusCode, JSON.stringify(answer.body), signKey, envelope.messageId, platform.clock.now(), retryHeaders);
  }
  const outcome = await receiveEnvelope(platform, deps, connection, envelope);
  if (outcome.status === 'ok') {
    const reply: PushReply = { messageId: envelope.messageId, outcome };
    return signedResponse(200, JSON.stringify(reply), signKey, envelope.messageId, platform.clock.now());
  }
  const retryAfter = outcome.code === 'deactivated' ? RETRY_AFTER_DEACTIVATED : outcome.code === 'busy' ? BUSY_RETRY_AFTER_SECONDS : RETRY_AFTER_BUSY;
  return signedResponse(
    outcome.retryable ? 503 : 422,
    JSON.stringify({ error: outcome.reason, code: outcome.code, retryable: outcome.retryable }),
    signKey,
    envelope.messageId,
    platform.clock.now(),
    outcome.retryable ? { 'Retry-After': [String(retryAfter)] } : undefined,
  );
}

/**
 * The partner reached us, so it is probably reachable again too: if our own
 * deliveries to it are waiting out a backoff, try now instead.
 */
async function redriveOnContact(platform: Platform, connection: ConnectionRecord): Promise<void> {
  const before = await recordContact(platform, connection.id);
  if (before.nextAttemptAt === null || before.nextAttemptAt <= platform.clock.now()) return;
  if (connection.delivery !== 'push') return;
  await clearSchedule(platform, connection.id);
  await kick(platform, connection);
}

async function describeInstance(platform: Platform, deps: TransportDeps): Promise<WebTriggerResponse> {
  const instance = await deps.instance();
  const identity = await ensureInstance(platform, instance.siteUrl);
  const info: PartnerInfo = {
    app: APP_NAME,
    protocol: PROTOCOL_VERSION,
    instanceId: identity.instanceId,
    name: identity.name,
    exalateUrl: await exalateUrl(platform),
    siteUrl: identity.siteUrl ?? instance.siteUrl,
    acceptPage: instance.acceptPageUrl,
    modes: ['basic', 'visual', 'script'],
  };
  return jsonResponse(200, info);
}
