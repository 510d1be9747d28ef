// The `fields` parameter of issue reads: `*all`, `*navigable`, field ids, and
// `-id` to leave a field out.
import { SYSTEM_FIELDS } from './fields';

export interface FieldSelection {
  includes(fieldId: string): boolean;
  /** True when nothing but ids was asked for (search answers ids only then). */
  readonly empty: boolean;
}

const NAVIGABLE = new Set(SYSTEM_FIELDS.filter((f) => f.navigable).map((f) => f.id));

export function selectFields(tokens: string[], fallback: '*all' | '*navigable' | 'none'): FieldSelection {
  const cleaned = tokens.map((t) => t.trim()).filter((t) => t.length > 0);
  const list = cleaned.length > 0 ? cleaned : fallback === 'none' ? [] : [fallback];
  let all = false;
  let navigable = false;
  const named = new Set<string>();
  const excluded = new Set<string>();
  for (const token of list) {
    if (token === '*all') all = true;
    else if (token === '*navigable') navigable = true;
    else if (token.startsWith('-')) excluded.add(token.slice(1));
    else named.add(token);
  }
  return {
    empty: list.every((t) => t === 'id'),
    includes(fieldId: string): boolean {
      if (excluded.has(fieldId)) return false;
      if (all || named.has(fieldId)) return true;
      if (navigable) return NAVIGABLE.has(fieldId) || fieldId.startsWith('customfield_');
      return false;
    },
  };
}
