import type { Kvs } from '../ports';
import type { JiraClient } from '../jira/client';
import type { Replica, RuleLookupsInput } from '../domain/replica';
import type { TwinStore } from './twins';

// Everything the script helpers may look up (nodeHelper, getUserByEmail,
// syncHelper), fetched before the script runs so scripts stay synchronous.
// Site metadata is cached for a few minutes; users are looked up by the
// emails the replica carries.

const METADATA_TTL_MS = 10 * 60_000;

async function cached<T>(kvs: Kvs, key: string, now: number, load: () => Promise<T>): Promise<T> {
  const hit = await kvs.get<{ at: number; value: T }>(key);
  if (hit && now - hit.at < METADATA_TTL_MS) return hit.value;
  const value = await load();
  await kvs.set(key, { at: now, value });
  return value;
}

export async function prefetchLookups(args: {
  jira: JiraClient;
  kvs: Kvs;
  now: number;
  projectKeys: string[];
  replica: Replica;
  connectionId: string;
  twins: TwinStore;
}): Promise<RuleLookupsInput> {
  const { jira, kvs, now } = args;
  const site = await cached(kvs, 'meta:site', now, async () => {
    const [priorities, statuses, resolutions] = await Promise.all([jira.metadata.priorities(), jira.metadata.statuses(), jira.metadata.resolutions()]);
    return {
      priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
      statuses: statuses.map((s) => ({ id: s.id ?? s.name, name: s.name, ...(categoryOf(s.statusCategory?.key) ? { category: categoryOf(s.statusCategory?.key)! } : {}) })),
      resolutions: resolutions.map((r) => ({ id: r.id, name: r.name })),
    };
  });

  const issueTypesByProject: NonNullable<RuleLookupsInput['issueTypesByProject']> = {};
  for (const projectKey of args.projectKeys) {
    issueTypesByProject[projectKey] = await cached(kvs, `meta:types:${projectKey}`, now, async () => {
      const project = await jira.projects.get(projectKey);
      const [types, defaultId] = await Promise.all([jira.projects.issueTypes(project.id), jira.projects.defaultIssueTypeId(project.id).catch(() => null)]);
      return types.map((t) => ({ id: t.id, name: t.name, default: t.id === defaultId, subtask: t.subtask ?? false }));
    });
  }

  const emails = new Set<string>();
  const r = args.replica;
  for (const user of [r.assignee, r.reporter, ...(r.comments ?? []).map((c) => c.author)]) if (user?.email) emails.add(user.email.toLowerCase());
  const users: NonNullable<RuleLookupsInput['users']> = [];
  for (const email of emails) {
    for (const user of await jira.users.search(email).catch(() => [])) {
      if (user.emailAddress?.toLowerCase() === email) users.push({ accountId: user.accountId, displayName: user.displayName ?? user.accountId, email: user.emailAddress, active: user.active });
    }
  }

  const twinsByRemoteId: NonNullable<RuleLookupsInput['twinsByRemoteId']> = {};
  const linked = [r.parentId, ...(r.issueLinks ?? []).map((l) => l.otherIssueId)].filter((id): id is string => !!id);
  for (const remoteId of linked) {
    const twin = await args.twins.findByRemote(args.connectionId, remoteId);
    if (twin) twinsByRemoteId[remoteId] = { id: twin.localIssueId, key: twin.localKey };
  }

  return { ...site, issueTypesByProject, users, twinsByRemoteId };
}

function categoryOf(key: string | undefined): 'new' | 'indeterminate' | 'done' | undefined {
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : undefined;
}
