import { recordKind, type Storage } from '../domain/stored-record';
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

/** The admin's table and fallback; the unmatched list is kept, less the people the table now places. */
export async function savePeople(storage: Storage, connectionId: string, edit: Pick<PeopleMapping, 'fallback' | 'accounts'>): Promise<PeopleMapping> {
  const current = await readPeople(storage, connectionId);
  const placed = new Set(edit.accounts.map((a) => a.remote.accountId));
  const next = PeopleMapping.parse({ ...edit, unmatched: current.unmatched.filter((p) => !placed.has(p.accountId)) });
  await storage.kvs.set(peopleKey(connectionId), next);
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
 * The table rows and fallback for the people of this replica that the emails found here do not place, or
 * undefined when every one is placed (nothing read). `placed` holds the partner account ids an email placed.
 */
export async function peopleLookups(storage: Storage, connectionId: string, unplaced: string[]): Promise<{ lookups: PeopleLookups; mapping: PeopleMapping } | undefined> {
  if (unplaced.length === 0) return undefined;
  const mapping = await readPeople(storage, connectionId);
  const wanted = new Set(unplaced);
  const accounts: Record<string, Person> = {};
  for (const row of mapping.accounts) if (wanted.has(row.remote.accountId)) accounts[row.remote.accountId] = row.local;
  return { lookups: { fallback: mapping.fallback, accounts }, mapping };
}

/** Lists the people nothing placed for the admin; writes only when one is new or last seen over a day ago. */
export async function noteUnmatched(storage: Storage, connectionId: string, mapping: PeopleMapping, people: Person[], now: number): Promise<void> {
  if (people.length === 0) return;
  const byId = new Map(mapping.unmatched.map((p) => [p.accountId, p]));
  const mapped = new Set(mapping.accounts.map((a) => a.remote.accountId));
  let changed = false;
  for (const person of people) {
    if (mapped.has(person.accountId)) continue;
    const seen = byId.get(person.accountId);
    if (seen && now - seen.lastSeen < 24 * 60 * 60_000) continue;
    byId.set(person.accountId, { accountId: person.accountId, displayName: person.displayName, lastSeen: now });
    changed = true;
  }
  if (!changed) return;
  // Read again before writing: an admin may have saved the table since this sync read it.
  const fresh = await readPeople(storage, connectionId);
  const placed = new Set(fresh.accounts.map((a) => a.remote.accountId));
  for (const p of fresh.unmatched) if (!byId.has(p.accountId) || byId.get(p.accountId)!.lastSeen < p.lastSeen) byId.set(p.accountId, p);
  const unmatched = [...byId.values()].filter((p) => !placed.has(p.accountId)).sort((a, b) => b.lastSeen - a.lastSeen).slice(0, MAX_UNMATCHED_PEOPLE);
  await storage.kvs.set(peopleKey(connectionId), { ...fresh, unmatched });
}
