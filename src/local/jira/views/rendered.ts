// `expand=renderedFields` and `expand=renderedBody`: rich text as HTML and
// dates as Jira prints them for people. Fields with nothing to render are
// null, as Jira answers them.
import { adfToHtml } from '../model/adf-html';
import type { AdfNode } from '../model/adf';
import { renderedDate, renderedDateTime } from '../model/rendered-time';
import { parseJiraDateTime } from '../model/time';
import type { CustomFieldRecord } from '../catalog';
import { customFieldRendered } from './custom-values';

const DATE_TIMES = new Set(['created', 'updated', 'resolutiondate', 'statuscategorychangedate', 'lastViewed']);

/** A comment (as the API shows it) with its body rendered. */
export function withRenderedBody(comment: Record<string, unknown>): Record<string, unknown> {
  return { ...comment, renderedBody: adfToHtml(comment.body as AdfNode) };
}

/**
 * The rendered form of each field an issue answer carries, from the values
 * already in `fields` (the same selection), plus the custom fields' stored values.
 */
export function renderedFields(
  fields: Record<string, unknown>,
  customFields: (id: string) => { field: CustomFieldRecord; stored: unknown } | undefined,
): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(fields)) {
    const custom = customFields(id);
    if (custom) {
      rendered[id] = customFieldRendered(custom.field, custom.stored);
      continue;
    }
    rendered[id] = renderSystem(id, value);
  }
  return rendered;
}

function renderSystem(id: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (DATE_TIMES.has(id)) return renderedDateTime(parseJiraDateTime(String(value)) ?? Number.NaN);
  switch (id) {
    case 'description':
    case 'environment':
      return adfToHtml(value as AdfNode);
    case 'duedate':
      return renderedDate(String(value));
    case 'comment': {
      const page = value as { comments: Record<string, unknown>[] };
      return { ...page, comments: page.comments.map((c) => ({ ...c, body: adfToHtml(c.body as AdfNode) })) };
    }
    case 'worklog': {
      const page = value as { worklogs: Record<string, unknown>[] };
      return {
        ...page,
        worklogs: page.worklogs.map((w) => ({ ...w, ...(w.comment ? { comment: adfToHtml(w.comment as AdfNode) } : {}) })),
      };
    }
    case 'attachment':
      return (value as Record<string, unknown>[]).map((a) => ({
        ...a,
        created: renderedDateTime(parseJiraDateTime(String(a.created)) ?? Number.NaN),
      }));
    case 'timetracking':
      return value;
    default:
      return null;
  }
}
