import type { Caller, JiraSite } from '../contracts';
import { ShellJira, type User } from './jira-client';

// Who is using the shell: a seeded person picked with `?user=<accountId>`
// (remembered in a cookie scoped to the site's path), else the site admin.

export interface Actor {
  accountId: string;
  caller: Caller;
  /** The people one can switch to, for the top bar and as a fallback list of assignees. */
  people: User[];
  /** Set when `?user=` picked someone, so later requests keep acting as them. */
  setCookie: string | null;
}

export const userCookieName = 'user';

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

// The app's own account is not a person: acting as it would defeat the app's echo suppression.
const isPerson = (u: User) => u.accountType !== 'app' && u.active !== false;

export async function resolveActor(site: JiraSite, request: Request): Promise<Actor> {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get('user');
  const wanted = fromQuery ?? readCookie(request, userCookieName);
  const asAdmin = new ShellJira(site, { kind: 'user', accountId: site.adminAccountId });

  const everyone = await asAdmin.allUsers();
  const people = everyone.ok ? everyone.value.filter(isPerson) : [];
  const chosen = wanted && people.some((p) => p.accountId === wanted) ? wanted : site.adminAccountId;
  const setCookie =
    fromQuery !== null ? `${userCookieName}=${encodeURIComponent(chosen)}; Path=/${site.name}; SameSite=Lax; HttpOnly` : null;
  return { accountId: chosen, caller: { kind: 'user', accountId: chosen }, people, setCookie };
}
