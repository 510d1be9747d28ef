import type { PartnerUrlPolicy } from '../ports';

// Which URLs the app may call a partner at. Partners are Forge web triggers,
// served over https only, and Forge's egress refuses plain http anyway; an
// http URL in a connection or an invitation code is therefore either a
// mistake or someone steering our calls. The one exception is a sandbox's
// own sites (the local runtime serves its web triggers on http://localhost),
// and only the platform can say which those are.

export type PartnerUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Pure: whether `url` may be called as a partner, with a message an admin can act on when not. The
 * transport checks every partner call with it; the connection wizard calls it early to say so at once.
 */
export function checkPartnerUrl(url: string, policy?: PartnerUrlPolicy): PartnerUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `"${url}" is not a URL; a partner's Exalate URL looks like https://….` };
  }
  if (parsed.protocol === 'https:') return { ok: true, url: parsed };
  if (parsed.protocol === 'http:') {
    if (policy?.isSandboxLoopback(url)) return { ok: true, url: parsed };
    return { ok: false, reason: `The partner URL ${url} uses plain http; partners are only called over https (an Exalate URL starts with https://).` };
  }
  return { ok: false, reason: `The partner URL ${url} is not an https:// address.` };
}

/**
 * A partner's Jira site address (an invitation is bound to it): https, or one of the sandbox's own sites.
 * Null when fine, else the reason in words.
 */
export function partnerSiteProblem(siteUrl: string, policy?: PartnerUrlPolicy): string | null {
  if (!URL.canParse(siteUrl)) return `"${siteUrl}" is not a web address; a Jira site looks like https://acme.atlassian.net.`;
  const protocol = new URL(siteUrl).protocol;
  if (protocol === 'https:') return null;
  if (protocol === 'http:' && policy?.isSandboxSite?.(siteUrl)) return null;
  return `The Jira site ${siteUrl} is not an https:// address; Jira Cloud sites are always https.`;
}
