import type { JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';

// Components and fix versions travel by name (ids differ per site). A name the
// project here lacks is created when the connection allows it (the app needs
// Administer Projects for that), else left out with a warning, like a refused
// value; the rest of the list is written.

export type ProjectItemKind = 'components' | 'fixVersions';

const noun = (kind: ProjectItemKind) => (kind === 'components' ? 'Component' : 'Fix version');

/** The names of `wanted` the project has (or now has); the others come back as warnings. */
export async function availableItems(jira: JiraClient, projectKey: string, kind: ProjectItemKind, wanted: string[], createMissing: boolean): Promise<{ names: string[]; warnings: string[] }> {
  const list = kind === 'components' ? await jira.projectItems.components(projectKey) : await jira.projectItems.versions(projectKey);
  const known = new Set(list.map((item) => item.name));
  const names: string[] = [];
  const warnings: string[] = [];
  for (const name of wanted) {
    if (known.has(name)) {
      names.push(name);
      continue;
    }
    if (!createMissing) {
      warnings.push(`${noun(kind)} "${name}" does not exist in project ${projectKey}; it was not set. Create it, or allow the connection to create missing values.`);
      continue;
    }
    try {
      if (kind === 'components') await jira.projectItems.createComponent(projectKey, name);
      else await jira.projectItems.createVersion(projectKey, name);
      known.add(name);
      names.push(name);
    } catch (e) {
      if (!isJiraError(e) || e.transient) throw e;
      warnings.push(`${noun(kind)} "${name}" does not exist in project ${projectKey} and Jira refused to create it (${e.message}); it was not set.`);
    }
  }
  return { names, warnings };
}

/**
 * The desired issue with only the components and fix versions the project has (or now has); Jira is asked only
 * when a list differs from the (`current`, null for a new issue).
 */
export async function withAvailableItems<T extends { components?: string[]; fixVersions?: string[] }>(
  jira: JiraClient,
  projectKey: string,
  desired: T,
  current: { components: string[]; fixVersions: string[] } | null,
  createMissing: boolean,
): Promise<{ desired: T; warnings: string[] }> {
  const out = { ...desired };
  const warnings: string[] = [];
  for (const kind of ['components', 'fixVersions'] as const) {
    const wanted = desired[kind];
    if (wanted === undefined || sameNames(wanted, current?.[kind] ?? [])) continue;
    const available = await availableItems(jira, projectKey, kind, wanted, createMissing);
    out[kind] = available.names;
    warnings.push(...available.warnings);
  }
  return { desired: out, warnings };
}

export const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
