import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult } from '../api';

export type Resource<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; error: ApiError };

/**
 * Loads one resolver answer for a page. `reload` keeps the current value on
 * screen while the next one loads, so tables don't flash after each action.
 */
export function useResource<T>(load: () => Promise<ApiResult<T>>): [Resource<T>, () => Promise<void>] {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const result = await loadRef.current();
    if (mine !== generation.current) return;
    setResource(result.ok ? { state: 'ready', value: result.value } : { state: 'failed', error: result.error });
  }, []);

  useEffect(() => {
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  return [resource, reload];
}

/** A clock for "46 minutes ago" that moves on by itself once a minute. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
