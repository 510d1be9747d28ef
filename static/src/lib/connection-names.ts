// Defaults the Initiate connection wizard proposes: short names for both
// sides and the connection name `Local_to_Remote` built from them.
import type { ConnectionKind } from '../schemas';

export const SHORT_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export function defaultConnectionName(localName: string, remoteName: string): string {
  const local = localName.trim();
  const remote = remoteName.trim();
  if (!local && !remote) return '';
  return `${local}_to_${remote}`;
}

/** A short name from free text: letters, digits, `-` and `_` only. */
export function toShortName(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .slice(0, 40);
}

/**
 * A short name for the destination, read from the URL an admin pasted:
 * `https://acme.atlassian.net` → `acme`; the local runtime's
 * `http://localhost:8080/green/...` → `green`.
 */
export function shortNameFromUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return '';
  }
  const host = parsed.hostname;
  const isLocalHost = host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
  if (isLocalHost) {
    const first = parsed.pathname.split('/').find((segment) => segment.length > 0);
    return first ? toShortName(first) : toShortName(host);
  }
  return toShortName(host.split('.')[0] ?? '');
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function comparable(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/**
 * Entering this instance's own site or Exalate URL makes a local connection
 * between two of its projects; no URL makes a private one.
 */
export function connectionKindFor(
  destinationUrl: string | null,
  own: { siteUrl: string; exalateUrl: string } | null,
): ConnectionKind {
  if (destinationUrl === null) return 'private';
  if (own) {
    const target = comparable(destinationUrl);
    if (target === comparable(own.siteUrl) || target === comparable(own.exalateUrl)) return 'local';
  }
  return 'public';
}
