// Markup built through one tagged template: every interpolated value is
// escaped unless it is already markup, so a page cannot forget to escape.

const markupBrand = Symbol('markup');

export interface Markup {
  readonly [markupBrand]: true;
  readonly value: string;
}

export type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** Markup taken as is; only for text this module's callers produced themselves. */
export function raw(value: string): Markup {
  return { [markupBrand]: true, value };
}

export function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && markupBrand in value;
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isMarkup(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return raw(out);
}

export function htmlResponse(page: Markup, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  return new Response(`<!doctype html>\n${page.value}`, { status: init.status ?? 200, headers });
}

/** POST → redirect → GET, so a reload never repeats an action. */
export function seeOther(location: string, headers?: HeadersInit): Response {
  const out = new Headers(headers);
  out.set('location', location);
  return new Response(null, { status: 303, headers: out });
}
