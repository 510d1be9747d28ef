// What JQL sees of each issue. Records are built once and rebuilt only for
// issues that changed, so a search over thousands of issues stays in memory.
import type { JqlIssueRecord } from '../../contracts';
import type { Catalog } from '../catalog';
import { adfToText } from '../model/adf';
import type { Stores } from '../store';
import type { IssueRow } from '../store/issues';
import { customFieldJqlValue } from '../views/custom-values';
import { statusCategoryName } from '../views/metadata';

const named = (item: { id: number; name: string } | undefined): { id: string; name: string }[] =>
  (item ? [{ id: String(item.id), name: item.name }] : []);

export class JqlRecords {
  private readonly byId = new Map<number, JqlIssueRecord>();
  private readonly dirty = new Set<number>();
  private loaded = false;

  constructor(
    private readonly catalog: Catalog,
    private readonly stores: Stores,
  ) {}

  /** Mark an issue (new, changed or deleted) for rebuilding on the next search. */
  invalidate(issueId: number): void {
    this.dirty.add(issueId);
  }

  /** Rebuild every record on the next search: metadata issues show by name (an option, a version) changed. */
  invalidateAll(): void {
    this.loaded = false;
    this.byId.clear();
  }

  all(): JqlIssueRecord[] {
    this.refresh();
    return [...this.byId.values()];
  }

  get(issueId: number): JqlIssueRecord | undefined {
    this.refresh();
    return this.byId.get(issueId);
  }

  private refresh(): void {
    if (!this.loaded) {
      for (const issue of this.stores.issues.all()) this.byId.set(issue.id, this.build(issue));
      this.loaded = true;
      this.dirty.clear();
      return;
    }
    for (const id of this.dirty) {
      const issue = this.stores.issues.byId(id);
      if (issue) this.byId.set(id, this.build(issue));
      else this.byId.delete(id);
    }
    this.dirty.clear();
  }

  private build(issue: IssueRow): JqlIssueRecord {
    const project = this.catalog.projectWithId(issue.projectId);
    const status = this.catalog.status(issue.statusId);
    const parent = issue.parentId === null ? undefined : this.stores.issues.byId(issue.parentId);
    const customFields: Record<string, unknown> = {};
    for (const field of this.catalog.customFields) {
      const stored = issue.custom[field.id];
      if (stored === undefined || stored === null) continue;
      const value = customFieldJqlValue(this.catalog, field, stored);
      customFields[field.name] = value;
      customFields[`cf[${field.numericId}]`] = value;
    }
    return {
      id: String(issue.id),
      key: issue.key,
      projectId: project.id,
      projectKey: project.key,
      projectName: project.name,
      issueType: this.catalog.issueType(issue.issueTypeId)?.name ?? '',
      status: status?.name ?? '',
      statusCategory: statusCategoryName(status?.category ?? 'new'),
      priority: issue.priorityId === null ? null : this.catalog.priority(issue.priorityId)?.name ?? null,
      resolution: issue.resolutionId === null ? null : this.catalog.resolution(issue.resolutionId)?.name ?? null,
      labels: issue.labels,
      assigneeAccountId: issue.assignee,
      reporterAccountId: issue.reporter,
      summary: issue.summary,
      descriptionText: adfToText(issue.description),
      commentTexts: this.stores.comments.list(issue.id).map((c) => adfToText(c.body)),
      created: issue.created,
      updated: issue.updated,
      dueDate: issue.dueDate,
      parentId: parent ? String(parent.id) : null,
      parentKey: parent ? parent.key : null,
      properties: this.stores.properties.all(issue.id),
      customFields,
      components: issue.componentIds.flatMap((id) => named(this.stores.components.get(id))),
      fixVersions: issue.fixVersionIds.flatMap((id) => named(this.stores.versions.get(id))),
      affectedVersions: issue.affectsVersionIds.flatMap((id) => named(this.stores.versions.get(id))),
      attachmentCount: this.stores.attachments.list(issue.id).length,
      watchers: this.stores.watchers.list(issue.id),
      timeSpent: this.stores.worklogs.timeSpent(issue.id),
      originalEstimate: issue.originalEstimate,
      remainingEstimate: issue.remainingEstimate,
      history: this.stores.changelogs.list(issue.id).flatMap((change) =>
        change.items.map((item) => ({
          fieldId: item.fieldId, at: change.created, author: change.author,
          from: item.from, fromString: item.fromString, to: item.to, toString: item.toString,
        }))),
    };
  }
}
