// Reads the `fields` and `update` parts of an issue create, edit or transition
// into new field values, collecting Jira's per-field error messages.
import type { Catalog, CustomFieldRecord, ProjectRecord } from '../catalog';
import { isAdfDoc, type AdfDoc } from '../model/adf';
import { isJiraDate } from '../model/time';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';

export type FieldErrors = Record<string, string>;
export type InputMode = 'create' | 'edit' | 'transition';

/** New values for the system fields the request set. */
export interface SystemValues {
  summary?: string;
  description?: AdfDoc | null;
  issueTypeId?: string;
  priorityId?: string | null;
  labels?: string[];
  assignee?: string | null;
  reporter?: string | null;
  dueDate?: string | null;
  parentId?: number | null;
  resolutionId?: string | null;
}

export interface ParsedIssueInput {
  values: SystemValues;
  /** New custom field values by field id; null clears. */
  custom: Record<string, unknown>;
  /** Comments added through `update.comment[].add`. */
  comments: AdfDoc[];
  errors: FieldErrors;
}

interface FieldOp {
  op: string;
  value: unknown;
}

/** Jira's answer for a field the caller may not set here: off the screen, unknown, or not theirs to change. */
export const NOT_SETTABLE = (id: string): string =>
  `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const READ_ONLY = new Set([
  'status', 'created', 'updated', 'creator', 'resolutiondate', 'statuscategorychangedate', 'subtasks',
  'issuelinks', 'attachment', 'issuekey', 'key', 'id',
]);
const HANDLED_BY_WRITER = new Set(['project']);

export interface InputContext {
  catalog: Catalog;
  stores: Stores;
  project: ProjectRecord;
  /** The issue being edited or transitioned; null on create. */
  current: IssueRow | null;
  mode: InputMode;
}

export function parseIssueInput(
  ctx: InputContext,
  fields: Record<string, unknown> | undefined,
  update: Record<string, unknown> | undefined,
): ParsedIssueInput {
  const result: ParsedIssueInput = { values: {}, custom: {}, comments: [], errors: {} };
  const ops = new Map<string, FieldOp[]>();
  for (const [id, value] of Object.entries(fields ?? {})) ops.set(id, [{ op: 'set', value }]);
  for (const [id, list] of Object.entries(update ?? {})) {
    if (ops.has(id)) {
      result.errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'object' && entry !== null)) {
      result.errors[id] = `Operations for field '${id}' must be a list of objects.`;
      continue;
    }
    ops.set(id, list.flatMap((entry) => Object.entries(entry as Record<string, unknown>).map(([op, value]) => ({ op, value }))));
  }

  for (const [id, fieldOps] of ops) {
    if (ctx.mode === 'create' && HANDLED_BY_WRITER.has(id)) continue;
    const error = applyField(ctx, id, fieldOps, result);
    if (error !== undefined) result.errors[id] = error;
  }
  return result;
}

/** Applies one field's operations; answers the error message, if any. */
function applyField(ctx: InputContext, id: string, ops: FieldOp[], out: ParsedIssueInput): string | undefined {
  if (id === 'comment') return applyCommentOps(ctx, ops, out);
  if (id === 'labels') {
    const labels = applyListOps(ops, ctx.current?.labels ?? [], 'labels');
    if (typeof labels === 'string') return labels;
    out.values.labels = labels;
    return undefined;
  }
  const custom = ctx.catalog.customField(id);
  if (custom) return applyCustomField(ctx, custom, ops, out);
  if (READ_ONLY.has(id) || (id === 'project' && ctx.mode !== 'create') || (id === 'resolution' && ctx.mode !== 'transition')) {
    return NOT_SETTABLE(id);
  }

  const value = singleSet(id, ops);
  if ('error' in value) return value.error;
  const v = value.value;
  switch (id) {
    case 'summary': {
      if (typeof v !== 'string' || v.trim().length === 0) return 'You must specify a summary of the issue.';
      if (v.length > 255) return 'Summary must be less than 255 characters.';
      out.values.summary = v;
      return undefined;
    }
    case 'description':
      if (v !== null && !isAdfDoc(v)) return NOT_ADF;
      out.values.description = v;
      return undefined;
    case 'issuetype': {
      const type = findByIdOrName(v, ctx.catalog.issueTypes);
      if (!type) return 'Specify a valid issue type';
      if (!ctx.project.issueTypes.some((t) => t.id === type.id)) return 'The issue type selected is invalid.';
      out.values.issueTypeId = type.id;
      return undefined;
    }
    case 'priority': {
      if (v === null) {
        out.values.priorityId = null;
        return undefined;
      }
      const priority = findByIdOrName(v, ctx.catalog.priorities);
      if (!priority) return 'Specify a valid value for priority';
      out.values.priorityId = priority.id;
      return undefined;
    }
    case 'assignee':
    case 'reporter': {
      const person = readPerson(ctx, v);
      if (person === undefined) return `Specify a valid value for ${id}`;
      out.values[id] = person;
      return undefined;
    }
    case 'duedate':
      if (v !== null && (typeof v !== 'string' || !isJiraDate(v))) return `Error parsing date string: ${String(v)}`;
      out.values.dueDate = v;
      return undefined;
    case 'parent': {
      if (v === null) {
        out.values.parentId = null;
        return undefined;
      }
      const ref = readIssueRef(v);
      const parent = ref === undefined ? undefined : ctx.stores.issues.find(ref);
      if (!parent) return 'Could not find issue by id or key.';
      out.values.parentId = parent.id;
      return undefined;
    }
    case 'resolution': {
      if (v === null) {
        out.values.resolutionId = null;
        return undefined;
      }
      const resolution = findByIdOrName(v, ctx.catalog.resolutions);
      if (!resolution) return 'Specify a valid value for resolution';
      out.values.resolutionId = resolution.id;
      return undefined;
    }
    default:
      return NOT_SETTABLE(id);
  }
}

function applyCommentOps(ctx: InputContext, ops: FieldOp[], out: ParsedIssueInput): string | undefined {
  if (ctx.mode === 'create') return NOT_SETTABLE('comment');
  for (const { op, value } of ops) {
    if (op !== 'add') return `Field 'comment' does not support operation '${op}'`;
    const body = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).body : undefined;
    if (!isAdfDoc(body)) return NOT_ADF;
    out.comments.push(body);
  }
  return undefined;
}

function applyCustomField(
  ctx: InputContext,
  field: CustomFieldRecord,
  ops: FieldOp[],
  out: ParsedIssueInput,
): string | undefined {
  if (field.kind === 'labels') {
    const current = ctx.current?.custom[field.id];
    const labels = applyListOps(ops, Array.isArray(current) ? (current as string[]) : [], field.id);
    if (typeof labels === 'string') return labels;
    out.custom[field.id] = labels.length === 0 ? null : labels;
    return undefined;
  }
  const value = singleSet(field.id, ops);
  if ('error' in value) return value.error;
  const v = value.value;
  if (v === null) {
    out.custom[field.id] = null;
    return undefined;
  }
  switch (field.kind) {
    case 'text':
      if (typeof v !== 'string') return 'Operation value must be a string';
      if (v.length > 255) return 'Text fields must be less than 255 characters.';
      out.custom[field.id] = v;
      return undefined;
    case 'textarea':
      if (!isAdfDoc(v)) return NOT_ADF;
      out.custom[field.id] = v;
      return undefined;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'Operation value must be a number';
      out.custom[field.id] = v;
      return undefined;
    case 'select': {
      const ref = typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const option =
        ref.id !== undefined
          ? field.options.find((o) => o.id === String(ref.id))
          : field.options.find((o) => o.value === ref.value);
      if (!option) {
        return ref.id !== undefined ? `Option id '${String(ref.id)}' is not valid` : `Option value '${String(ref.value)}' is not valid`;
      }
      out.custom[field.id] = option.id;
      return undefined;
    }
    case 'user': {
      const person = readPerson(ctx, v);
      if (!person) return `Specify a valid value for ${field.name}`;
      out.custom[field.id] = person;
      return undefined;
    }
  }
}

/** `set`, `add` and `remove` on a list of labels. */
function applyListOps(ops: FieldOp[], current: string[], id: string): string[] | string {
  let labels = [...current];
  for (const { op, value } of ops) {
    const values = op === 'set' ? value : [value];
    if (value === null && op === 'set') {
      labels = [];
      continue;
    }
    if (!Array.isArray(values) || !values.every((l): l is string => typeof l === 'string')) {
      return `Operation value for '${id}' must be a list of strings`;
    }
    const bad = values.find((l) => /\s/.test(l) || l.length === 0 || l.length > 255);
    if (bad !== undefined) return `The label '${bad}' contains spaces which is invalid.`;
    if (op === 'set') labels = [...new Set(values)];
    else if (op === 'add') labels = labels.includes(values[0] ?? '') ? labels : [...labels, ...values];
    else if (op === 'remove') labels = labels.filter((l) => !values.includes(l));
    else return `Field '${id}' does not support operation '${op}'`;
  }
  return labels.sort((a, b) => a.localeCompare(b));
}

function singleSet(id: string, ops: FieldOp[]): { value: unknown } | { error: string } {
  const [first, ...rest] = ops;
  if (!first || rest.length > 0) return { error: `Field '${id}' takes exactly one operation` };
  if (first.op !== 'set') return { error: `Field '${id}' does not support operation '${first.op}'` };
  return { value: first.value };
}

function findByIdOrName<T extends { id: string; name: string }>(value: unknown, list: T[]): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = value as Record<string, unknown>;
  if (ref.id !== undefined) return list.find((item) => item.id === String(ref.id));
  if (typeof ref.name === 'string') return list.find((item) => item.name.toLowerCase() === String(ref.name).toLowerCase());
  return undefined;
}

/** `{accountId}` naming a person of this site, or null to clear; undefined when invalid. */
function readPerson(ctx: InputContext, value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const accountId = (value as Record<string, unknown>).accountId ?? (value as Record<string, unknown>).id;
  if (accountId === null) return null;
  if (typeof accountId !== 'string') return undefined;
  return ctx.catalog.user(accountId)?.active ? accountId : undefined;
}

function readIssueRef(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = value as Record<string, unknown>;
  if (typeof ref.key === 'string') return ref.key;
  if (ref.id !== undefined) return String(ref.id);
  return undefined;
}
