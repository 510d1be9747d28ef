// Publishing rules, as Script and Visual mode share it: one publish at a time,
// the failure kept for the page to show, and Ctrl+S / Cmd+S anywhere inside
// the element `root` is put on.
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import type { ApiError, ApiResult } from '../../api';
import { useUnsavedChanges } from '../../lib/unsaved';

export function usePublishing<T>(send: () => Promise<ApiResult<T>>, published: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const running = useRef(false);
  // The latest callbacks, so Ctrl+S always publishes what is on screen now.
  const latest = useRef({ send, published });
  latest.current = { send, published };

  const publish = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFailure(null);
    const result = await latest.current.send();
    running.current = false;
    setBusy(false);
    if (result.ok) latest.current.published(result.value);
    else setFailure(result.error);
  }, []);

  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const onKey = (event: KeyboardEvent) => {
      // An editor has already handled its own Ctrl+S.
      if (event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void publish();
      }
    };
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, [publish]);

  return { busy, failure, setFailure, publish, root };
}

/** "Unpublished changes", the Publish button and its shortcut; unpublished edits make leaving ask first. */
export function PublishBar({ dirty, busy, onPublish, testId }: { dirty: boolean; busy: boolean; onPublish(): void; testId: string }) {
  useUnsavedChanges(testId, dirty);
  return (
    <div className="rules__publish">
      {dirty ? (
        <span className="rules__dirty" data-testid="unpublished">
          Unpublished changes
        </span>
      ) : null}
      <Button appearance="primary" isLoading={busy} onClick={onPublish} testId={testId}>
        Publish
      </Button>
      <kbd className="rules__shortcut" aria-hidden>
        Ctrl+S
      </kbd>
    </div>
  );
}
