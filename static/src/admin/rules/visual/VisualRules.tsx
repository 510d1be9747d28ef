// Visual mode: one screen edits the mapping for both sides, this side's
// column on the left. Publish (button, or Ctrl+S / Cmd+S anywhere in the tab)
// sends the whole document; the partner applies it and says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import { api, type ApiError } from '../../../api';
import { ApiErrorMessage } from '../../../components/ApiErrorMessage';
import { Loading } from '../../../components/Loading';
import { notify } from '../../../lib/flags';
import { useResource } from '../../../lib/use-resource';
import type { Connection, GetMappingResult, VisualSide } from '../../../schemas';
import { MappingList } from './MappingList';
import { ScopeEditor } from './ScopeEditor';
import { documentOf, draftOf, otherSide, type Draft } from './model';
import './visual.css';

function PartnerState({ partner, name }: { partner: GetMappingResult['partner']; name: string }) {
  if (!partner) return null;
  const text =
    partner.state === 'applied'
      ? `${name} applied version ${partner.version}.`
      : partner.state === 'refused'
        ? `${name} refused version ${partner.version}: ${partner.reason ?? 'no reason given'}.`
        : `Version ${partner.version} sent to ${name}, not applied yet.`;
  return (
    <p className="field-help" data-testid="partner-state">
      {text}
    </p>
  );
}

function Editor({ connection, loaded, onPublished }: { connection: Connection; loaded: GetMappingResult; onPublished(): void }) {
  const left: VisualSide = loaded.side;
  const names = { [left]: connection.localName, [otherSide(left)]: connection.remoteName } as Record<VisualSide, string>;
  const [draft, setDraft] = useState<Draft>(() => draftOf(loaded.mapping));
  const [dirty, setDirty] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(draft);
  latest.current = draft;
  const publishing = useRef(false);

  const change = (next: Draft) => {
    setDraft(next);
    setDirty(true);
  };

  const publish = useCallback(async () => {
    if (publishing.current) return;
    publishing.current = true;
    setBusy(true);
    setFailure(null);
    const result = await api.publishMapping(connection.id, documentOf(latest.current));
    publishing.current = false;
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setDraft(draftOf(result.value.mapping));
    setDirty(false);
    notify('Mapping published', { description: `Version ${result.value.version} goes to ${connection.remoteName} and applies from the next change of each issue.` });
    onPublished();
  }, [connection.id, connection.remoteName, onPublished]);

  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void publish();
      }
    };
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, [publish]);

  return (
    <div className="rules visual" ref={root} data-testid="visual-rules">
      <div className="rules__toolbar">
        <p className="field-help">
          One mapping for both sides: <strong>→</strong> syncs from {names[left]} to {names[otherSide(left)]}, <strong>←</strong> the other way, <strong>↔</strong> both.
        </p>
        <div className="rules__publish">
          {dirty ? (
            <span className="rules__dirty" data-testid="unpublished">
              Unpublished changes
            </span>
          ) : null}
          <Button appearance="primary" isLoading={busy} onClick={() => void publish()} testId="publish-mapping">
            Publish
          </Button>
          <kbd className="rules__shortcut" aria-hidden>
            Ctrl+S
          </kbd>
        </div>
      </div>
      <PartnerState partner={loaded.partner} name={connection.remoteName} />
      {/* A version conflict is only solved by starting over from the current document. */}
      {failure ? <ApiErrorMessage error={failure} testId="publish-error" onRetry={failure.kind === 'Conflict' ? onPublished : undefined} /> : null}
      <ScopeEditor draft={draft} left={left} names={names} onChange={change} />
      <MappingList mappings={draft.mapping.mappings} left={left} names={names} onChange={(mappings) => change({ ...draft, mapping: { ...draft.mapping, mappings } })} />
    </div>
  );
}

export function VisualRules({ connection }: { connection: Connection }) {
  const load = useCallback(() => api.getMapping(connection.id), [connection.id]);
  const [answer, reload] = useResource(load);
  if (answer.state === 'loading') return <Loading label="Loading mapping" />;
  if (answer.state === 'failed') return <ApiErrorMessage error={answer.error} onRetry={() => void reload()} />;
  // A new version (after a publish or a reload) starts a fresh draft.
  return <Editor key={answer.value.mapping.version} connection={connection} loaded={answer.value} onPublished={() => void reload()} />;
}
