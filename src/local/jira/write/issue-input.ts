// Reads the `fields` and `update` parts of an issue create, edit or transition
// into new field values, collecting Jira's per-field error messages.
import type { Catalog, CustomFieldRecord, ProjectRecord } from '../catalog';
import { isAdfDoc, type AdfDoc } from '../model/adf';
import { isJiraDate } from '../model/time';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';
import { NOT_ADF, parseCustomField, type FieldOp } from './custom-input';
import { parseProjectItems, parseTimeTracking, type Estimates } from './item-input';
import { parseWorklog, type WorklogInput } from './worklog-input';

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
  componentIds?: number[];
  fixVersionIds?: number[];
  affectsVersionIds?: number[];
  environment?: AdfDoc | null;
  estimates?: Estimates;
}

export interface ParsedIssueInput {
  values: SystemValues;
  /** New custom field values by field id; null clears. */
  custom: Record<string, unknown>;
  /** Comments added through `update.comment[].add`. */
  comments: AdfDoc[];
  /** Work logged through `update.worklog[].add`. */
  worklogs: WorklogInput[];
  errors: FieldErrors;
}

/** Jira's answer for a field the caller may not set here: off the screen, unknown, or not theirs to change. */
export const NOT_SETTABLE = (id: string): string =>
  `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const READ_ONLY = new Set([
  'status', 'created', 'updated', 'creator', 'resolutiondate', 'statuscategorychangedate', 'subtasks',
  'issuelinks', 'attachment', 'issuekey', 'key', 'id', 'timespent', 'timeoriginalestimate', 'timeestimate',
  'aggregatetimespent', 'aggregatetimeoriginalestimate', 'aggregatetimeestimate', 'progress', 'aggregateprogress',
  'workratio', 'watches', 'votes', 'lastViewed', 'issuerestriction', 'security',
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

interface FieldInputContext extends InputContext {
  /** The issue's type after this request (for custom field contexts); undefined when it names none that exists. */
  issueTypeId: string | undefined;
}

export function parseIssueInput(
  ctx: InputContext,
  fields: Record<string, unknown> | undefined,
  update: Record<string, unknown> | undefined,
): ParsedIssueInput {
  const result: ParsedIssueInput = { values: {}, custom: {}, comments: [], worklogs: [], errors: {} };
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

  // Custom field contexts depend on the issue type, which this very request may set.
  const issueTypeId = findByIdOrName(fields?.issuetype, ctx.catalog.issueTypes)?.id ?? ctx.current?.issueTypeId;
  for (const [id, fieldOps] of ops) {
    if (ctx.mode === 'create' && HANDLED_BY_WRITER.has(id)) continue;
    const error = applyField({ ...ctx, issueTypeId }, id, fieldOps, result);
    if (error !== undefined) result.errors[id] = error;
  }
  return result;
}

/** Applies one field's operations; answers the error message, if any. */
function applyField(ctx: FieldInputContext, id: string, ops: FieldOp[], out: ParsedIssueInput): string | undefined {
  if (id === 'comment') return applyCommentOps(ctx, ops, out);
  if (id === 'worklog') return applyWorklogOps(ops, out);
  if (id === 'components' || id === 'fixVersions' || id === 'versions') {
    const current = id === 'components' ? ctx.current?.componentIds : id === 'fixVersions' ? ctx.current?.fixVersionIds : ctx.current?.affectsVersionIds;
    const parsed = parseProjectItems(ctx.stores, ctx.project, id === 'components' ? 'components' : 'versions', ops, current ?? []);
    if ('error' in parsed) return parsed.error;
    if (id === 'components') out.values.componentIds = parsed.value;
    else if (id === 'fixVersions') out.values.fixVersionIds = parsed.value;
    else out.values.affectsVersionIds = parsed.value;
    return undefined;
  }
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
    case 'environment':
      if (v !== null && !isAdfDoc(v)) return NOT_ADF;
      out.values.environment = v;
      return undefined;
    case 'timetracking': {
      const parsed = parseTimeTracking(v);
      if ('error' in parsed) return parsed.error;
      out.values.estimates = parsed.value;
      return undefined;
    }
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

/** `update.worklog: [{add: {timeSpent, started, comment}}]`, as on create and edit. */
function applyWorklogOps(ops: FieldOp[], out: ParsedIssueInput): string | undefined {
  for (const { op, value } of ops) {
    if (op !== 'add') return `Field 'worklog' does not support operation '${op}'`;
    if (typeof value !== 'object' || value === null) return 'Operation value must be an object';
    const parsed = parseWorklog(value as Record<string, unknown>, true);
    if (!parsed.ok) return Object.values(parsed.errors)[0];
    out.worklogs.push(parsed.value);
  }
  return undefined;
}

function applyCustomField(
  ctx: FieldInputContext,
  field: CustomFieldRecord,
  ops: FieldOp[],
  out: ParsedIssueInput,
): string | undefined {
  // A field with no context for this project and type is not on its screens.
  const context = ctx.issueTypeId === undefined ? undefined : ctx.catalog.contextFor(field, ctx.project.id, ctx.issueTypeId);
  if (ctx.issueTypeId !== undefined && !context) return NOT_SETTABLE(field.id);
  const parsed = parseCustomField({ catalog: ctx.catalog, context, current: ctx.current?.custom[field.id] }, field, ops);
  if ('error' in parsed) return parsed.error;
  out.custom[field.id] = parsed.value;
  return undefined;
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
