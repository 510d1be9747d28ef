import type { RouteLocation } from '../lib/route';

/** What the admin app hands each subpage. */
export interface AdminPageProps {
  location: RouteLocation;
  navigate(path: string, options?: { replace?: boolean }): void;
}
