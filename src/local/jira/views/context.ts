// What every representation needs: where the site lives and its metadata.
import type { Catalog } from '../catalog';

export interface ViewContext {
  /** Absolute base URL of the site, without a trailing slash. */
  baseUrl: string;
  catalog: Catalog;
}

export const api = (ctx: ViewContext, path: string): string => `${ctx.baseUrl}/rest/api/3${path}`;
