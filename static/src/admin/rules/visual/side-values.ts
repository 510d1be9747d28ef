// What each side's pickers offer. This side's values come from its Jira,
// read as the admin (getJiraValues); so do the other side's when it is a
// project of this site (a local connection). A partner site's values are the
// names it last reported (getMapping's partnerValues, `partial`): offered, and
// any typed text taken too, since they may be a day old. Before it reported,
// its pickers take what the admin types, as the partner's Jira names it, and
// offer what the mapping already uses.
import { useEffect, useState } from 'react';
import { api } from '../../../api';
import type { FieldMapping, JiraValues, VisualSide } from '../../../schemas';

export type SideValues = Record<VisualSide, JiraValues | null>;

export interface Choice {
  value: string;
  label: string;
  iconUrl?: string | null;
}

/** Loads the values of the projects that are on this site; a side whose project is elsewhere stays null. */
export function useSideValues(projects: Record<VisualSide, string | null>): { values: SideValues; loading: boolean } {
  const [loaded, setLoaded] = useState<Record<string, JiraValues | 'failed'>>({});
  const keys = [projects.inviter, projects.invitee].filter((key): key is string => Boolean(key));
  useEffect(() => {
    let live = true;
    for (const key of keys) {
      if (loaded[key] !== undefined) continue;
      void api.getJiraValues(key).then((answer) => {
        if (live) setLoaded((current) => ({ ...current, [key]: answer.ok ? answer.value : 'failed' }));
      });
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys.join(',')]);
  const of = (key: string | null) => {
    const value = key ? loaded[key] : undefined;
    return value && value !== 'failed' ? value : null;
  };
  return { values: { inviter: of(projects.inviter), invitee: of(projects.invitee) }, loading: keys.some((key) => loaded[key] === undefined) };
}

const named = (values: { name: string; iconUrl?: string | null }[]): Choice[] => values.map((v) => ({ value: v.name, label: v.name, iconUrl: v.iconUrl ?? null }));

/** Whether a side's values are the partner's last report: offered, with typed text taken too. */
export const isReported = (side: VisualSide, values: SideValues): boolean => values[side]?.partial === true;

/** The values a mapped field takes on one side; null when that side's values are not known here. */
export function choicesFor(mapping: Pick<FieldMapping, 'field' | 'customField'>, side: VisualSide, values: SideValues): Choice[] | null {
  const known = values[side];
  if (!known) return null;
  // A report names no custom fields, and an empty list in one is not knowledge that there are none.
  const list = (found: { name: string; iconUrl?: string | null }[]) => (known.partial && found.length === 0 ? null : named(found));
  switch (mapping.field) {
    case 'status':
      return list(known.statuses);
    case 'priority':
      return list(known.priorities);
    case 'issueType':
      return list(known.issueTypes);
    case 'customField': {
      if (known.partial) return null;
      const field = known.customFields.find((f) => f.name === mapping.customField?.[side]);
      return field ? field.options.map((option) => ({ value: option, label: option })) : [];
    }
    default:
      return null;
  }
}

/** Filters on names: the same lists as the value mappings. */
export function filterChoices(field: 'issueType' | 'status' | 'priority', side: VisualSide, values: SideValues): Choice[] | null {
  return choicesFor({ field, customField: undefined }, side, values);
}
