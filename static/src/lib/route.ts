// Subpage routing over the host's history (`view.createHistory()`): on Forge the
// Jira sidebar owns the URL; locally the host page maps it to the page URL.
import { useCallback, useEffect, useRef, useState } from 'react';
import { view } from '@forge/bridge';

export interface RouteLocation {
  pathname: string;
  search: string;
}

type HostHistory = Awaited<ReturnType<typeof view.createHistory>>;

// history v4 calls listeners with (location, action); v5 with ({ location, action }).
function readLocation(update: unknown): RouteLocation {
  const candidate =
    typeof update === 'object' && update !== null && 'location' in update && !('pathname' in update)
      ? (update as { location: unknown }).location
      : update;
  const { pathname, search } = (candidate ?? {}) as Partial<RouteLocation>;
  return { pathname: typeof pathname === 'string' ? pathname : '/', search: typeof search === 'string' ? search : '' };
}

/** The first path segment, e.g. `/connections/abc` → `connections`. */
export function routeOf(location: RouteLocation): string {
  return location.pathname.split('/').filter(Boolean)[0] ?? '';
}

export function searchParam(location: RouteLocation, name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

export interface Router {
  location: RouteLocation | null;
  navigate(path: string, options?: { replace?: boolean }): void;
}

export function useHostRouter(): Router {
  const [location, setLocation] = useState<RouteLocation | null>(null);
  const historyRef = useRef<HostHistory | null>(null);

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let cancelled = false;
    view
      .createHistory()
      .then((history) => {
        if (cancelled) return;
        historyRef.current = history;
        setLocation(readLocation(history.location));
        unlisten = history.listen((update: unknown) => setLocation(readLocation(update)));
      })
      .catch(() => {
        // A host without history still renders the default page.
        if (!cancelled) setLocation({ pathname: '/', search: '' });
      });
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, []);

  const navigate = useCallback((path: string, options?: { replace?: boolean }) => {
    const history = historyRef.current;
    if (!history) {
      const [pathname = '/', search = ''] = path.split('?');
      setLocation({ pathname, search: search ? `?${search}` : '' });
      return;
    }
    if (options?.replace) history.replace(path);
    else history.push(path);
  }, []);

  return { location, navigate };
}
