import type { RuleLookups, RuleLookupsInput } from '../domain/replica';

/** Fills the lookups the engine left out. The engine builds these from typed
 *  Jira reads, so only the defaults are applied here, not a full parse: the
 *  lists can be long and this runs on every sync. */
export function normalizeLookups(lookups: RuleLookupsInput | undefined): RuleLookups {
  return {
    issueTypesByProject: lookups?.issueTypesByProject ?? {},
    priorities: lookups?.priorities ?? [],
    statuses: lookups?.statuses ?? [],
    resolutions: lookups?.resolutions ?? [],
    users: lookups?.users ?? [],
    people: lookups?.people ?? { fallback: null, accounts: {} },
    twinsByRemoteId: lookups?.twinsByRemoteId ?? {},
  };
}
