import { z } from 'zod';
import type { JiraClient } from '../jira/client';
import type { Replica, RuleLookupsInput } from '../domain/replica';
import type { AccountMap, TwinStore } from './twins';
import { recordKind, type RecordKind, type Storage } from '../domain/stored-record';

// Everything the script helpers may look up (nodeHelper, getUserByEmail,
// syncHelper), fetched before the script runs so scripts stay synchronous.
// Site metadata is cached for a few minutes; users are looked up by the
// emails the replica carries, and the answers kept on the twin (ACCOUNT_TTL_MS).

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
  replica: Replica;
  connectionId: string;
  twins: TwinStore;
  /** The twin's account mapping (absent on a first sync). */
  accounts?: AccountMap;
}): Promise<{ lookups: RuleLookupsInput; accounts: AccountMap }> {
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

  const emails = new Set<string>();
  const r = args.replica;
  for (const user of [r.assignee, r.reporter, ...(r.comments ?? []).map((c) => c.author)]) if (user?.email) emails.add(user.email.toLowerCase());
  const users: NonNullable<RuleLookupsInput['users']> = [];
  const accounts: AccountMap = {};
  for (const email of emails) {
    const known = args.accounts?.[email];
    const fresh = known && now - known.at < (known.users.length ? ACCOUNT_TTL_MS : ACCOUNT_MISS_TTL_MS) && now >= known.at;
    if (fresh) {
      accounts[email] = known;
      users.push(...known.users);
      continue;
    }
    const found = await searchUsers(jira, email);
    if (found) accounts[email] = { at: now, users: found };
    users.push(...(found ?? []));
  }

  const twinsByRemoteId: NonNullable<RuleLookupsInput['twinsByRemoteId']> = {};
  const linked = [r.parentId, ...(r.issueLinks ?? []).map((l) => l.otherIssueId)].filter((id): id is string => !!id);
  for (const remoteId of linked) {
    const twin = await args.twins.findByRemote(args.connectionId, remoteId);
    if (twin) twinsByRemoteId[remoteId] = { id: twin.localIssueId, key: twin.localKey };
  }

  return { lookups: { ...site, issueTypesByProject, users, twinsByRemoteId }, accounts };
}

/** Jira's users for exactly this email, or undefined when the search failed (then nothing is kept). */
async function searchUsers(jira: JiraClient, email: string): Promise<AccountMap[string]['users'] | undefined> {
  try {
    const found = await jira.users.search(email);
    return found
      .filter((user) => user.emailAddress?.toLowerCase() === email)
      .map((user) => ({ accountId: user.accountId, displayName: user.displayName ?? user.accountId, email: user.emailAddress, active: user.active }));
  } catch {
    return undefined;
  }
}

function categoryOf(key: string | undefined): 'new' | 'indeterminate' | 'done' | undefined {
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : undefined;
}
