// Who a request acts as. `Authorization: Basic base64(email:token)` names a
// person of the site by email (any token will do); no credentials act as the
// site admin, so `curl` works out of the box; anything else names nobody.
import type { Caller } from '../contracts';
import type { Catalog } from './catalog';

export function resolveCaller(catalog: Catalog, authorization: string | null): Caller | null {
  if (authorization === null || authorization.trim() === '') {
    return { kind: 'user', accountId: catalog.site.adminAccountId };
  }
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const email = separator === -1 ? decoded : decoded.slice(0, separator);
  const user = catalog.userByEmailAddress(email);
  return user && user.active ? { kind: 'user', accountId: user.accountId } : null;
}

/** The `Authorization` header that acts as this person (the sandbox takes any token), or null for no such person. */
export function credentialsFor(catalog: Catalog, accountId: string): string | null {
  const user = catalog.user(accountId);
  if (!user?.email || !user.active) return null;
  return `Basic ${Buffer.from(`${user.email}:sandbox`, 'utf8').toString('base64')}`;
}
