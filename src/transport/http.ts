import type { HttpResponse, Platform } from '../ports';
import { ErrorReply, PartnerInfo } from '../domain/protocol';
import type { Envelope } from '../domain/messages';
import { callPartner } from './partner-call';
import { headerValue, sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signing';

// Calling a partner's web trigger: sign the envelope, send it, and sort the
// answer into taken (signed by the partner), refused (with whether to retry
// and when) or unreachable. The call itself (URL check, deadline) is
// partner-call.ts, the one way out to a partner.

export type PartnerReply =
  | { kind: 'answered'; status: number; body: unknown; text: string; keyIndex: number }
  | {
      kind: 'refused';
      status: number;
      code: string;
      reason: string;
      retryable: boolean;
      retryAfterSeconds?: number;
      /** The answer carries a valid signature: the partner itself said this. */
      signed: boolean;
      /** A signed 410: the partner deleted this connection and says so with the shared secret. */
      goneSigned: boolean;
    }
  | { kind: 'unreachable'; reason: string };

export interface SigningKeys {
  sign: Uint8Array;
  /** Keys the partner's answer may be signed with; a function when they depend on the answer (the handshake). */
  verify: readonly Uint8Array[] | ((answerText: string) => readonly Uint8Array[]);
}

function retryAfterSeconds(response: HttpResponse, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function headersRecord(response: HttpResponse): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

export async function postEnvelope(platform: Platform, url: string, envelope: Envelope, keys: SigningKeys): Promise<PartnerReply> {
  const raw = JSON.stringify(envelope);
  const timestamp = String(platform.clock.now());
  const call = await callPartner(
    platform,
    url,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(keys.sign, timestamp, envelope.messageId, raw),
      },
      body: raw,
    },
    'exchange',
  );
  if (call.kind === 'unreachable') return { kind: 'unreachable', reason: call.reason };
  if (call.kind === 'refused-url') {
    // Nothing was sent; retrying cannot help until the connection (or the code) names an https URL.
    return { kind: 'refused', status: 0, code: 'partner-url-refused', reason: call.reason, retryable: false, signed: false, goneSigned: false };
  }
  return sortAnswer(platform, call.response, call.text, envelope.messageId, keys);
}

/** The partner's answer to one message: taken (only when signed), or refused with whether and when to try again. */
function sortAnswer(platform: Platform, response: HttpResponse, text: string, messageId: string, keys: SigningKeys): PartnerReply {
  const headers = headersRecord(response);
  const answerTimestamp = headerValue(headers, TIMESTAMP_HEADER);
  const answerSignature = headerValue(headers, SIGNATURE_HEADER);
  const verifyKeys = typeof keys.verify === 'function' ? keys.verify(text) : keys.verify;
  const keyIndex = answerTimestamp && answerSignature ? verify(verifyKeys, answerTimestamp, messageId, text, answerSignature) : -1;

  if (response.status >= 200 && response.status < 300) {
    if (keyIndex < 0) {
      return {
        kind: 'refused',
        status: response.status,
        code: 'unverified-answer',
        reason: 'The partner answered without a valid signature; the answer was ignored.',
        retryable: true,
        signed: false,
        goneSigned: false,
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'refused', status: response.status, code: 'unreadable-answer', reason: 'The partner answered with something that is not JSON.', retryable: true, signed: true, goneSigned: false };
    }
    return { kind: 'answered', status: response.status, body, text, keyIndex };
  }
  return refusal(platform, response, text, keyIndex >= 0);
}

/** A non-2xx answer: our error shape when the partner sent one, else the status alone decides. */
function refusal(platform: Platform, response: HttpResponse, text: string, signed: boolean): PartnerReply {
  let error: ErrorReply | undefined;
  try {
    const parsed = ErrorReply.safeParse(JSON.parse(text));
    if (parsed.success) error = parsed.data;
  } catch {
    // Not our error shape (a proxy or a platform page): the status alone decides.
  }
  const status = response.status;
  return {
    kind: 'refused',
    status,
    code: error?.code ?? `http-${status}`,
    reason: error?.error ?? `The partner answered HTTP ${status}.`,
    retryable: status === 429 || status >= 500 || error?.retryable === true,
    retryAfterSeconds: retryAfterSeconds(response, platform.clock.now()),
    signed,
    goneSigned: status === 410 && signed,
  };
}

/** Asks a URL who it is. Unsigned: it only helps an admin set up a connection. */
export async function fetchPartnerInfo(platform: Platform, url: string): Promise<{ ok: true; info: PartnerInfo } | { ok: false; reason: string }> {
  const call = await callPartner(platform, url, { method: 'GET', headers: { Accept: 'application/json' } }, 'describe');
  if (call.kind === 'refused-url') return { ok: false, reason: call.reason };
  if (call.kind === 'unreachable') return { ok: false, reason: `no answer (${call.reason})` };
  const { response, text } = call;
  if (response.status !== 200) return { ok: false, reason: `it answered HTTP ${response.status}` };
  try {
    const parsed = PartnerInfo.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, info: parsed.data };
  } catch {
    // fall through
  }
  return { ok: false, reason: 'its answer is not an Exalate instance description' };
}
