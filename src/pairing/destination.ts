import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import type { PartnerInfo } from '../domain/protocol';
import { siteOf } from '../domain/site-url';
import { fetchPartnerInfo } from '../transport/http';
import { checkPartnerUrl, partnerSiteProblem } from '../transport/partner-url';
import { exalateUrl, readInstance, sameUrl } from '../connections/instance';

// What the destination an admin pasted into the Initiate wizard is: the
// partner's Exalate URL (a web trigger that describes itself and names its
// site), the partner's Jira site (what an admin actually knows), or this
// instance. A Jira site cannot be asked for its Exalate URL: web trigger
// URLs are not derived from the site, and the app may not call Jira sites
// (the manifest's egress lists web trigger hosts only). So a site URL binds
// the invitation to that site, and the partner's Exalate URL arrives with
// the acceptance, where the inviter confirms it with a challenge before it
// is ever called (handshake.ts).

export type Destination =
  | { kind: 'this-instance'; siteUrl: string | null }
  | { kind: 'endpoint'; exalateUrl: string; siteUrl: string; info: PartnerInfo }
  | { kind: 'site'; siteUrl: string };

export const SITE_EXAMPLE = 'https://acme.atlassian.net';

/** What to paste, said with every refusal. */
export const WHAT_TO_PASTE = `Paste your partner's Jira site address, such as ${SITE_EXAMPLE}, or the Exalate URL shown on the Settings page of their Exalate.`;

/** Jira Cloud sites live on these hosts, at the root; nothing else there is a web trigger. */
const JIRA_CLOUD_HOST = /\.(atlassian\.net|jira\.com|jira-dev\.com)$/i;

const refuse = (message: string) => new AppError('BadInput', `destinationUrl: ${message}`);

/** Without calling anything: whether `url` names a Jira site rather than an Exalate URL. */
export function namesJiraSite(url: string, platform: Pick<Platform, 'partnerUrls'>): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:' && JIRA_CLOUD_HOST.test(parsed.hostname)) return true;
  // In a sandbox: one of its sites, but not one of its web triggers.
  const policy = platform.partnerUrls;
  return Boolean(policy && !policy.isSandboxLoopback(url) && policy.isSandboxSite?.(url));
}

/** Reads the destination an admin pasted, or refuses it with a message that says what to paste. */
export async function resolveDestination(platform: Platform, url: string, siteUrl: string | undefined): Promise<Destination> {
  const text = url.trim();
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw refuse(`"${text}" is not a web address. ${WHAT_TO_PASTE}`);
  }
  const identity = await readInstance(platform);
  const ownSite = siteOf(siteUrl) ?? siteOf(identity?.siteUrl);
  const ownUrl = await exalateUrl(platform);
  if (sameUrl(text, ownUrl) || (ownSite !== null && siteOf(text) === ownSite)) return { kind: 'this-instance', siteUrl: ownSite };

  if (namesJiraSite(text, platform)) {
    const site = siteOf(text)!;
    const problem = partnerSiteProblem(site, platform.partnerUrls);
    if (problem) throw refuse(`${problem} ${WHAT_TO_PASTE}`);
    return { kind: 'site', siteUrl: site };
  }

  const allowed = checkPartnerUrl(text, platform.partnerUrls);
  if (!allowed.ok) throw refuse(`${allowed.reason} ${WHAT_TO_PASTE}`);
  const answer = await fetchPartnerInfo(platform, text);
  if (!answer.ok) throw new AppError('BadInput', `${text} does not answer as an Exalate instance (${answer.reason}). ${WHAT_TO_PASTE}`);
  if (answer.info.instanceId === identity?.instanceId) return { kind: 'this-instance', siteUrl: ownSite };
  const site = siteOf(answer.info.siteUrl);
  if (!site) throw refuse(`${text} does not say which Jira site it belongs to ("${answer.info.siteUrl}"), so no invitation can be bound to it.`);
  return { kind: 'endpoint', exalateUrl: answer.info.exalateUrl, siteUrl: site, info: answer.info };
}
