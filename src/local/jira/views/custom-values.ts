// Custom field values as Jira shows them: in issues (REST v3 shapes), in the
// history (`from`/`fromString`), to JQL (comparable values) and rendered.
// Stored forms are described in `write/custom-input.ts`.
import type { Catalog, CustomFieldRecord } from '../catalog';
import { adfToHtml } from '../model/adf-html';
import { adfToText, type AdfNode } from '../model/adf';
import { renderedDate, renderedDateTime } from '../model/rendered-time';
import { parseJiraDateTime } from '../model/time';
import type { CascadeValue } from '../write/custom-input';
import { api, type ViewContext } from './context';
import { userDetails } from './users';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function optionJson(ctx: ViewContext, id: string): Record<string, unknown> | null {
  const found = ctx.catalog.fieldOption(id);
  return found ? { self: api(ctx, `/customFieldOption/${id}`), value: found.option.value, id } : null;
}

/** The value in an issue's `fields`. */
export function customFieldJson(ctx: ViewContext, field: CustomFieldRecord, stored: unknown): unknown {
  if (stored === undefined || stored === null) return null;
  switch (field.kind) {
    case 'select':
      return optionJson(ctx, String(stored));
    case 'multiselect':
    case 'checkboxes':
      return strings(stored).flatMap((id) => optionJson(ctx, id) ?? []);
    case 'cascadingselect': {
      const { parent, child } = stored as CascadeValue;
      const parentJson = optionJson(ctx, parent);
      const childJson = child === null ? null : optionJson(ctx, child);
      return parentJson && { ...parentJson, ...(childJson ? { child: childJson } : {}) };
    }
    case 'user':
      return userDetails(ctx, String(stored));
    case 'multiuser':
      return strings(stored).map((id) => userDetails(ctx, id));
    default:
      return stored;
  }
}

/** `from`/`fromString` (or `to`/`toString`) of a history item. */
export function customFieldHistory(catalog: Catalog, field: CustomFieldRecord, stored: unknown): { raw: string | null; text: string | null } {
  if (stored === undefined || stored === null) return { raw: null, text: null };
  const optionValue = (id: string) => catalog.fieldOption(id)?.option.value ?? id;
  const person = (id: string) => catalog.user(id)?.displayName ?? id;
  switch (field.kind) {
    case 'select':
      return { raw: String(stored), text: optionValue(String(stored)) };
    case 'multiselect':
    case 'checkboxes':
      return { raw: null, text: strings(stored).map(optionValue).join(',') };
    case 'cascadingselect': {
      // Jira's own wording for a cascading select in the history.
      const { parent, child } = stored as CascadeValue;
      const level1 = child === null ? '' : `Level 1 values: ${optionValue(child)}(${child})`;
      return { raw: null, text: `Parent values: ${optionValue(parent)}(${parent})${level1}` };
    }
    case 'user':
      return { raw: String(stored), text: person(String(stored)) };
    case 'multiuser':
      return { raw: `[${strings(stored).join(', ')}]`, text: `[${strings(stored).map(person).join(', ')}]` };
    case 'textarea':
      return { raw: null, text: adfToText(stored as AdfNode) };
    case 'labels':
      return { raw: null, text: strings(stored).join(' ') };
    case 'number':
    case 'date':
    case 'datetime':
      return { raw: String(stored), text: String(stored) };
    default:
      return { raw: null, text: String(stored) };
  }
}

/** What JQL compares: option values, account ids, text; see `jql/fields/loose.ts`. */
export function customFieldJqlValue(catalog: Catalog, field: CustomFieldRecord, stored: unknown): unknown {
  if (stored === undefined || stored === null) return null;
  const optionValue = (id: string) => catalog.fieldOption(id)?.option.value ?? null;
  switch (field.kind) {
    case 'select':
      return optionValue(String(stored));
    case 'multiselect':
    case 'checkboxes':
      return strings(stored).map(optionValue).filter((v) => v !== null);
    case 'cascadingselect': {
      const { parent, child } = stored as CascadeValue;
      return [optionValue(parent), child === null ? null : optionValue(child)].filter((v) => v !== null);
    }
    case 'textarea':
      return adfToText(stored as AdfNode);
    default:
      return stored;
  }
}

/** The value under `renderedFields`: rich text as HTML, dates as Jira prints them, nothing for the rest. */
export function customFieldRendered(field: CustomFieldRecord, stored: unknown): string | null {
  if (stored === undefined || stored === null) return null;
  switch (field.kind) {
    case 'textarea':
      return adfToHtml(stored as AdfNode);
    case 'date':
      return renderedDate(String(stored));
    case 'datetime':
      return renderedDateTime(parseJiraDateTime(String(stored)) ?? Number.NaN);
    default:
      return null;
  }
}
