// Words for the issue history: why a sync happened, what it did, and each
// changed field's before and after, short enough to read at a glance.
import type { HistoryEntry } from '../schemas';

const CAUSE: Record<string, string> = {
  event: 'the issue changed',
  trigger: 'a trigger matched',
  bulk: 'Bulk Exalate',
  manual: 'Exalate was chosen',
  retry: 'a retry',
  connect: 'Connect',
  partner: 'the other side',
};

export function causeText(cause: string): string {
  return CAUSE[cause] ?? cause;
}

/** "Sent to green", "Updated from green", …: what happened, from this issue's point of view. */
export function outcomeText(entry: Pick<HistoryEntry, 'direction' | 'outcome'>, remote: string): string {
  switch (entry.outcome) {
    case 'sent':
      return `Sent to ${remote}`;
    case 'applied':
      return `Updated from ${remote}`;
    case 'created':
      return `Created from ${remote}`;
    case 'error':
      return entry.direction === 'out' ? `Failed to send to ${remote}` : `Failed to apply from ${remote}`;
    case 'skipped':
      return entry.direction === 'out' ? 'Nothing new to send' : 'Nothing to change';
    case 'unexalated':
      return entry.direction === 'out' ? 'Sync stopped here' : `Sync stopped by ${remote}`;
    case 'connected':
      return `Connected with ${remote}`;
    default:
      return entry.outcome;
  }
}

const MAX = 60;

/** A field value in a few words: text in quotes, lists and objects summarised, nothing as "empty". */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'string') return `“${value.length > MAX ? `${value.slice(0, MAX - 1)}…` : value}”`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'empty';
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return valueText(value.join(', '));
    return `${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') {
    const named = value as Record<string, unknown>;
    for (const key of ['label', 'displayName', 'name', 'value', 'key', 'filename']) {
      if (typeof named[key] === 'string') return valueText(named[key]);
    }
    // Rich text (ADF): its words, not its structure.
    if (named.type === 'doc') return valueText(adfText(named));
    const json = JSON.stringify(value);
    return json.length > MAX ? `${json.slice(0, MAX - 1)}…` : json;
  }
  return String(value);
}

function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const { text, content } = node as { text?: unknown; content?: unknown };
  const own = typeof text === 'string' ? text : '';
  const children = Array.isArray(content) ? content.map(adfText).filter(Boolean).join(' ') : '';
  return [own, children].filter(Boolean).join(' ');
}

/** What to show on hover beside a named value: its id (an account id, a status id), when the history kept one. */
export function valueTitle(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { id, accountId } = value as { id?: unknown; accountId?: unknown };
  const shown = accountId ?? id;
  return typeof shown === 'string' || typeof shown === 'number' ? String(shown) : undefined;
}

/** Comments and attachments come and go rather than change value: say so in words. */
export function itemChangeText(change: { field: string; from?: unknown; to?: unknown }): string | null {
  if (change.field !== 'comment' && change.field !== 'attachment') return null;
  const what = change.field;
  if (change.from === null || change.from === undefined) return change.field === 'attachment' && change.to ? `${what} ${valueText(change.to)} added` : `${what} added`;
  if (change.to === null || change.to === undefined) return `${what} removed`;
  return `${what} edited`;
}
