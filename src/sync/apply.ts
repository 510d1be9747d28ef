import type { JiraClient } from '../jira/client';
import type { AdfDoc, DesiredIssue, IncomingResult, LocalIssue } from '../domain/replica';
import type { FieldCatalog } from './issue-reader';
import { comparableCustom, convertTo, customFieldKind, toJiraCustomValue } from './custom-fields';
import type { Twin } from './twins';

// Applies what an incoming script decided to the local Jira issue, touching
// only what differs: one edit call for all changed fields, a transition when
// the status should move, and one call per comment or attachment change.

export interface AppliedChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ApplyOutcome {
  changes: AppliedChange[];
  warnings: string[];
  /** Jira REST calls made, for the statistics and the benchmark. */
  calls: number;
}

/** Turn the desired fields into Jira's `fields` for create or edit, leaving out what already matches `current`. */
export function fieldsToWrite(
  desired: DesiredIssue,
  current: LocalIssue | null,
  catalog: FieldCatalog,
): { fields: Record<string, unknown>; changes: AppliedChange[]; warnings: string[]; changeOf: Map<string, AppliedChange> } {
  const fields: Record<string, unknown> = {};
  const changes: AppliedChange[] = [];
  /** Jira field id → its change, so a field Jira refuses can be taken out of the history again. */
  const changeOf = new Map<string, AppliedChange>();
  const warnings: string[] = [];
  /** Compares `from` and `to`; the history shows `shown` when given (a person's name, with the account id for hover). */
  const set = (field: string, jiraField: string, from: unknown, to: unknown, jiraValue: unknown, shown?: { from: unknown; to: unknown }) => {
    if (current && sameValue(from, to)) return;
    fields[jiraField] = jiraValue;
    const change = { field, from: current ? (shown ? shown.from : from) : null, to: shown ? shown.to : to };
    changes.push(change);
    changeOf.set(jiraField, change);
  };
  const person = (user: { accountId: string; displayName?: string | null } | null | undefined) =>
    user ? { label: user.displayName || user.accountId, id: user.accountId } : null;

  if (desired.summary !== undefined) set('summary', 'summary', current?.summary, desired.summary, desired.summary);
  if (desired.description !== undefined) set('description', 'description', current?.description ?? null, desired.description ?? null, desired.description ?? null);
  if (desired.priority !== undefined) set('priority', 'priority', current?.priority?.name ?? null, desired.priority?.name ?? null, desired.priority ? { name: desired.priority.name } : null);
  if (desired.labels !== undefined) set('labels', 'labels', [...(current?.labels ?? [])].sort(), [...desired.labels].sort(), desired.labels);
  if (desired.assignee !== undefined)
    set('assignee', 'assignee', current?.assignee?.accountId ?? null, desired.assignee?.accountId ?? null, desired.assignee ? { accountId: desired.assignee.accountId } : null, {
      from: person(current?.assignee),
      to: person(desired.assignee),
    });
  if (desired.reporter !== undefined && desired.reporter !== null)
    set('reporter', 'reporter', current?.reporter?.accountId ?? null, desired.reporter.accountId, { accountId: desired.reporter.accountId }, {
      from: person(current?.reporter),
      to: person(desired.reporter),
    });
  if (desired.dueDate !== undefined) set('dueDate', 'duedate', current?.dueDate ?? null, desired.dueDate ?? null, desired.dueDate ?? null);
  for (const kind of ['components', 'fixVersions'] as const) {
    const names = desired[kind];
    // A new issue starts with none: an empty list is no change.
    if (names === undefined || (!current && names.length === 0)) continue;
    set(kind, kind, [...(current?.[kind] ?? [])].sort(), [...names].sort(), names.map((name) => ({ name })));
  }
  if (desired.parentId !== undefined && desired.parentId !== null) set('parent', 'parent', current?.parentId ?? null, desired.parentId, { id: desired.parentId });

  for (const [name, value] of Object.entries(desired.customFields ?? {})) {
    const field = catalog.byName.get(name);
    if (!field) {
      warnings.push(`Custom field "${name}" does not exist here; its value was not applied.`);
      continue;
    }
    const kind = customFieldKind(field);
    const typed = kind && convertTo(kind, value);
    if (!typed) {
      warnings.push(`Custom field "${name}" holds ${kind ?? 'an unsupported type'} here, not ${value.type}; its value was not applied.`);
      continue;
    }
    const before = comparableCustom(current?.customFields[name]);
    const after = comparableCustom(typed);
    // A new issue starts empty: writing nothing into it is no change, and one value fewer Jira may refuse.
    if (!current && after === null) continue;
    set(`customFields.${name}`, field.id, before, after, toJiraCustomValue(typed));
  }
  return { fields, changes, warnings, changeOf };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a ?? null) === stableJson(b ?? null);
}

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** Comment operations from the incoming script, recorded in the twin's maps. */
export async function applyComments(
  jira: JiraClient,
  issueKey: string,
  ops: IncomingResult['comments'],
  twin: Twin,
  /** A copy a stopped run already made in Jira and could not record (./incoming/orphans.ts): taken, not made again. */
  orphanOf: (copy: { remoteId?: string; body: unknown }) => Promise<string | undefined> = async () => undefined,
): Promise<{ changes: AppliedChange[]; calls: number }> {
  const changes: AppliedChange[] = [];
  let calls = 0;
  for (const op of ops) {
    if (op.op === 'add') {
      const orphan = await orphanOf(op);
      const createdId = orphan ?? (await jira.comments.add(issueKey, op.body as AdfDoc, op.internal)).id;
      if (!orphan) calls++;
      if (op.remoteId) twin.comments[op.remoteId] = createdId;
      twin.ownComments.push(createdId);
      changes.push({ field: 'comment', from: null, to: createdId });
    } else if (op.op === 'update') {
      await jira.comments.update(issueKey, op.id, op.body as AdfDoc);
      calls++;
      changes.push({ field: 'comment', from: op.id, to: op.id });
    } else {
      await jira.comments.delete(issueKey, op.id).catch((e) => {
        // Already gone here: the goal is reached.
        if ((e as { kind?: string }).kind !== 'not-found') throw e;
      });
      calls++;
      delete twin.comments[op.remoteId];
      twin.ownComments = twin.ownComments.filter((id) => id !== op.id);
      changes.push({ field: 'comment', from: op.id, to: null });
    }
  }
  return { changes, calls };
}

/** Attachment operations; `content` supplies the bytes the partner sent for a remote attachment. */
export async function applyAttachments(
  jira: JiraClient,
  issueKey: string,
  ops: IncomingResult['attachments'],
  twin: Twin,
  content: (remoteAttachmentId: string, sha256: string) => Promise<Uint8Array | undefined>,
  /** A copy a stopped run already made in Jira and could not record (./incoming/orphans.ts): taken, not made again. */
  orphanOf: (copy: { remoteId: string; filename: string; sha256: string }) => Promise<string | undefined> = async () => undefined,
): Promise<{ changes: AppliedChange[]; calls: number; missing: string[] }> {
  const changes: AppliedChange[] = [];
  const missing: string[] = [];
  let calls = 0;
  for (const op of ops) {
    if (op.op === 'add') {
      if (twin.attachments[op.remoteId]) continue;
      const orphan = await orphanOf(op);
      if (orphan) {
        twin.attachments[op.remoteId] = orphan;
        twin.ownAttachments.push(orphan);
        changes.push({ field: 'attachment', from: null, to: op.filename });
        continue;
      }
      const bytes = await content(op.remoteId, op.sha256);
      if (!bytes) {
        missing.push(op.filename);
        continue;
      }
      const added = await jira.attachments.add(issueKey, { filename: op.filename, mimeType: op.mimeType, bytes });
      calls++;
      twin.attachments[op.remoteId] = added.id;
      twin.ownAttachments.push(added.id);
      changes.push({ field: 'attachment', from: null, to: op.filename });
    } else {
      await jira.attachments.delete(op.id).catch((e) => {
        if ((e as { kind?: string }).kind !== 'not-found') throw e;
      });
      calls++;
      delete twin.attachments[op.remoteId];
      twin.ownAttachments = twin.ownAttachments.filter((id) => id !== op.id);
      changes.push({ field: 'attachment', from: op.id, to: null });
    }
  }
  return { changes, calls, missing };
}
