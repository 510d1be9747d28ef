import { KIND_WORDS, type NameKind, type NameReference, type NameWarning, type SiteNames } from '../domain/name-references';

// Holds the names a rule set refers to against the values a site really has.
// Jira matches these names without regard to case (so do the script helpers),
// so a name differing only in case is not a warning.

export type { SiteNames };

const WHERE = { local: 'on this site', partner: 'on the partner’s site' } as const;

/**
 * Warnings for the names that do not exist. `partner` is the other side's
 * values where this side knows them; where it does not, partner names are not
 * judged (a warning that cannot be true is worse than none). `local` is null
 * when no local name is referred to.
 */
export function checkNames(references: NameReference[], local: SiteNames | null, partner: SiteNames | null, projectsOf: { local: string[]; partner: string[] }): NameWarning[] {
  const warnings: NameWarning[] = [];
  const seen = new Set<string>();
  for (const ref of references) {
    const site = ref.side === 'local' ? local : partner;
    if (!site) continue;
    const known = valuesOf(site, ref.kind, ref.side === 'local' ? projectsOf.local : projectsOf.partner);
    if (!known || known.some((v) => v.toLowerCase() === ref.name.toLowerCase())) continue;
    // One warning per name and line: a map value written twice on one line says it once.
    const id = `${ref.script}:${ref.line}:${ref.kind}:${ref.side}:${ref.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const suggestion = closest(ref.name, known);
    const message = `No ${KIND_WORDS[ref.kind]} "${ref.name}" ${WHERE[ref.side]}${suggestion ? `; did you mean "${suggestion}"?` : '.'}`;
    warnings.push({ ...ref, message, ...(suggestion ? { suggestion } : {}) });
  }
  return warnings;
}

/** The values of `kind`; undefined where the site's names do not say (issue types of projects it did not read). */
function valuesOf(site: SiteNames, kind: NameKind, projects: string[]): string[] | undefined {
  switch (kind) {
    case 'project': return site.projects;
    case 'issueType': {
      const read = projects.map((p) => site.issueTypes[p.toUpperCase()]).filter((types) => types !== undefined);
      return read.length ? [...new Set(read.flat())] : undefined;
    }
    case 'status': return site.statuses;
    case 'priority': return site.priorities;
    case 'resolution': return site.resolutions;
    case 'field': return site.fields;
  }
}

/** The existing name nearest to `name`, if near enough to be a typo or a rename (edit distance ≤ a third of its length, at least 2). */
export function closest(name: string, candidates: string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: { value: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const value = candidate.toLowerCase();
    const distance = value.includes(wanted) || wanted.includes(value) ? Math.abs(value.length - wanted.length) : editDistance(wanted, value);
    if (!best || distance < best.distance) best = { value: candidate, distance };
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best && best.distance <= limit ? best.value : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
