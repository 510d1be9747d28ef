// Publishing rules, as Script and Visual mode share it: one publish at a time,
// the failure kept for the page to show, and Ctrl+S / Cmd+S anywhere inside
// the element `root` is put on. A publish that names values Jira does not have
// comes back unsaved with warnings; "Publish anyway" sends it again, accepted.
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import type { ApiError, ApiResult } from '../../api';
import type { NameWarning } from '../../schemas';
import { useUnsavedChanges } from '../../lib/unsaved';

type Published = { saved: true; warnings: NameWarning[] } | { saved: false; warnings: NameWarning[] };

export function usePublishing<T extends Published>(send: (acceptWarnings: boolean) => Promise<ApiResult<T>>, published: (value: Extract<T, { saved: true }>) => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [warnings, setWarnings] = useState<NameWarning[]>([]);
  const running = useRef(false);
  // The latest callbacks, so Ctrl+S always publishes what is on screen now.
  const latest = useRef({ send, published });
  latest.current = { send, published };

  const publish = useCallback(async (acceptWarnings = false) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFailure(null);
    const result = await latest.current.send(acceptWarnings);
    running.current = false;
    setBusy(false);
    if (!result.ok) setFailure(result.error);
    else if (result.value.saved) {
      setWarnings([]);
      latest.current.published(result.value as Extract<T, { saved: true }>);
    } else setWarnings(result.value.warnings);
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

  return { busy, failure, setFailure, warnings, setWarnings, publish, root };
}

const SCRIPT_WORDS = { outgoing: 'Outgoing script', incoming: 'Incoming script', mapping: 'Mapping' } as const;

/** The names a publish found missing, each with where it is written, and the way to publish anyway. */
export function PublishWarnings({ warnings, busy, onPublishAnyway, onDismiss }: { warnings: NameWarning[]; busy: boolean; onPublishAnyway(): void; onDismiss(): void }) {
  if (warnings.length === 0) return null;
  return (
    <section className="rules__warnings" role="alert" aria-label="Publish warnings" data-testid="publish-warnings">
      <p>
        <strong>Not published yet:</strong> {warnings.length === 1 ? 'a name' : `${warnings.length} names`} in these rules {warnings.length === 1 ? 'does' : 'do'} not exist in
        Jira. Syncs that need {warnings.length === 1 ? 'it' : 'them'} would fail.
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={i} data-testid="publish-warning" data-script={w.script} data-line={w.line}>
            <span className="rules__warning-where">
              {SCRIPT_WORDS[w.script]}
              {w.line ? `, line ${w.line}` : ''}:
            </span>{' '}
            {w.message}
          </li>
        ))}
      </ul>
      <div className="rules__warning-actions">
        <Button appearance="warning" isLoading={busy} onClick={onPublishAnyway} testId="publish-anyway">
          Publish anyway
        </Button>
        <Button appearance="subtle" onClick={onDismiss} testId="publish-warnings-dismiss">
          Keep editing
        </Button>
      </div>
    </section>
  );
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
