// The editor's view of a Visual mapping: the document names sides by role
// (inviter/invitee), the screen by place (this side on the left, the partner
// on the right), so every read and write goes through the side shown left.
import type { FieldMapping, IfNoMatch, MappingDirection, ScopeFilter, SyncMethod, VisualMapping, VisualSide } from '../../../schemas';

export const otherSide = (side: VisualSide): VisualSide => (side === 'inviter' ? 'invitee' : 'inviter');

/** The direction from the left column to the right one. */
export const rightward = (left: VisualSide): MappingDirection => (left === 'inviter' ? 'toInvitee' : 'toInviter');
export const leftward = (left: VisualSide): MappingDirection => (left === 'inviter' ? 'toInviter' : 'toInvitee');

export type Arrow = '→' | '←' | '↔';
export const arrowOf = (direction: MappingDirection, left: VisualSide): Arrow => (direction === 'both' ? '↔' : direction === rightward(left) ? '→' : '←');
export const directionOf = (arrow: Arrow, left: VisualSide): MappingDirection => (arrow === '↔' ? 'both' : arrow === '→' ? rightward(left) : leftward(left));

/** Filters edited as comma-separated names; the others a document may hold are kept as they are. */
export const EDITED_FILTERS = [
  { field: 'labels', label: 'Labels' },
  { field: 'issueType', label: 'Issue type' },
  { field: 'status', label: 'Status' },
  { field: 'priority', label: 'Priority' },
] as const;
export type EditedFilter = (typeof EDITED_FILTERS)[number]['field'];
const isEdited = (field: string) => EDITED_FILTERS.some((f) => f.field === field);

export type FilterText = Record<EditedFilter, string>;

export function filterText(filters: ScopeFilter[]): FilterText {
  const text = (field: EditedFilter) => filters.find((f) => f.field === field)?.values.join(', ') ?? '';
  return { labels: text('labels'), issueType: text('issueType'), status: text('status'), priority: text('priority') };
}

export const splitValues = (text: string) =>
  text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);

/** The filters a side publishes: the edited ones from their text (empty text: no filter), the rest untouched. */
export function filtersFrom(text: FilterText, previous: ScopeFilter[]): ScopeFilter[] {
  const kept = previous.filter((f) => !isEdited(f.field));
  const edited = EDITED_FILTERS.flatMap(({ field }) => {
    const values = splitValues(text[field]);
    return values.length ? [{ field, values }] : [];
  });
  return [...edited, ...kept];
}

export const MAPPED_FIELDS = [
  { field: 'summary', label: 'Summary' },
  { field: 'description', label: 'Description' },
  { field: 'comments', label: 'Comments' },
  { field: 'attachments', label: 'Attachments' },
  { field: 'labels', label: 'Labels' },
  { field: 'status', label: 'Status' },
  { field: 'priority', label: 'Priority' },
  { field: 'issueType', label: 'Issue type' },
  { field: 'assignee', label: 'Assignee' },
  { field: 'reporter', label: 'Reporter' },
  { field: 'customField', label: 'Custom field' },
  { field: 'components', label: 'Components' },
  { field: 'fixVersions', label: 'Fix versions' },
  { field: 'worklogs', label: 'Worklogs' },
  { field: 'issueLinks', label: 'Issue links' },
] as const;

export const fieldLabel = (field: string) => MAPPED_FIELDS.find((f) => f.field === field)?.label ?? field;

/** Fields whose values are mapped one by one, with a rule for values without a match. */
export const hasValueMappings = (mapping: Pick<FieldMapping, 'field' | 'customField'>) =>
  mapping.field === 'status' || mapping.field === 'priority' || mapping.field === 'issueType' || (mapping.field === 'customField' && mapping.customField?.type === 'select');

/** A new mapping of `field`, both ways, with an id no other mapping has. */
export function newMapping(field: FieldMapping['field'], existing: FieldMapping[]): FieldMapping {
  const ids = new Set(existing.map((m) => m.id));
  let id: string = field;
  for (let n = 2; ids.has(id); n++) id = `${field}-${n}`;
  const mapping: FieldMapping = { id, field, direction: 'both' };
  if (field === 'customField') mapping.customField = { type: 'text', inviter: '', invitee: '' };
  if (hasValueMappings(mapping)) Object.assign(mapping, { values: [], ifNoMatch: { action: 'nothing' } });
  return mapping;
}

/** A mapping as published: value rows left blank on both sides are dropped, a default keeps only what was typed. */
export function tidyMapping(mapping: FieldMapping): FieldMapping {
  const tidy: FieldMapping = { ...mapping };
  if (tidy.values) tidy.values = tidy.values.filter((pair) => pair.inviter.trim() !== '' || pair.invitee.trim() !== '').map((p) => ({ ...p, inviter: p.inviter.trim(), invitee: p.invitee.trim() }));
  if (tidy.ifNoMatch?.action === 'default') {
    const ifNoMatch: IfNoMatch = { action: 'default' };
    for (const side of ['inviter', 'invitee'] as const) {
      const value = tidy.ifNoMatch[side]?.trim();
      if (value) ifNoMatch[side] = value;
    }
    tidy.ifNoMatch = ifNoMatch;
  } else if (tidy.ifNoMatch) tidy.ifNoMatch = { action: tidy.ifNoMatch.action };
  return tidy;
}

export interface Draft {
  mapping: VisualMapping;
  filters: Record<VisualSide, FilterText>;
}

export const draftOf = (mapping: VisualMapping): Draft => ({
  mapping,
  filters: { inviter: filterText(mapping.scope.inviter.filters), invitee: filterText(mapping.scope.invitee.filters) },
});

/** The document to publish from a draft. */
export function documentOf(draft: Draft): VisualMapping {
  const { mapping, filters } = draft;
  const scopeOf = (side: VisualSide) => ({ ...mapping.scope[side], projectKey: mapping.scope[side].projectKey.trim(), filters: filtersFrom(filters[side], mapping.scope[side].filters) });
  return { ...mapping, scope: { ...mapping.scope, inviter: scopeOf('inviter'), invitee: scopeOf('invitee') }, mappings: mapping.mappings.map(tidyMapping) };
}

export const SYNC_METHODS: { value: SyncMethod; label: string }[] = [
  { value: 'manual', label: 'Manual' },
  { value: 'automatic', label: 'Automatic' },
  { value: 'disabled', label: 'Disabled' },
];
