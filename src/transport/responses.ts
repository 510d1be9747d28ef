import type { ErrorReply } from '../domain/protocol';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing';
import type { WebTriggerResponse } from './types';

// Web trigger answers in Forge's shape.

const JSON_TYPE = { 'Content-Type': ['application/json'] };

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string[]> = {}): WebTriggerResponse {
  return { statusCode, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/**
 * Seconds a partner is asked to wait when this side is busy (its storage over Forge's rate limit, whose
 * windows are a second and a minute, or Jira asking for a pause). Answered with code "busy", which the
 * sender takes as "later", not as a failure.
 */
export const BUSY_RETRY_AFTER_SECONDS = 10;

export function errorResponse(statusCode: number, code: string, error: string, retryable = false, headers: Record<string, string[]> = {}): WebTriggerResponse {
  return jsonResponse(statusCode, { error, code, retryable } satisfies ErrorReply, headers);
}

/** An answer the caller can trust: signed over its timestamp, the request's message id and the body. */
export function signedResponse(
  statusCode: number,
  bodyText: string,
  key: Uint8Array,
  messageId: string,
  now: number,
  headers: Record<string, string[]> = {},
): WebTriggerResponse {
  const timestamp = String(now);
  return {
    statusCode,
    headers: {
      ...JSON_TYPE,
      ...headers,
      [TIMESTAMP_HEADER]: [timestamp],
      [SIGNATURE_HEADER]: [sign(key, timestamp, messageId, bodyText)],
    },
    body: bodyText,
  };
}
