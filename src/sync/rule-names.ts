import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { NameKind, NameReference, NameWarning } from '../domain/name-references';
import type { VisualMapping } from '../domain/visual-mapping';
import type { JiraClient } from '../jira/client';
import { checkNames } from '../rules/name-check';
import { mappingNameReferences, scriptNameReferences } from '../rules/name-references';
import { getRules } from './rules-store';
import { readPartnerNames } from './partner-names';
import { readSiteNames } from './site-names';
import { getMapping, sideOf } from './visual-store';

// The names a connection's rules refer to, held against the sites' values:
// at publish (the admin's proposed scripts or mapping) and in the daily drift
// check (what is published). The partner's values: for a local connection
// (two projects of this site) this site's own; for a remote partner those it
// last sent (./partner-names.ts); before any arrived, its names are not judged.

export type ProposedRules = { scripts: { outgoing: string; incoming: string } } | { mapping: VisualMapping };

export function referencesOf(connection: ConnectionRecord, rules: ProposedRules): NameReference[] {
  if ('mapping' in rules) return mappingNameReferences(rules.mapping, sideOf(connection));
  const found = [...scriptNameReferences(rules.scripts.outgoing, 'outgoing'), ...scriptNameReferences(rules.scripts.incoming, 'incoming')];
  // Basic rules mirror types by name and fall back to the project's default type by design ("Task" is the
  // last resort of that fallback): a project without a Task type is no fault an admin could fix there.
  return connection.mode === 'basic' ? found.filter((r) => r.kind !== 'issueType') : found;
}

/** What the connection runs now, in the form its mode keeps it. */
export async function publishedRules(platform: Platform, connection: ConnectionRecord): Promise<ProposedRules> {
  if (connection.mode === 'visual') return { mapping: await getMapping(platform, connection) };
  const rules = await getRules(platform, connection);
  return { scripts: { outgoing: rules.outgoing, incoming: rules.incoming } };
}

/** Warnings for the names that do not exist, reading each kind of this site's values once through `jira`. */
export async function ruleNameWarnings(platform: Platform, connection: ConnectionRecord, rules: ProposedRules, jira: JiraClient): Promise<NameWarning[]> {
  const sameSite = connection.kind === 'local';
  // A remote partner names only the connection's project (./partner-names.ts): its other projects are not judged.
  const references = referencesOf(connection, rules).filter((r) => sameSite || !(r.side === 'partner' && r.kind === 'project'));
  if (references.length === 0) return [];
  const projectsNamed = (side: 'local' | 'partner') => references.filter((r) => r.side === side && r.kind === 'project').map((r) => r.name);
  const projects = {
    local: [connection.localProjectKey, ...projectsNamed('local')],
    partner: [...(connection.remote.projectKey ? [connection.remote.projectKey] : []), ...projectsNamed('partner')],
  };
  const remote = sameSite ? undefined : await readPartnerNames(platform, connection);
  const kinds = new Set<NameKind>(references.filter((r) => r.side === 'local' || sameSite).map((r) => r.kind));
  // For a local connection both sides are this site: one read serves both.
  const site = kinds.size === 0 ? null : await readSiteNames(jira, kinds, sameSite ? [...projects.local, ...projects.partner] : projects.local);
  const partner = sameSite ? site : (remote?.names ?? null);
  if (!site && !partner) return [];
  return checkNames(references, site, partner, projects);
}
