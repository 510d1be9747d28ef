import type { QueueItem } from '../../schemas';

/** Items whose issue key, remote key or id contains the text, ignoring case. */
export function matchesId(item: QueueItem, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return true;
  return [item.issueKey, item.remoteKey, item.id].some((value) => typeof value === 'string' && value.toLowerCase().includes(wanted));
}
