import { z } from 'zod';
import { adfToText, textToAdf } from './adf';
import type { Issue } from './jira-client';

// What the shell's forms post, parsed at the boundary, and how each becomes a
// Jira request body. Jira itself judges the values, so its messages reach the person.

export const CreateIssueFormSchema = z.object({
  project: z.string().trim().min(1, 'Choose a project.'),
  issuetype: z.string().trim().default(''),
  summary: z.string().default(''),
  description: z.string().default(''),
  priority: z.string().trim().default(''),
  labels: z.string().default(''),
  assignee: z.string().trim().default(''),
});
export type CreateIssueForm = z.infer<typeof CreateIssueFormSchema>;

export const EditIssueFormSchema = CreateIssueFormSchema.omit({ project: true });
export type EditIssueForm = z.infer<typeof EditIssueFormSchema>;

export const TransitionFormSchema = z.object({ transitionId: z.string().trim().min(1, 'Choose a transition.') });
export const CommentFormSchema = z.object({ body: z.string().refine((s) => s.trim() !== '', 'A comment needs some text.') });
export const AttachmentDeleteFormSchema = z.object({ issueKey: z.string().trim().min(1) });

export type FormValues = Record<string, string>;

/** The posted fields as strings (files are left out; the upload action reads them itself). */
export async function readForm(request: Request): Promise<{ values: FormValues; data: FormData | null }> {
  const data = await request.formData().catch(() => null);
  const values: FormValues = {};
  data?.forEach((value, name) => {
    if (typeof value === 'string' && !(name in values)) values[name] = value;
  });
  return { values, data };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; messages: string[] };

export function parseForm<T extends z.ZodTypeAny>(schema: T, values: FormValues): Parsed<z.infer<T>> {
  const parsed = schema.safeParse(values);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, messages: parsed.error.issues.map((i) => i.message) };
}

/** Jira labels cannot hold spaces, so spaces and commas both separate them. */
export function parseLabels(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((l) => l !== ''))];
}

export function createIssueFields(form: CreateIssueForm): Record<string, unknown> {
  const fields: Record<string, unknown> = { project: { key: form.project }, summary: form.summary };
  if (form.issuetype) fields.issuetype = { id: form.issuetype };
  if (form.description.trim() !== '') fields.description = textToAdf(form.description);
  if (form.priority) fields.priority = { id: form.priority };
  const labels = parseLabels(form.labels);
  if (labels.length > 0) fields.labels = labels;
  if (form.assignee) fields.assignee = { accountId: form.assignee };
  return fields;
}

/**
 * Only the fields the person changed: an untouched description keeps its rich
 * ADF (a synced issue's formatting is not flattened by a plain-text form), and
 * an edit that changes nothing changes nothing.
 */
export function editIssueFields(form: EditIssueForm, current: Issue): Record<string, unknown> {
  const now = current.fields;
  const fields: Record<string, unknown> = {};
  if (form.summary !== (now.summary ?? '')) fields.summary = form.summary;
  if (form.issuetype && form.issuetype !== now.issuetype?.id) fields.issuetype = { id: form.issuetype };
  if (normaliseText(form.description) !== normaliseText(adfToText(now.description))) {
    fields.description = form.description.trim() === '' ? null : textToAdf(form.description);
  }
  if (form.priority && form.priority !== now.priority?.id) fields.priority = { id: form.priority };
  const labels = parseLabels(form.labels);
  if (labels.join(' ') !== (now.labels ?? []).join(' ')) fields.labels = labels;
  if (form.assignee !== (now.assignee?.accountId ?? '')) fields.assignee = form.assignee ? { accountId: form.assignee } : null;
  return fields;
}

export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}
