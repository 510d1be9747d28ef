// A Jira site named by a URL, in one spelling, so "the site this code was made
// for" and "the site that accepts it" can be compared however each was
// written: what the platform reports on one side, what an admin pasted on the
// other.

/** Jira Cloud sites live at the root of their own host, so any page of one names the site. */
const ROOT_SITE_HOSTS = /\.(atlassian\.net|jira\.com|jira-dev\.com)$/;

/**
 * The site a URL belongs to: scheme and host in lower case, no default port,
 * no query, fragment or trailing slash; null when it is not an http(s) URL.
 * A Jira Cloud host keeps no path (`https://acme.atlassian.net/jira/your-work`
 * is the site `https://acme.atlassian.net`). Other hosts keep theirs, because
 * sites can share a host under different paths: the local runtime serves
 * `http://localhost:8080/blue` and `http://localhost:8080/green`.
 */
export function siteOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname) return null;
  const host = parsed.host.toLowerCase();
  const path = ROOT_SITE_HOSTS.test(parsed.hostname.toLowerCase()) ? '' : parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${host}${path}`;
}

/** Whether two URLs name the same site; a URL that names no site matches nothing. */
export function sameSite(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = siteOf(a);
  return left !== null && left === siteOf(b);
}

/** The words the acceptor, the inviter and the accept dialog all use when a code reaches a site it was not made for. */
export function madeForAnotherSiteMessage(madeFor: string, thisSite: string): string {
  return `This invitation was made for ${madeFor}; this site is ${thisSite}. Ask your partner for a code made for this site.`;
}
