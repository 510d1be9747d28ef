// Runs a JQL query over the site's issues with the JQL engine, and pages the
// matches with opaque `nextPageToken`s as `/search/jql` does.
//
// Searches see what the caller may browse and nothing else: issues in other
// projects are left out silently, and a query naming a project or an issue
// key the caller cannot see is refused as if it did not exist, as Jira does.
import { createHash } from 'node:crypto';
import type { Caller, JqlIssueRecord } from '../../contracts';
import { compileJqlSearch, type JqlCompileContext } from '../jql';
import type { Access } from '../permissions/access';
import type { SiteState } from '../state';

export type SearchOutcome =
  | { ok: true; matches: JqlIssueRecord[] }
  | { ok: false; errorMessages: string[] };

/** Who is asking and what the site holds, so the engine can check names as Jira does. */
export function jqlContext(state: SiteState, access: Access, caller: Caller): JqlCompileContext {
  const { catalog } = state;
  const named = (list: { id: string; name: string }[]) => list.map(({ id, name }) => ({ id, name }));
  return {
    customFields: catalog.customFields.map((f) => ({
      id: f.id, name: f.name, kind: f.kind,
      options: f.contexts.flatMap((c) => c.options.map((o) => ({ value: o.value }))),
    })),
    statuses: named(catalog.statuses),
    // Versions and components of the projects the caller may browse: others do not exist for them.
    versions: catalog.projects.filter((p) => access.canBrowse(p)).flatMap((p) =>
      state.stores.versions.forProject(p.id).map((v) => ({ id: String(v.id), name: v.name }))),
    components: catalog.projects.filter((p) => access.canBrowse(p)).flatMap((p) =>
      state.stores.components.forProject(p.id).map((c) => ({ id: String(c.id), name: c.name }))),
    issueTypes: named(catalog.issueTypes),
    priorities: named(catalog.priorities),
    resolutions: named(catalog.resolutions),
    issueExists: (key: string) => access.issue(key) !== undefined,
    currentAccountId: caller.kind === 'app' ? null : access.accountId,
    now: state.clock.now(),
    resolveUsers(reference: string): string[] {
      const ref = reference.toLowerCase();
      return catalog.users
        .filter((u) => u.accountId === reference || u.email?.toLowerCase() === ref || u.displayName.toLowerCase() === ref)
        .map((u) => u.accountId);
    },
    projectExists(reference: string): boolean {
      const named = catalog.project(reference) ?? catalog.projects.find((p) => p.name.toLowerCase() === reference.toLowerCase());
      return named !== undefined && access.canBrowse(named);
    },
  };
}

/** Every issue the query matches, in the query's order. */
export function search(state: SiteState, jql: string, access: Access, caller: Caller): SearchOutcome {
  // The search flavour also refuses unbounded queries (no restriction), as Jira Cloud does.
  const compiled = compileJqlSearch(jql, jqlContext(state, access, caller));
  if (!compiled.ok) return { ok: false, errorMessages: compiled.errorMessages };
  let candidates: JqlIssueRecord[];
  if (compiled.pinnedKeys) {
    candidates = compiled.pinnedKeys.flatMap((ref) => {
      const issue = access.issue(ref);
      const record = issue && state.records.get(issue.id);
      return record ? [record] : [];
    });
    candidates = [...new Map(candidates.map((r) => [r.id, r])).values()];
  } else {
    candidates = state.records.all().filter((record) => access.canSee(record));
  }
  // A write the index has not taken yet is not found at all (for a new issue as on Jira; for an
  // edited one Jira would still find its old values: leaving it out is the stricter of the two).
  const visibleAt = state.searchVisibleAt;
  if (visibleAt) candidates = candidates.filter((record) => visibleAt(record.id, record.updated) <= state.clock.now());
  const matches = candidates.filter((record) => compiled.matches(record));
  matches.sort((a, b) => compiled.compare(a, b));
  return { ok: true, matches };
}

/** Page tokens carry the offset and a fingerprint of the query they belong to. */
export function pageToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint(jql) })).toString('base64url');
}

export function readPageToken(jql: string, token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) return undefined;
    return parsed.q === fingerprint(jql) ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

function fingerprint(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 16);
}
