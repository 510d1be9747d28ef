// Script mode: this side's outgoing and incoming scripts, published together
// (button, or Ctrl+S / Cmd+S anywhere in the tab), with a line marked where
// the last publish or test failed. A script that is Exalate's Groovy is
// recognized and can be translated to JavaScript before it is published.
import { useDeferredValue, useMemo, useState } from 'react';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { CodeEditor } from '../../components/CodeEditor';
import { notify } from '../../lib/flags';
import type { Connection, Rules } from '../../schemas';
import { checkGroovy } from './groovy-check';
import { GroovyNotice } from './GroovyNotice';
import { GroovyTranslationModal } from './GroovyTranslationModal';
import { PublishBar, PublishWarnings, usePublishing } from './publishing';
import { RulesReference } from './RulesReference';
import { TestOnIssue } from './TestOnIssue';
import { scriptCompletions } from './script-completion';

const OUTGOING_COMPLETIONS = scriptCompletions('outgoing');
const INCOMING_COMPLETIONS = scriptCompletions('incoming');

type Script = 'outgoing' | 'incoming';

export function ScriptRules({ connection, rules, onPublished }: { connection: Connection; rules: Rules; onPublished(): void }) {
  const [outgoing, setOutgoing] = useState(rules.outgoing);
  const [incoming, setIncoming] = useState(rules.incoming);
  const [testLine, setTestLine] = useState<number | null>(null);
  const [translating, setTranslating] = useState<Script | null>(null);
  // Checked on a deferred copy so typing stays responsive in long scripts.
  const outgoingSeen = useDeferredValue(outgoing);
  const incomingSeen = useDeferredValue(incoming);
  const groovy = {
    outgoing: useMemo(() => checkGroovy(outgoingSeen), [outgoingSeen]),
    incoming: useMemo(() => checkGroovy(incomingSeen), [incomingSeen]),
  };
  const dirty = outgoing !== rules.outgoing || incoming !== rules.incoming;
  const { busy, failure, setFailure, warnings, setWarnings, publish, root } = usePublishing(
    (acceptWarnings) => api.publishRules(connection.id, { outgoing, incoming }, acceptWarnings),
    () => {
      notify('Rules published', { description: 'They apply from the next change of each issue.' });
      onPublished();
    },
  );

  const errorLine = (script: Script) =>
    failure?.kind === 'ScriptError' && failure.line !== undefined && (failure.script ?? 'outgoing') === script ? failure.line : script === 'outgoing' ? testLine : null;

  const warningLines = (script: Script) => warnings.filter((w) => w.script === script && w.line > 0).map((w) => w.line);

  function edit(script: Script, value: string) {
    (script === 'outgoing' ? setOutgoing : setIncoming)(value);
    if (failure?.kind === 'ScriptError' && (failure.script ?? 'outgoing') === script) setFailure(null);
    if (script === 'outgoing') setTestLine(null);
    // The warnings describe the text as it was published; an edit calls for a new publish.
    if (warnings.some((w) => w.script === script)) setWarnings([]);
  }

  return (
    <div className="rules" ref={root} data-testid="script-rules">
      <div className="rules__toolbar">
        <p className="field-help">
          Each side owns its scripts. <strong>Outgoing</strong> turns a {connection.localName} issue into the replica sent to {connection.remoteName};{' '}
          <strong>incoming</strong> applies {connection.remoteName}'s replica to the {connection.localName} issue.
        </p>
        <PublishBar dirty={dirty} busy={busy} onPublish={() => void publish()} testId="publish-rules" />
      </div>
      {failure ? <ApiErrorMessage error={failure} testId="publish-error" /> : null}
      <PublishWarnings warnings={warnings} busy={busy} onPublishAnyway={() => void publish(true)} onDismiss={() => setWarnings([])} />
      {!dirty && warnings.length === 0 && rules.warnings?.length ? <RecordedWarnings count={rules.warnings.length} /> : null}
      <div className="rules__editors">
        <div className="rules__editor">
          <h3 className="rules__heading" id="outgoing-script-heading">
            Outgoing sync <span className="rules__sub">({connection.localName} issue → replica)</span>
          </h3>
          {groovy.outgoing.groovy ? <GroovyNotice check={groovy.outgoing} onTranslate={() => setTranslating('outgoing')} testId="outgoing-groovy" /> : null}
          <CodeEditor
            id="outgoing-script"
            label="Outgoing script"
            value={outgoing}
            onChange={(value) => edit('outgoing', value)}
            errorLine={errorLine('outgoing')}
            warningLines={warningLines('outgoing')}
            onSave={() => void publish()}
            completions={OUTGOING_COMPLETIONS}
            testId="outgoing-editor"
          />
        </div>
        <div className="rules__editor">
          <h3 className="rules__heading" id="incoming-script-heading">
            Incoming sync <span className="rules__sub">(replica → {connection.localName} issue)</span>
          </h3>
          {groovy.incoming.groovy ? <GroovyNotice check={groovy.incoming} onTranslate={() => setTranslating('incoming')} testId="incoming-groovy" /> : null}
          <CodeEditor
            id="incoming-script"
            label="Incoming script"
            value={incoming}
            onChange={(value) => edit('incoming', value)}
            errorLine={errorLine('incoming')}
            warningLines={warningLines('incoming')}
            onSave={() => void publish()}
            completions={INCOMING_COMPLETIONS}
            testId="incoming-editor"
          />
        </div>
      </div>
      {translating ? (
        <GroovyTranslationModal
          direction={translating}
          source={translating === 'outgoing' ? outgoing : incoming}
          onAccept={(script) => {
            edit(translating, script);
            setTranslating(null);
            notify('Translation in the editor', { description: 'Review it, then publish.' });
          }}
          onClose={() => setTranslating(null)}
        />
      ) : null}
      <TestOnIssue connection={connection} outgoing={outgoing} onErrorLine={setTestLine} />
      <RulesReference version={rules.version ?? null} />
    </div>
  );
}

/** The published rules were published anyway over missing names: said once, above the editors. */
function RecordedWarnings({ count }: { count: number }) {
  return (
    <p className="rules__recorded-warnings" data-testid="recorded-warnings">
      Published anyway with {count === 1 ? 'a name' : `${count} names`} Jira did not have then. Publish again to check them anew.
    </p>
  );
}
