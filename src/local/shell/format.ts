import { html, type Markup } from './html';
import type { Status, User } from './jira-client';

// Small renderings shared by the pages: people, statuses, dates, sizes.

/** Jira writes offsets as `+0000`; Date wants `+00:00`. */
export function parseJiraDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const when = new Date(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(when.getTime()) ? null : when;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDate(value: string | null | undefined): Markup {
  const when = parseJiraDate(value);
  if (!when || !value) return html`<span class="muted">—</span>`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${when.getUTCDate()} ${months[when.getUTCMonth()]} ${when.getUTCFullYear()}, ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())} UTC`;
  return html`<time datetime="${value}">${text}</time>`;
}

export function personName(user: User | null | undefined): string {
  return user ? (user.displayName ?? user.accountId) : 'Unassigned';
}

export function avatar(user: User | null | undefined): Markup {
  const initials = personName(user)
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return html`<span class="avatar" aria-hidden="true">${initials || '?'}</span>`;
}

export function statusLozenge(status: Status | null | undefined): Markup {
  if (!status) return html``;
  const category = status.statusCategory?.key ?? 'new';
  return html`<span class="lozenge ${category}">${status.name}</span>`;
}

export function labelList(labels: readonly string[] | null | undefined): Markup {
  if (!labels || labels.length === 0) return html`<span class="muted">None</span>`;
  return html`${labels.map((l) => html`<span class="label">${l}</span>`)}`;
}

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
