import { createHmac, timingSafeEqual } from 'node:crypto';

// Every request and every signed answer carries a timestamp and an HMAC over
// timestamp, message id and the raw body, so neither can be replayed under
// another id or changed in transit.

export const TIMESTAMP_HEADER = 'X-Sync-Timestamp';
export const SIGNATURE_HEADER = 'X-Sync-Signature';
/** How far a request's clock may be from ours. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export function sign(key: Uint8Array, timestamp: string, messageId: string, rawBody: string): string {
  return createHmac('sha256', key).update(`${timestamp}\n${messageId}\n${rawBody}`, 'utf8').digest('base64url');
}

/** Index of the key that made `signature`, or -1. Compared in constant time for every key. */
export function verify(keys: readonly Uint8Array[], timestamp: string, messageId: string, rawBody: string, signature: string): number {
  if (!/^[A-Za-z0-9_-]{43}$/.test(signature)) return -1;
  const given = Buffer.from(signature, 'base64url');
  let found = -1;
  keys.forEach((key, index) => {
    const expected = createHmac('sha256', key).update(`${timestamp}\n${messageId}\n${rawBody}`, 'utf8').digest();
    if (timingSafeEqual(expected, given) && found < 0) found = index;
  });
  return found;
}

export type FreshnessProblem = 'missing' | 'malformed' | 'stale';

/** Null when the timestamp is within the window around `now`. */
export function checkTimestamp(timestamp: string | undefined, now: number): FreshnessProblem | null {
  if (timestamp === undefined || timestamp === '') return 'missing';
  if (!/^\d{1,16}$/.test(timestamp)) return 'malformed';
  return Math.abs(now - Number(timestamp)) > TIMESTAMP_WINDOW_MS ? 'stale' : null;
}

/** Header lookup that ignores case, for both Forge's `Record<string, string[]>` and plain records. */
export function headerValue(headers: Record<string, string[] | string | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
