// People as Jira Cloud shows them. A person who hides their email has no
// `emailAddress` at all in user objects.
import type { UserRecord } from '../catalog';
import { api, type ViewContext } from './context';

export function avatarUrls(ctx: ViewContext, kind: string, id: string): Record<string, string> {
  const url = (size: number): string => `${ctx.baseUrl}/avatar/${kind}/${encodeURIComponent(id)}?size=${size}`;
  return { '48x48': url(48), '24x24': url(24), '16x16': url(16), '32x32': url(32) };
}

/** `UserDetails`: the user objects inside issues, comments and changelogs. */
export function userDetails(ctx: ViewContext, accountId: string): Record<string, unknown> {
  const user = ctx.catalog.user(accountId);
  if (!user) {
    // Someone no longer on the site: Jira still answers, as a former user.
    return {
      self: api(ctx, `/user?accountId=${encodeURIComponent(accountId)}`),
      accountId,
      displayName: 'Former user',
      active: false,
      accountType: 'unknown',
      avatarUrls: avatarUrls(ctx, 'user', accountId),
      timeZone: 'Etc/UTC',
    };
  }
  return {
    self: api(ctx, `/user?accountId=${encodeURIComponent(user.accountId)}`),
    accountId: user.accountId,
    ...(user.email && user.emailVisible ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(ctx, 'user', user.accountId),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    accountType: user.accountType,
  };
}

export function optionalUserDetails(ctx: ViewContext, accountId: string | null): Record<string, unknown> | null {
  return accountId === null ? null : userDetails(ctx, accountId);
}

/** `User`: what `/myself`, `/user` and `/user/search` answer. */
export function userBean(ctx: ViewContext, user: UserRecord): Record<string, unknown> {
  return {
    ...userDetails(ctx, user.accountId),
    locale: 'en_US',
    groups: { size: user.siteAdmin ? 2 : 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  };
}
