// Paged answers (`PageBean*`) and the links they carry. The site receives
// paths relative to itself (`/rest/api/3/…`, the runtime strips `/<site>`),
// so links are rebuilt on the site's own base URL: a client that follows
// `nextPage` must land on the same site.
import type { ViewContext } from './context';

/** The request's own URL as a client of this site addresses it. */
export function siteUrl(ctx: ViewContext, url: URL): string {
  return `${ctx.baseUrl}${url.pathname}${url.search}`;
}

/** A `PageBean*` answer: one page of `values` with Jira's paging fields. */
export function pageBean<T>(ctx: ViewContext, url: URL, all: T[], startAt: number, maxResults: number): Record<string, unknown> {
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  const next = new URL(url);
  next.searchParams.set('startAt', String(startAt + maxResults));
  next.searchParams.set('maxResults', String(maxResults));
  return {
    self: siteUrl(ctx, url),
    ...(isLast || maxResults === 0 ? {} : { nextPage: siteUrl(ctx, next) }),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values,
  };
}
