import { AppError } from '../domain/errors';
import type { PartnerInfo } from '../domain/protocol';
import { siteOf } from '../domain/site-url';

// Which Jira site a new invitation code is bound to. A public destination
// says which site it belongs to when the wizard looks it up; a private
// partner cannot be looked up, so the admin names its site. Either way the
// code then works on that site only.

const EXAMPLE = 'https://acme.atlassian.net';

/** The admin's `partnerSiteUrl`, spelled by `siteOf`; null when none was given. Refuses what is not a web address. */
export function parsePartnerSite(given: string | null): string | null {
  if (given === null) return null;
  const site = siteOf(given);
  if (!site) {
    throw new AppError('BadInput', `partnerSiteUrl: "${given}" is not a web address. Paste your partner's Jira site address, such as ${EXAMPLE}.`);
  }
  return site;
}

/**
 * The site the code is made for. `given` is the admin's (already parsed),
 * `partner` what a public destination answered, `ownSite` this site.
 */
export function bindPartnerSite(given: string | null, partner: { destinationUrl: string; info: PartnerInfo } | null, ownSite: string | null): string {
  if (partner) {
    const answered = siteOf(partner.info.siteUrl);
    if (!answered) {
      throw new AppError('BadInput', `${partner.destinationUrl} does not say which Jira site it belongs to ("${partner.info.siteUrl}"), so no invitation can be bound to it.`);
    }
    if (given !== null && given !== answered) {
      throw new AppError(
        'BadInput',
        `partnerSiteUrl: the destination ${partner.destinationUrl} belongs to the Jira site ${answered}, not ${given}. Check the partner's site address, or leave it empty to use ${answered}.`,
      );
    }
    return answered;
  }
  if (given === null) {
    throw new AppError(
      'BadInput',
      `partnerSiteUrl: without a destination URL, the invitation code works only on the partner's Jira site: enter its address, such as ${EXAMPLE}.`,
    );
  }
  if (given === siteOf(ownSite)) {
    throw new AppError(
      'BadInput',
      `partnerSiteUrl: ${given} is this site. Enter your partner's Jira site; to connect two projects of this site, enter this site's own URL as the destination instead.`,
    );
  }
  return given;
}
