// The changelog items a change produces, field by field, worded like Jira's
// history: ids in `from`/`to`, display values in `fromString`/`toString`.
import type { Catalog } from '../catalog';
import { adfToText, type AdfNode } from '../model/adf';
import type { ChangeItem } from '../store/changelogs';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';
import { customFieldHistory } from '../views/custom-values';

const item = (
  field: string,
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toString: string | null,
  fieldtype: 'jira' | 'custom' = 'jira',
): ChangeItem => ({ field, fieldId, fieldtype, from, fromString, to, toString });

/** One item per value added or removed, as Jira records components and versions. */
function listChanges(
  field: string,
  fieldId: string,
  before: number[],
  after: number[],
  name: (id: number) => string | undefined,
): ChangeItem[] {
  const removed = before.filter((id) => !after.includes(id));
  const added = after.filter((id) => !before.includes(id));
  return [
    ...removed.map((id) => item(field, fieldId, String(id), name(id) ?? String(id), null, null)),
    ...added.map((id) => item(field, fieldId, null, null, String(id), name(id) ?? String(id))),
  ];
}

export function issueChanges(catalog: Catalog, stores: Stores, before: IssueRow, after: IssueRow): ChangeItem[] {
  const issues = stores.issues;
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
  if (JSON.stringify(before.environment) !== JSON.stringify(after.environment)) {
    items.push(item('environment', 'environment', null, text(before.environment), null, text(after.environment)));
  }
  items.push(...listChanges('Component', 'components', before.componentIds, after.componentIds, (id) => stores.components.get(id)?.name));
  items.push(...listChanges('Fix Version', 'fixVersions', before.fixVersionIds, after.fixVersionIds, (id) => stores.versions.get(id)?.name));
  items.push(...listChanges('Version', 'versions', before.affectsVersionIds, after.affectsVersionIds, (id) => stores.versions.get(id)?.name));
  // Jira records estimates in seconds, as text.
  const seconds = (value: number | null): string | null => (value === null ? null : String(value));
  if (before.originalEstimate !== after.originalEstimate) {
    items.push(item('timeoriginalestimate', 'timeoriginalestimate', seconds(before.originalEstimate), seconds(before.originalEstimate),
      seconds(after.originalEstimate), seconds(after.originalEstimate)));
  }
  if (before.remainingEstimate !== after.remainingEstimate) {
    items.push(item('timeestimate', 'timeestimate', seconds(before.remainingEstimate), seconds(before.remainingEstimate),
      seconds(after.remainingEstimate), seconds(after.remainingEstimate)));
  }
  for (const field of catalog.customFields) {
    const from = before.custom[field.id] ?? null;
    const to = after.custom[field.id] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const a = customFieldHistory(catalog, field, from);
    const b = customFieldHistory(catalog, field, to);
    items.push(item(field.name, field.id, a.raw, a.text, b.raw, b.text, 'custom'));
  }
  return items;
}

function text(doc: AdfNode | null): string | null {
  return doc === null ? null : adfToText(doc);
}
