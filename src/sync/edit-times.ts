import type { JiraIssue } from '../jira/schemas';
import type { CustomFieldValue, Replica } from '../domain/replica';
import { stableJson } from './apply';

// When each part of an issue was changed, as Jira recorded it: the issue's
// history (read with the issue, `expand=changelog`, no extra call), its
// comments' times and its `updated`. A change is stamped with the time it was
// made, not with the time it is sent: Forge delivers a product event up to
// three minutes late, so the send can come long after the edit, and the
// concurrent-edit rule (incoming/concurrency.ts) must compare real edit times.

export interface EditTimes {
  /** The issue's `updated`: its newest change of any kind, if Jira gave it. */
  updated: number | undefined;
  /** Newest change per Jira field id, from the history. */
  byFieldId: Map<string, number>;
  /** Newest change per field name (custom fields are named in the history), from the history. */
  byFieldName: Map<string, number>;
  /**
   * Newest change a person made (not an app, so not this app applying the partner's changes): history
   * entries and comments. Newer than what the last outgoing run read means an edit here not yet sent.
   */
  lastPersonEdit: number | undefined;
  /** Custom field name → id on this site, to find a replica's custom field in the history. */
  customIds: Map<string, string>;
}

/** Jira fields (history `fieldId`) behind each replica field; the others fall back to the issue's `updated`. */
const JIRA_FIELD_IDS: Partial<Record<keyof Replica, string[]>> = {
  summary: ['summary'],
  description: ['description'],
  status: ['status'],
  priority: ['priority'],
  labels: ['labels'],
  assignee: ['assignee'],
  reporter: ['reporter'],
  dueDate: ['duedate'],
  resolution: ['resolution'],
  parentId: ['parent'],
  type: ['issuetype'],
  project: ['project'],
  attachments: ['attachment'],
  issueLinks: ['issuelinks'],
  worklogs: ['worklogId'],
};

export function editTimesOf(raw: JiraIssue, customIds: Map<string, string>): EditTimes {
  const byFieldId = new Map<string, number>();
  const byFieldName = new Map<string, number>();
  let lastPersonEdit: number | undefined;
  const newer = (a: number | undefined, b: number) => (a === undefined || b > a ? b : a);
  // Newest first by the contract, but read in any order: only the newest time per field counts.
  for (const entry of raw.changelog?.histories ?? []) {
    const at = instant(entry.created);
    if (at === undefined) continue;
    for (const item of entry.items) {
      if (item.fieldId) byFieldId.set(item.fieldId, newer(byFieldId.get(item.fieldId), at));
      byFieldName.set(item.field, newer(byFieldName.get(item.field), at));
    }
    if (!byApp(entry.author)) lastPersonEdit = newer(lastPersonEdit, at);
  }
  for (const comment of raw.fields.comment?.comments ?? []) {
    const at = instant(comment.updated ?? comment.created);
    if (at !== undefined && !byApp(comment.author)) lastPersonEdit = newer(lastPersonEdit, at);
  }
  return { updated: instant(raw.fields.updated), byFieldId, byFieldName, lastPersonEdit, customIds };
}

/**
 * When `field` of the replica was last changed here, as far as Jira says: its newest history entry (for
 * custom fields, the newest among those that changed since `previous`); the issue's `updated` where the
 * history does not name it (comments, a field whose entry has aged out of the recent history). Undefined
 * when Jira said nothing at all.
 */
export function fieldEditedAt(times: EditTimes, field: keyof Replica, previous: Partial<Replica> | null, replica: Partial<Replica>): number | undefined {
  const found: (number | undefined)[] =
    field === 'customFields'
      ? changedCustomNames(previous?.customFields, replica.customFields).map((name) => {
          const id = times.customIds.get(name);
          return (id !== undefined ? times.byFieldId.get(id) : undefined) ?? times.byFieldName.get(name);
        })
      : (JIRA_FIELD_IDS[field] ?? []).map((id) => times.byFieldId.get(id));
  if (!found.length || found.some((at) => at === undefined)) return times.updated;
  return Math.max(...(found as number[]));
}

/**
 * The time to stamp a change of one field with: when it was made, yet strictly later than any time this
 * twin already knows for that field, this side's or the partner's. A change made after this side applied
 * the partner's is its successor whatever the two sites' clocks say, so a clock a few seconds behind cannot
 * make it lose to the value it replaced; only edits made before either side heard of the other's are
 * compared by their clocks.
 */
export function stampOf(editedAt: number, ownTime: number | undefined, partnerTime: number | undefined): number {
  return Math.max(editedAt, (ownTime ?? 0) + 1, (partnerTime ?? 0) + 1);
}

/** Jira's timestamps (`2026-12-05T09:00:00.000+0000`) and ISO 8601, as epoch milliseconds. */
function instant(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/** An app's change (this one applying the partner's, or another app's): not a person's edit here. */
function byApp(author: { accountType?: string } | undefined): boolean {
  return author?.accountType === 'app';
}

function changedCustomNames(before: Record<string, CustomFieldValue> | undefined, after: Record<string, CustomFieldValue> | undefined): string[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...names].filter((name) => stableJson(before?.[name] ?? null) !== stableJson(after?.[name] ?? null));
}
