import { recordKind, type Storage } from '../domain/stored-record';
import type { Platform } from '../ports';
import { readStoredConnection, saveConnection } from '../connections/store';
import type { Replica, ReplicaUser } from '../domain/replica';
import { mentionIds } from './mentions';
import { MAX_UNMATCHED_PEOPLE, PeopleMapping, type Person } from '../domain/people';

export { PeopleMapping, type Person } from '../domain/people';

// A connection's People settings (src/domain/people.ts), stored. One record per connection, read
// on an incoming sync only when the replica names someone whose email found nobody here (hidden emails,
// people without an account here) or mentions someone, so a steady sync of known people never reads it.

export const peopleKey = (connectionId: string) => `people:${connectionId}`;
const peopleRecord = recordKind({ name: 'people mapping', version: 1, schema: PeopleMapping, key: peopleKey });

const EMPTY: PeopleMapping = { fallback: null, accounts: [], unmatched: [] };

export async function readPeople(storage: Storage, connectionId: string): Promise<PeopleMapping> {
  return (await peopleRecord.find(storage, connectionId)) ?? EMPTY;
}

/**
 * The admin's table and fallback; the unmatched list is kept, less the people the table now places. The
 * connection record says whether there is anything to place people by (`peopleMapped`), so a sync on a
 * connection without People settings never reads them.
 */
export async function savePeople(storage: Platform, connectionId: string, edit: Pick<PeopleMapping, 'fallback' | 'accounts'>): Promise<PeopleMapping> {
  const current = await readPeople(storage, connectionId);
  const placed = new Set(edit.accounts.map((a) => a.remote.accountId));
  const next = PeopleMapping.parse({ ...edit, unmatched: current.unmatched.filter((p) => !placed.has(p.accountId)) });
  await storage.kvs.set(peopleKey(connectionId), next);
  listedLately.delete(`${storage.installation ?? ''}:${connectionId}`);
  const connection = await readStoredConnection(storage, connectionId);
  const mapped = next.fallback !== null || next.accounts.length > 0;
  if (connection && (connection.peopleMapped === true) !== mapped) await saveConnection(storage, { ...connection, peopleMapped: mapped });
  return next;
}

/** What scripts' `nodeHelper.mapUser` and the mention rewrite read: the fallback and the table rows for the people this replica names. */
export interface PeopleLookups {
  fallback: Person | null;
  accounts: Record<string, Person>;
}

/** Every person a replica names (fields, comment and worklog authors, people fields) and every account id its rich text mentions. */
export function peopleNamedIn(replica: Partial<Pick<Replica, 'assignee' | 'reporter' | 'comments' | 'worklogs' | 'customFields' | 'description'>>): { users: ReplicaUser[]; mentioned: string[] } {
  const custom = Object.values(replica.customFields ?? {});
  const users = [
    replica.assignee,
    replica.reporter,
    ...(replica.comments ?? []).map((c) => c.author),
    ...(replica.worklogs ?? []).map((w) => w.author),
    ...custom.flatMap((f) => (f.type === 'user' && f.value ? [f.value] : f.type === 'users' ? f.value : [])),
  ].filter((u): u is ReplicaUser => !!u);
  const docs = [replica.description, ...(replica.comments ?? []).map((c) => c.body), ...(replica.worklogs ?? []).map((w) => w.comment), ...custom.map((f) => (f.type === 'richtext' ? f.value : null))];
  return { users, mentioned: [...new Set(docs.flatMap((d) => (d ? mentionIds(d) : [])))] };
}

/**
 * The table rows and fallback for the people of this replica that the emails found here do not place; none
 * read when the connection has no People settings (`mapped` false) or everyone is placed.
 */
export async function peopleLookups(storage: Storage, connectionId: string, mapped: boolean, unplaced: string[]): Promise<PeopleLookups | undefined> {
  if (unplaced.length === 0 || !mapped) return undefined;
  const mapping = await readPeople(storage, connectionId);
  const wanted = new Set(unplaced);
  const accounts: Record<string, Person> = {};
  for (const row of mapping.accounts) if (wanted.has(row.remote.accountId)) accounts[row.remote.accountId] = row.local;
  return { fallback: mapping.fallback, accounts };
}

const DAY_MS = 24 * 60 * 60_000;
/**
 * The people this container listed lately, by installation and connection (a connection's id is the same on
 * both sides): one listed within the day is not looked up again, so a steady sync of an unplaced person
 * reads nothing. Without a known installation nothing is held.
 */
const listedLately = new Map<string, Map<string, number>>();

/** Lists the people nothing placed for the admin; reads and writes only when one was not listed here within the day. */
export async function noteUnmatched(storage: Storage & { installation?: string }, connectionId: string, people: Person[], now: number): Promise<void> {
  const heldAs = `${storage.installation ?? ''}:${connectionId}`;
  const lately = storage.installation ? (listedLately.get(heldAs) ?? new Map<string, number>()) : new Map<string, number>();
  if (storage.installation) listedLately.set(heldAs, lately);
  const fresh = people.filter((p) => !(now - (lately.get(p.accountId) ?? -Infinity) < DAY_MS && now >= (lately.get(p.accountId) ?? 0)));
  if (fresh.length === 0) return;
  const mapping = await readPeople(storage, connectionId);
  const byId = new Map(mapping.unmatched.map((p) => [p.accountId, p]));
  const placed = new Set(mapping.accounts.map((a) => a.remote.accountId));
  let changed = false;
  for (const person of fresh) {
    lately.set(person.accountId, now);
    if (placed.has(person.accountId)) continue;
    const seen = byId.get(person.accountId);
    if (seen && now - seen.lastSeen < DAY_MS) continue;
    byId.set(person.accountId, { accountId: person.accountId, displayName: person.displayName, lastSeen: now });
    changed = true;
  }
  if (!changed) return;
  const unmatched = [...byId.values()].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, MAX_UNMATCHED_PEOPLE);
  await storage.kvs.set(peopleKey(connectionId), { ...mapping, unmatched });
}
