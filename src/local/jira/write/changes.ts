// The changelog items a change produces, field by field, worded like Jira's
// history: ids in `from`/`to`, display values in `fromString`/`toString`.
import type { Catalog } from '../catalog';
import { adfToText, type AdfNode } from '../model/adf';
import type { ChangeItem } from '../store/changelogs';
import type { IssueRow } from '../store/issues';
import type { IssueStore } from '../store/issues';

const item = (
  field: string,
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toString: string | null,
  fieldtype: 'jira' | 'custom' = 'jira',
): ChangeItem => ({ field, fieldId, fieldtype, from, fromString, to, toString });

export function issueChanges(catalog: Catalog, issues: IssueStore, before: IssueRow, after: IssueRow): ChangeItem[] {
  const items: ChangeItem[] = [];
  const person = (id: string | null): string | null => (id === null ? null : catalog.user(id)?.displayName ?? id);

  if (before.summary !== after.summary) items.push(item('summary', 'summary', null, before.summary, null, after.summary));
  if (JSON.stringify(before.description) !== JSON.stringify(after.description)) {
    items.push(item('description', 'description', null, text(before.description), null, text(after.description)));
  }
  if (before.issueTypeId !== after.issueTypeId) {
    items.push(item('issuetype', 'issuetype', before.issueTypeId, catalog.issueType(before.issueTypeId)?.name ?? null,
      after.issueTypeId, catalog.issueType(after.issueTypeId)?.name ?? null));
  }
  if (before.statusId !== after.statusId) {
    items.push(item('status', 'status', before.statusId, catalog.status(before.statusId)?.name ?? null,
      after.statusId, catalog.status(after.statusId)?.name ?? null));
  }
  if (before.resolutionId !== after.resolutionId) {
    const name = (id: string | null): string | null => (id === null ? null : catalog.resolution(id)?.name ?? null);
    items.push(item('resolution', 'resolution', before.resolutionId, name(before.resolutionId), after.resolutionId, name(after.resolutionId)));
  }
  if (before.priorityId !== after.priorityId) {
    const name = (id: string | null): string | null => (id === null ? null : catalog.priority(id)?.name ?? null);
    items.push(item('priority', 'priority', before.priorityId, name(before.priorityId), after.priorityId, name(after.priorityId)));
  }
  if (before.labels.join(' ') !== after.labels.join(' ')) {
    items.push(item('labels', 'labels', null, before.labels.join(' '), null, after.labels.join(' ')));
  }
  if (before.assignee !== after.assignee) {
    items.push(item('assignee', 'assignee', before.assignee, person(before.assignee), after.assignee, person(after.assignee)));
  }
  if (before.reporter !== after.reporter) {
    items.push(item('reporter', 'reporter', before.reporter, person(before.reporter), after.reporter, person(after.reporter)));
  }
  if (before.dueDate !== after.dueDate) {
    items.push(item('duedate', 'duedate', before.dueDate, before.dueDate, after.dueDate, after.dueDate));
  }
  if (before.parentId !== after.parentId) {
    const key = (id: number | null): string | null => (id === null ? null : issues.byId(id)?.key ?? null);
    items.push(item('IssueParentAssociation', 'parent', before.parentId === null ? null : String(before.parentId),
      key(before.parentId), after.parentId === null ? null : String(after.parentId), key(after.parentId)));
  }
  for (const field of catalog.customFields) {
    const from = before.custom[field.id] ?? null;
    const to = after.custom[field.id] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const display = (value: unknown): string | null => {
      if (value === null) return null;
      if (field.kind === 'select') return field.options.find((o) => o.id === value)?.value ?? null;
      if (field.kind === 'user') return person(String(value));
      if (field.kind === 'textarea') return text(value as AdfNode);
      if (field.kind === 'labels') return (value as string[]).join(' ');
      return String(value);
    };
    const raw = (value: unknown): string | null =>
      value === null ? null : field.kind === 'select' || field.kind === 'user' || field.kind === 'number' ? String(value) : null;
    items.push(item(field.name, field.id, raw(from), display(from), raw(to), display(to), 'custom'));
  }
  return items;
}

function text(doc: AdfNode | null): string | null {
  return doc === null ? null : adfToText(doc);
}
