// Script mode: this side's outgoing and incoming scripts, published together
// (button, or Ctrl+S / Cmd+S anywhere in the tab), with a line marked where
// the last publish or test failed.
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { CodeEditor } from '../../components/CodeEditor';
import { notify } from '../../lib/flags';
import type { Connection, Rules } from '../../schemas';
import { RulesReference } from './RulesReference';
import { TestOnIssue } from './TestOnIssue';

type Script = 'outgoing' | 'incoming';

export function ScriptRules({ connection, rules, onPublished }: { connection: Connection; rules: Rules; onPublished(): void }) {
  const [outgoing, setOutgoing] = useState(rules.outgoing);
  const [incoming, setIncoming] = useState(rules.incoming);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [testLine, setTestLine] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = outgoing !== rules.outgoing || incoming !== rules.incoming;
  const latest = useRef({ outgoing, incoming });
  latest.current = { outgoing, incoming };
  const publishing = useRef(false);

  const publish = useCallback(async () => {
    if (publishing.current) return;
    publishing.current = true;
    setBusy(true);
    setFailure(null);
    const result = await api.publishRules(connection.id, { outgoing: latest.current.outgoing, incoming: latest.current.incoming });
    publishing.current = false;
    setBusy(false);
    if (result.ok) {
      notify('Rules published', { description: 'They apply from the next change of each issue.' });
      onPublished();
    } else setFailure(result.error);
  }, [connection.id, onPublished]);

  // Ctrl+S / Cmd+S saves from anywhere in the tab, not only inside an editor.
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

  const errorLine = (script: Script) =>
    failure?.kind === 'ScriptError' && failure.line !== undefined && (failure.script ?? 'outgoing') === script ? failure.line : script === 'outgoing' ? testLine : null;

  function edit(script: Script, value: string) {
    (script === 'outgoing' ? setOutgoing : setIncoming)(value);
    if (failure?.kind === 'ScriptError' && (failure.script ?? 'outgoing') === script) setFailure(null);
    if (script === 'outgoing') setTestLine(null);
  }

  return (
    <div className="rules" ref={root} data-testid="script-rules">
      <div className="rules__toolbar">
        <p className="field-help">
          Each side owns its scripts. <strong>Outgoing</strong> turns a {connection.localName} issue into the replica sent to {connection.remoteName};{' '}
          <strong>incoming</strong> applies {connection.remoteName}'s replica to the {connection.localName} issue.
        </p>
        <div className="rules__publish">
          {dirty ? <span className="rules__dirty" data-testid="unpublished">Unpublished changes</span> : null}
          <Button appearance="primary" isLoading={busy} onClick={() => void publish()} testId="publish-rules">
            Publish
          </Button>
          <kbd className="rules__shortcut" aria-hidden>
            Ctrl+S
          </kbd>
        </div>
      </div>
      {failure ? <ApiErrorMessage error={failure} testId="publish-error" /> : null}
      <div className="rules__editors">
        <div className="rules__editor">
          <h3 className="rules__heading" id="outgoing-script-heading">
            Outgoing sync <span className="rules__sub">({connection.localName} issue → replica)</span>
          </h3>
          <CodeEditor
            id="outgoing-script"
            label="Outgoing script"
            value={outgoing}
            onChange={(value) => edit('outgoing', value)}
            errorLine={errorLine('outgoing')}
            onSave={() => void publish()}
            testId="outgoing-editor"
          />
        </div>
        <div className="rules__editor">
          <h3 className="rules__heading" id="incoming-script-heading">
            Incoming sync <span className="rules__sub">(replica → {connection.localName} issue)</span>
          </h3>
          <CodeEditor
            id="incoming-script"
            label="Incoming script"
            value={incoming}
            onChange={(value) => edit('incoming', value)}
            errorLine={errorLine('incoming')}
            onSave={() => void publish()}
            testId="incoming-editor"
          />
        </div>
      </div>
      <TestOnIssue connection={connection} outgoing={outgoing} onErrorLine={setTestLine} />
      <RulesReference version={rules.version ?? null} />
    </div>
  );
}
