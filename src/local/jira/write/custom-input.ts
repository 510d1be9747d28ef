// Reads the value of a custom field from an issue create, edit or transition
// into what the issue row stores, with Jira's per-field error messages.
//
// What is stored, per kind: text, URL and date-time as strings (date-times
// normalised to Jira's `…+0000` form), rich text as an ADF document, numbers
// as numbers, dates as `YYYY-MM-DD`, single select as the option id, multi
// select and checkboxes as option ids, cascading select as
// `{parent, child}` option ids, labels as strings, user pickers as account
// ids. An empty value is stored as nothing (null).
import type { Catalog, CustomFieldRecord, FieldContextRecord, FieldOptionRecord } from '../catalog';
import { isAdfDoc } from '../model/adf';
import { isJiraDate, jiraTimestamp, parseJiraDateTime } from '../model/time';

export interface FieldOp {
  op: string;
  value: unknown;
}

export interface CascadeValue {
  parent: string;
  child: string | null;
}

export type CustomParse = { value: unknown } | { error: string };

export interface CustomInputContext {
  catalog: Catalog;
  /** The context that applies to the issue (its project and type); undefined when none does. */
  context: FieldContextRecord | undefined;
  /** The stored value before the change (edits add to and remove from it). */
  current: unknown;
}

export const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const NOT_STRING = 'Operation value must be a string';
const NOT_NUMBER = 'Operation value must be a number';

export function parseCustomField(ctx: CustomInputContext, field: CustomFieldRecord, ops: FieldOp[]): CustomParse {
  switch (field.kind) {
    case 'labels':
      return listOps(field, ops, asStrings(ctx.current), (value) => readLabel(value), (label) => label, { sort: true });
    case 'multiselect':
    case 'checkboxes':
      return listOps(field, ops, asStrings(ctx.current), (value) => readOption(ctx.context, value, null), (id) => id, {});
    case 'multiuser':
      return listOps(field, ops, asStrings(ctx.current), (value) => readUser(ctx.catalog, field, value), (id) => id, {});
    default:
      break;
  }
  const single = singleSet(field.id, ops);
  if ('error' in single) return single;
  const v = single.value;
  if (v === null) return { value: null };
  switch (field.kind) {
    case 'text':
      if (typeof v !== 'string') return { error: NOT_STRING };
      if (v.length > 255) return { error: 'Text fields must be less than 255 characters.' };
      return { value: v === '' ? null : v };
    case 'url':
      if (typeof v !== 'string') return { error: NOT_STRING };
      if (v === '') return { value: null };
      return isUrl(v) ? { value: v } : { error: 'Not a valid URL' };
    case 'textarea':
      return isAdfDoc(v) ? { value: v } : { error: NOT_ADF };
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { error: NOT_NUMBER };
    case 'date':
      if (typeof v !== 'string') return { error: NOT_STRING };
      return isJiraDate(v) ? { value: v } : { error: `Error parsing date string: ${v}` };
    case 'datetime': {
      if (typeof v !== 'string') return { error: NOT_STRING };
      const at = parseJiraDateTime(v);
      return at === undefined ? { error: `Error parsing time: ${v}` } : { value: jiraTimestamp(at) };
    }
    case 'select': {
      const option = readOption(ctx.context, v, null);
      return typeof option === 'string' ? { value: option } : option;
    }
    case 'cascadingselect':
      return readCascade(ctx.context, v);
    case 'user': {
      const user = readUser(ctx.catalog, field, v);
      return typeof user === 'string' ? { value: user } : user;
    }
  }
}

/** `set`, `add` and `remove` on a multi-valued field; an empty result clears the field. */
function listOps(
  field: CustomFieldRecord,
  ops: FieldOp[],
  current: string[],
  read: (value: unknown) => string | { error: string },
  key: (item: string) => string,
  options: { sort?: boolean },
): CustomParse {
  let items = [...current];
  for (const { op, value } of ops) {
    if (op === 'set') {
      if (value === null) {
        items = [];
        continue;
      }
      if (!Array.isArray(value)) return { error: `Operation value for '${field.id}' must be a list` };
      const next: string[] = [];
      for (const entry of value) {
        const item = read(entry);
        if (typeof item !== 'string') return item;
        if (!next.some((n) => key(n) === key(item))) next.push(item);
      }
      items = next;
    } else if (op === 'add' || op === 'remove') {
      const item = read(value);
      if (typeof item !== 'string') return item;
      items = op === 'add'
        ? items.some((i) => key(i) === key(item)) ? items : [...items, item]
        : items.filter((i) => key(i) !== key(item));
    } else {
      return { error: `Field '${field.id}' does not support operation '${op}'` };
    }
  }
  if (options.sort) items.sort((a, b) => a.localeCompare(b));
  return { value: items.length === 0 ? null : items };
}

function singleSet(id: string, ops: FieldOp[]): { value: unknown } | { error: string } {
  const [first, ...rest] = ops;
  if (!first || rest.length > 0) return { error: `Field '${id}' takes exactly one operation` };
  if (first.op !== 'set') return { error: `Field '${id}' does not support operation '${first.op}'` };
  return { value: first.value };
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function readLabel(value: unknown): string | { error: string } {
  if (typeof value !== 'string') return { error: NOT_STRING };
  if (value.length === 0 || value.length > 255 || /\s/.test(value)) return { error: `The label '${value}' contains spaces which is invalid.` };
  return value;
}

function isUrl(value: string): boolean {
  if (value.length > 255) return false;
  try {
    const url = new URL(value);
    return url.protocol.length > 1 && (url.host.length > 0 || url.protocol === 'mailto:');
  } catch {
    return false;
  }
}

/**
 * An option given as `{id}` or `{value}`, among the context's enabled options
 * at one level (`parent` null for the first level). Disabled options stay on
 * the issues that have them but can no longer be chosen, as in Jira.
 */
function readOption(context: FieldContextRecord | undefined, value: unknown, parent: FieldOptionRecord | null): string | { error: string } {
  const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  const candidates = (context?.options ?? []).filter((o) => !o.disabled && o.parentId === (parent?.id ?? null));
  if (ref.id !== undefined && ref.id !== null) {
    const found = candidates.find((o) => o.id === String(ref.id));
    return found ? found.id : { error: `Option id '${String(ref.id)}' is not valid` };
  }
  const found = candidates.find((o) => o.value === ref.value);
  return found ? found.id : { error: `Option value '${String(ref.value)}' is not valid` };
}

function readCascade(context: FieldContextRecord | undefined, value: unknown): CustomParse {
  if (typeof value !== 'object' || value === null) return { error: "Could not find valid 'id' or 'value' in the Parent Option object." };
  const ref = value as Record<string, unknown>;
  if (ref.id === undefined && ref.value === undefined) return { error: "Could not find valid 'id' or 'value' in the Parent Option object." };
  const parentId = readOption(context, { id: ref.id, value: ref.value }, null);
  if (typeof parentId !== 'string') return parentId;
  const parent = context?.options.find((o) => o.id === parentId) ?? null;
  if (ref.child === undefined || ref.child === null) return { value: { parent: parentId, child: null } satisfies CascadeValue };
  const child = typeof ref.child === 'object' ? (ref.child as Record<string, unknown>) : { value: ref.child };
  const childId = readOption(context, child, parent);
  if (typeof childId !== 'string') {
    const named = child.id !== undefined ? `id '${String(child.id)}'` : `value '${String(child.value)}'`;
    return { error: `Option ${named} is not a valid child of option '${parent?.value ?? parentId}'` };
  }
  return { value: { parent: parentId, child: childId } satisfies CascadeValue };
}

/** `{accountId}` naming an active person of this site. */
function readUser(catalog: Catalog, field: CustomFieldRecord, value: unknown): string | { error: string } {
  const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const accountId = ref.accountId ?? ref.id;
  if (typeof accountId === 'string' && catalog.user(accountId)?.active) return accountId;
  return { error: `Specify a valid value for ${field.name}` };
}
