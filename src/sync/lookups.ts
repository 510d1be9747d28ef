import { z } from 'zod';
import type { JiraClient } from '../jira/client';
import type { Replica, ReplicaUser, RuleLookupsInput } from '../domain/replica';
import { peopleLookups, peopleNamedIn, type PeopleMapping } from './people';
import type { AccountMap, TwinStore } from './twins';
import { recordKind, type RecordKind, type Storage } from '../domain/stored-record';

// Everything the script helpers may look up (nodeHelper, getUserByEmail,
// syncHelper), fetched before the script runs so scripts stay synchronous.
// Site metadata is cached for a few minutes. People are found with Jira's
// user search: by the emails and account ids of the people on the issue the
// script reads (the replica incoming, the local issue outgoing) and by those
// the script itself names in string literals, so a fallback such as
// nodeHelper.getUserByEmail("lead@example.com") finds any person of this site.
// What an email found is kept on the twin (ACCOUNT_TTL_MS), so a steady sync
// does not search again.

const METADATA_TTL_MS = 10 * 60_000;
/**
 * The partner's people are mapped to accounts here by email, and the mapping is kept on the twin: looked up
 * again a day after (so an account deactivated or an email changed here is seen within a day), and an email
 * with no account here an hour after (so a person added here is found within the hour). Only the emails
 * the replica carries now are kept.
 */
export const ACCOUNT_TTL_MS = 24 * 60 * 60_000;
export const ACCOUNT_MISS_TTL_MS = 60 * 60_000;

const SiteLookups = z.object({
  priorities: z.array(z.object({ id: z.string(), name: z.string() })),
  statuses: z.array(z.object({ id: z.string(), name: z.string(), category: z.enum(['new', 'indeterminate', 'done']).optional() })),
  resolutions: z.array(z.object({ id: z.string(), name: z.string() })),
});
const ProjectTypes = z.array(z.object({ id: z.string(), name: z.string(), default: z.boolean(), subtask: z.boolean() }));

/** Site metadata as last read from Jira; an unreadable copy is logged and read again. */
const siteCache = recordKind({ name: 'site lookups', version: 1, schema: z.object({ at: z.number(), value: SiteLookups }), key: () => 'meta:site' });
const typesCache = recordKind({
  name: 'project issue types',
  version: 1,
  schema: z.object({ at: z.number(), value: ProjectTypes }),
  key: (projectKey: string) => `meta:types:${projectKey}`,
});

async function cached<T, A extends unknown[]>(storage: Storage, kind: RecordKind<{ at: number; value: T }, A>, args: A, now: number, load: () => Promise<T>): Promise<T> {
  const hit = await kind.find(storage, ...args);
  if (hit && now - hit.at < METADATA_TTL_MS) return hit.value;
  const value = await load();
  await storage.kvs.set(kind.key(...args), { at: now, value });
  return value;
}

export async function prefetchLookups(args: {
  jira: JiraClient;
  storage: Storage;
  now: number;
  projectKeys: string[];
  /** The issue the script reads: the partner's replica (incoming) or the local issue (outgoing). */
  replica: Pick<Replica, 'assignee' | 'reporter' | 'comments' | 'parentId' | 'issueLinks' | 'customFields' | 'worklogs' | 'description'>;
  /** The script that will run: the people it names are looked up too. */
  script?: string;
  connectionId: string;
  twins: TwinStore;
  /** The twin's account mapping (absent on a first sync). */
  accounts?: AccountMap;
  /** Incoming only: the partner's people on this replica are placed here through the connection's account table and fallback. */
  placePartnerPeople?: boolean;
}): Promise<{ lookups: RuleLookupsInput; accounts: AccountMap; people?: PeopleMapping }> {
  const { jira, storage, now } = args;
  const site = await cached(storage, siteCache, [], now, async () => {
    const [priorities, statuses, resolutions] = await Promise.all([jira.metadata.priorities(), jira.metadata.statuses(), jira.metadata.resolutions()]);
    return {
      priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
      statuses: statuses.map((s) => ({ id: s.id ?? s.name, name: s.name, ...(categoryOf(s.statusCategory?.key) ? { category: categoryOf(s.statusCategory?.key)! } : {}) })),
      resolutions: resolutions.map((r) => ({ id: r.id, name: r.name })),
    };
  });

  const issueTypesByProject: NonNullable<RuleLookupsInput['issueTypesByProject']> = {};
  for (const projectKey of args.projectKeys) {
    issueTypesByProject[projectKey] = await cached(storage, typesCache, [projectKey], now, async () => {
      const project = await jira.projects.get(projectKey);
      const [types, defaultId] = await Promise.all([jira.projects.issueTypes(project.id), jira.projects.defaultIssueTypeId(project.id).catch(() => null)]);
      return types.map((t) => ({ id: t.id, name: t.name, default: t.id === defaultId, subtask: t.subtask ?? false }));
    });
  }

  const { users, accounts } = await findPeople(jira, args.replica, args.script ?? '', args.accounts, now);

  const twinsByRemoteId: NonNullable<RuleLookupsInput['twinsByRemoteId']> = {};
  const r = args.replica;
  const linked = [r.parentId, ...(r.issueLinks ?? []).map((l) => l.otherIssueId)].filter((id): id is string => !!id);
  for (const remoteId of linked) {
    const twin = await args.twins.findByRemote(args.connectionId, remoteId);
    if (twin) twinsByRemoteId[remoteId] = { id: twin.localIssueId, key: twin.localKey };
  }

  const placing = args.placePartnerPeople ? await placePeople(args.storage, args.connectionId, args.replica, args.script ?? '', users) : undefined;
  return { lookups: { ...site, issueTypesByProject, users, twinsByRemoteId, ...(placing && { people: placing.lookups }) }, accounts, ...(placing && { people: placing.mapping }) };
}

/**
 * The account table rows and fallback for the partner's people that no email found here: those a script
 * may map (`nodeHelper.mapUser`) and those the rich text mentions. Nothing is read when emails (or the same
 * account, found here) place everyone.
 */
async function placePeople(storage: Storage, connectionId: string, replica: Parameters<typeof prefetchLookups>[0]['replica'], script: string, found: NonNullable<RuleLookupsInput['users']>) {
  const named = peopleNamedIn(replica);
  const here = new Set(found.map((u) => u.accountId));
  const emails = new Set(found.flatMap((u) => (u.email ? [u.email.toLowerCase()] : [])));
  const placed = (user: ReplicaUser) => here.has(user.accountId) || (!!user.email && emails.has(user.email.toLowerCase()));
  const byEmail = new Set(named.users.filter(placed).map((u) => u.accountId));
  const mapped = /\bmapUser\b/.test(script) ? named.users.filter((u) => !placed(u)).map((u) => u.accountId) : [];
  const mentioned = named.mentioned.filter((id) => !here.has(id) && !byEmail.has(id));
  return peopleLookups(storage, connectionId, [...new Set([...mapped, ...mentioned])]);
}

/** Jira's users for exactly this email, or undefined when the search failed (then nothing is kept). */
async function searchUsers(jira: JiraClient, email: string): Promise<AccountMap[string]['users'] | undefined> {
  try {
    const found = await jira.users.search(email);
    return found
      .filter((user) => user.emailAddress?.toLowerCase() === email && user.accountType !== 'app')
      .map((user) => ({ accountId: user.accountId, displayName: user.displayName ?? user.accountId, email: user.emailAddress, active: user.active }));
  } catch {
    return undefined;
  }
}

function categoryOf(key: string | undefined): 'new' | 'indeterminate' | 'done' | undefined {
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : undefined;
}

const EMAIL_LITERAL = /["'`]([^"'`\s@]+@[^"'`\s@]+\.[^"'`\s@]+)["'`]/g;
const ACCOUNT_ID_LITERAL = /["'`]((?:\d{6}:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24})["'`]/g;
/** More than this many people named in one run is a script listing a directory: the rest are not looked up. */
const MAX_PEOPLE = 50;

/** The people a script may ask for, each found once with Jira's user search (active or not; Jira decides who is visible).
 *  Emails go through the twin's account map: an answer younger than its TTL is reused, a failed search is not kept. */
async function findPeople(
  jira: JiraClient,
  issue: Parameters<typeof prefetchLookups>[0]['replica'],
  script: string,
  known: AccountMap | undefined,
  now: number,
): Promise<{ users: NonNullable<RuleLookupsInput['users']>; accounts: AccountMap }> {
  const emails = new Set<string>();
  const accountIds = new Set<string>();
  const customUsers = Object.values(issue.customFields ?? {}).flatMap((f) => (f.type === 'user' && f.value ? [f.value] : f.type === 'users' ? f.value : []));
  for (const user of [issue.assignee, issue.reporter, ...(issue.comments ?? []).map((c) => c.author), ...customUsers]) {
    if (user?.email) emails.add(user.email.toLowerCase());
    // Only a script that asks by account id pays for those look-ups.
    if (user?.accountId && script.includes('getUserByAccountId')) accountIds.add(user.accountId);
  }
  for (const m of script.matchAll(EMAIL_LITERAL)) emails.add(m[1]!.toLowerCase());
  for (const m of script.matchAll(ACCOUNT_ID_LITERAL)) accountIds.add(m[1]!);

  const found = new Map<string, NonNullable<RuleLookupsInput['users']>[number]>();
  const accounts: AccountMap = {};
  let asked = 0;
  for (const email of emails) {
    const kept = known?.[email];
    if (kept && now >= kept.at && now - kept.at < (kept.users.length ? ACCOUNT_TTL_MS : ACCOUNT_MISS_TTL_MS)) {
      accounts[email] = kept;
      for (const user of kept.users) found.set(user.accountId, user);
      continue;
    }
    if (asked++ >= MAX_PEOPLE) break;
    const users = await searchUsers(jira, email);
    if (!users) continue;
    accounts[email] = { at: now, users };
    for (const user of users) found.set(user.accountId, user);
  }
  for (const accountId of accountIds) {
    if (found.has(accountId)) continue;
    if (asked++ >= MAX_PEOPLE) break;
    // Account ids are the same person on every site; one not on this site is simply not found.
    const user = await jira.users.get(accountId).catch(() => undefined);
    if (user && user.accountType !== 'app') found.set(user.accountId, { accountId: user.accountId, displayName: user.displayName ?? user.accountId, email: user.emailAddress, active: user.active });
  }
  return { users: [...found.values()], accounts };
}
