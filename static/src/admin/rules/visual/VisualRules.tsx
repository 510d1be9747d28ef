// Visual mode: one screen edits the mapping for both sides, this side's
// column on the left. Publish (button, or Ctrl+S / Cmd+S anywhere in the tab)
// sends the whole document; the partner applies it and says so.
import { useCallback, useState } from 'react';
import { api } from '../../../api';
import { ApiErrorMessage } from '../../../components/ApiErrorMessage';
import { Loading } from '../../../components/Loading';
import { notify } from '../../../lib/flags';
import { useResource } from '../../../lib/use-resource';
import type { Connection, GetMappingResult, VisualSide } from '../../../schemas';
import { MappingList } from './MappingList';
import { ScopeEditor } from './ScopeEditor';
import { PublishBar, PublishWarnings, usePublishing } from '../publishing';
import { documentOf, draftOf, otherSide, type Draft } from './model';
import { useSideValues } from './side-values';
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
  // This side's project is on this site; so is the other side's in a local connection.
  const onThisSite = { [left]: true, [otherSide(left)]: connection.kind === 'local' } as Record<VisualSide, boolean>;
  const projectOf = (side: VisualSide) => (onThisSite[side] ? draft.mapping.scope[side].projectKey.trim() || null : null);
  const { values: onSite } = useSideValues({ inviter: projectOf('inviter'), invitee: projectOf('invitee') });
  // A partner site's side: the names it last reported, when it has.
  const values = { ...onSite, [otherSide(left)]: onSite[otherSide(left)] ?? (onThisSite[otherSide(left)] ? null : (loaded.partnerValues ?? null)) } as typeof onSite;
  const change = (next: Draft) => {
    setDraft(next);
    setDirty(true);
    // The warnings describe the document as it was sent; an edit calls for a new publish.
    setWarnings([]);
  };

  const { busy, failure, warnings, setWarnings, publish, root } = usePublishing(
    (acceptWarnings) => api.publishMapping(connection.id, documentOf(draft), acceptWarnings),
    (value) => {
      setDraft(draftOf(value.mapping));
      setDirty(false);
      notify('Mapping published', { description: `Version ${value.version} goes to ${connection.remoteName} and applies from the next change of each issue.` });
      onPublished();
    },
  );

  return (
    <div className="rules visual" ref={root} data-testid="visual-rules">
      <div className="rules__toolbar">
        <p className="field-help">
          One mapping for both sides: <strong>→</strong> syncs from {names[left]} to {names[otherSide(left)]}, <strong>←</strong> the other way, <strong>↔</strong> both.
        </p>
        <PublishBar dirty={dirty} busy={busy} onPublish={() => void publish()} testId="publish-mapping" />
      </div>
      <PartnerState partner={loaded.partner} name={connection.remoteName} />
      {/* A version conflict is only solved by starting over from the current document. */}
      {failure ? <ApiErrorMessage error={failure} testId="publish-error" onRetry={failure.kind === 'Conflict' ? onPublished : undefined} /> : null}
      <PublishWarnings warnings={warnings} busy={busy} onPublishAnyway={() => void publish(true)} onDismiss={() => setWarnings([])} />
      <ScopeEditor draft={draft} left={left} names={names} onThisSite={onThisSite} values={values} onChange={change} />
      <MappingList
        mappings={draft.mapping.mappings}
        left={left}
        names={names}
        values={values}
        onThisSite={onThisSite}
        onChange={(mappings) => change({ ...draft, mapping: { ...draft.mapping, mappings } })}
      />
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
