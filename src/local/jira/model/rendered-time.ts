// Dates as Jira renders them for people (`renderedFields`): its default
// complete formats `dd/MMM/yy h:mm a` and `dd/MMM/yy`, in the site's zone (UTC).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-23` → `23/Nov/26`. */
export function renderedDate(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return `${m[3]}/${MONTHS[Number(m[2]) - 1]}/${m[1]!.slice(2)}`;
}

/** Epoch ms → `23/Nov/26 12:00 PM`. */
export function renderedDateTime(at: number): string | null {
  if (!Number.isFinite(at)) return null;
  const d = new Date(at);
  const hours = d.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${String(d.getUTCFullYear()).slice(2)} ${hour12}:${two(d.getUTCMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}
