import type { JiraClient } from '../jira/client';
import type { NameKind } from '../domain/name-references';
import type { SiteNames } from '../rules/name-check';

// The values a site has, for holding rule names against them: one Jira read
// per kind a check needs (issue types: one per project named), nothing cached
// across calls, since publish and the drift check are there to see the site
// as it is now. Read through whichever client the caller has: at publish the
// admin's (asUser), in the daily check the app's.

/** Pages of 100 projects read at most; a site with more is judged on those (a missing key then reads as missing). */
const MAX_PROJECT_PAGES = 20;

export async function readSiteNames(jira: JiraClient, kinds: ReadonlySet<NameKind>, projectKeys: string[]): Promise<SiteNames> {
  const needsProjects = kinds.has('project') || kinds.has('issueType');
  const [projects, statuses, priorities, resolutions, fields] = await Promise.all([
    needsProjects ? allProjects(jira) : [],
    kinds.has('status') ? jira.metadata.statuses() : [],
    kinds.has('priority') ? jira.metadata.priorities() : [],
    kinds.has('resolution') ? jira.metadata.resolutions() : [],
    kinds.has('field') ? jira.metadata.fields() : [],
  ]);
  const issueTypes: Record<string, string[]> = {};
  if (kinds.has('issueType')) {
    const wanted = new Set(projectKeys.map((k) => k.toUpperCase()));
    for (const project of projects.filter((p) => wanted.has(p.key.toUpperCase()))) {
      issueTypes[project.key.toUpperCase()] = (await jira.projects.issueTypes(project.id)).map((t) => t.name);
    }
  }
  return {
    projects: projects.map((p) => p.key),
    issueTypes,
    statuses: statuses.map((s) => s.name),
    priorities: priorities.map((p) => p.name),
    resolutions: resolutions.map((r) => r.name),
    fields: fields.filter((f) => f.custom).map((f) => f.name),
  };
}

async function allProjects(jira: JiraClient): Promise<{ id: string; key: string }[]> {
  const out: { id: string; key: string }[] = [];
  for (let page = 0; page < MAX_PROJECT_PAGES; page++) {
    const answer = await jira.projects.search(out.length);
    out.push(...answer.values.map((p) => ({ id: p.id, key: p.key })));
    if (answer.isLast !== false || answer.values.length === 0) break;
  }
  return out;
}
