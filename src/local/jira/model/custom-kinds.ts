// The custom field types the emulated sites offer, described as Jira
// describes them: the schema in `/field` and create metadata, the searcher
// and type name in `/field/search`, and the edit operations each one takes.
import type { CustomFieldKind } from '../seed-schema';

const TYPE = 'com.atlassian.jira.plugin.system.customfieldtypes';

export interface CustomKindSpec {
  /** `JsonTypeBean` without `customId`. */
  schema: { type: string; items?: string; custom: string };
  searcherKey: string;
  typeDisplayName: string;
  /** Edit operations, as create and edit metadata list them. */
  operations: string[];
  /** Values are options of the field's context. */
  options: 'none' | 'single' | 'multiple' | 'cascading';
}

const spec = (
  key: string,
  schema: { type: string; items?: string },
  searcher: string,
  typeDisplayName: string,
  operations: string[],
  options: CustomKindSpec['options'] = 'none',
): CustomKindSpec => ({
  schema: { ...schema, custom: `${TYPE}:${key}` },
  searcherKey: `${TYPE}:${searcher}`,
  typeDisplayName,
  operations,
  options,
});

export const CUSTOM_KINDS: Record<CustomFieldKind, CustomKindSpec> = {
  text: spec('textfield', { type: 'string' }, 'textsearcher', 'Text Field (single line)', ['set']),
  textarea: spec('textarea', { type: 'string' }, 'textsearcher', 'Paragraph (supports rich text)', ['set']),
  number: spec('float', { type: 'number' }, 'exactnumber', 'Number Field', ['set']),
  date: spec('datepicker', { type: 'date' }, 'daterange', 'Date Picker', ['set']),
  datetime: spec('datetime', { type: 'datetime' }, 'datetimerange', 'Date Time Picker', ['set']),
  url: spec('url', { type: 'string' }, 'exacttextsearcher', 'URL Field', ['set']),
  select: spec('select', { type: 'option' }, 'multiselectsearcher', 'Select List (single choice)', ['set'], 'single'),
  multiselect: spec('multiselect', { type: 'array', items: 'option' }, 'multiselectsearcher', 'Select List (multiple choices)',
    ['add', 'set', 'remove'], 'multiple'),
  cascadingselect: spec('cascadingselect', { type: 'option-with-child' }, 'cascadingselectsearcher', 'Select List (cascading)',
    ['set'], 'cascading'),
  checkboxes: spec('multicheckboxes', { type: 'array', items: 'option' }, 'multiselectsearcher', 'Checkboxes',
    ['add', 'set', 'remove'], 'multiple'),
  labels: spec('labels', { type: 'array', items: 'string' }, 'labelsearcher', 'Labels', ['add', 'set', 'remove']),
  user: spec('userpicker', { type: 'user' }, 'userpickergroupsearcher', 'User Picker (single user)', ['set']),
  multiuser: spec('multiuserpicker', { type: 'array', items: 'user' }, 'userpickergroupsearcher', 'User Picker (multiple users)',
    ['add', 'set', 'remove']),
};

/** The field's `JsonTypeBean`. */
export function customSchema(kind: CustomFieldKind, numericId: number): Record<string, unknown> {
  return { ...CUSTOM_KINDS[kind].schema, customId: numericId };
}
