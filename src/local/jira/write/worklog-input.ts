// Reads a worklog as clients send it (`timeSpent` or `timeSpentSeconds`,
// `started`, an ADF `comment`, `visibility`), with Jira's per-field messages.
import { isAdfDoc, type AdfDoc } from '../model/adf';
import { parseDuration } from '../model/duration';
import { parseJiraDateTime } from '../model/time';
import type { CommentVisibility } from '../store/comments';

export interface WorklogInput {
  /** Seconds; undefined when an update leaves it as it is. */
  timeSpent?: number;
  started?: number;
  comment?: AdfDoc | null;
  visibility?: CommentVisibility | null;
}

export type WorklogParse = { ok: true; value: WorklogInput } | { ok: false; errors: Record<string, string> };

const NO_TIME = 'You must indicate the time spent working.';
const BAD_DURATION = 'Invalid time duration entered.';

/**
 * `creating` demands the time spent (a new worklog must have one); an update
 * changes only what it names. A worklog of less than a minute is refused, as Jira does.
 */
export function parseWorklog(raw: Record<string, unknown>, creating: boolean): WorklogParse {
  const errors: Record<string, string> = {};
  const value: WorklogInput = {};
  if (raw.timeSpentSeconds !== undefined && raw.timeSpentSeconds !== null) {
    const seconds = raw.timeSpentSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 60 || seconds > Number.MAX_SAFE_INTEGER) {
      errors.timeLogged = seconds === 0 ? NO_TIME : BAD_DURATION;
    } else {
      value.timeSpent = seconds;
    }
  } else if (raw.timeSpent !== undefined && raw.timeSpent !== null) {
    const seconds = typeof raw.timeSpent === 'string' ? parseDuration(raw.timeSpent) : undefined;
    if (seconds === undefined) errors.timeLogged = BAD_DURATION;
    else if (seconds < 60) errors.timeLogged = NO_TIME;
    else value.timeSpent = seconds;
  } else if (creating) {
    errors.timeLogged = NO_TIME;
  }
  if (raw.started !== undefined && raw.started !== null) {
    const at = typeof raw.started === 'string' ? parseJiraDateTime(raw.started) : undefined;
    if (at === undefined) errors.started = `Error parsing time: ${String(raw.started)}`;
    else value.started = at;
  }
  if (raw.comment !== undefined) {
    if (raw.comment !== null && !isAdfDoc(raw.comment)) {
      errors.comment = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    } else {
      value.comment = raw.comment;
    }
  }
  if (raw.visibility !== undefined) {
    const v = raw.visibility;
    const ok = v === null || (typeof v === 'object' && ['group', 'role'].includes(String((v as Record<string, unknown>).type)));
    if (!ok) errors.visibility = 'The visibility type must be group or role.';
    else value.visibility = v as CommentVisibility | null;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
