// The Rules tab of a connection, by mode: Script rules are edited here, Basic
// rules are fixed and shown read-only, Visual rules have their own editor.
import { useCallback } from 'react';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { CodeEditor } from '../../components/CodeEditor';
import { Loading } from '../../components/Loading';
import { useResource } from '../../lib/use-resource';
import type { Connection, Rules } from '../../schemas';
import { ScriptRules } from './ScriptRules';
import { VisualRules } from './visual/VisualRules';

function ReadOnlyRules({ rules, explanation }: { rules: Rules; explanation: string }) {
  return (
    <div className="rules" data-testid="read-only-rules">
      <p className="rules__explanation" data-testid="rules-explanation">
        {explanation}
      </p>
      <div className="rules__editors">
        <div className="rules__editor">
          <h3 className="rules__heading">Outgoing sync</h3>
          <CodeEditor id="outgoing-script" label="Outgoing script (read-only)" value={rules.outgoing} readOnly />
        </div>
        <div className="rules__editor">
          <h3 className="rules__heading">Incoming sync</h3>
          <CodeEditor id="incoming-script" label="Incoming script (read-only)" value={rules.incoming} readOnly />
        </div>
      </div>
    </div>
  );
}

const BASIC_EXPLANATION =
  'Basic connections sync with fixed rules: summary, description, comments (all public), attachments and issue type (mirrored by name; a type missing here becomes the project\'s default type, else Task). They cannot be edited. For other fields, create a Visual or Script connection.';

export function RulesTab({ connection }: { connection: Connection }) {
  const load = useCallback(() => api.getRules(connection.id), [connection.id]);
  const [rules, reload] = useResource(load);
  if (rules.state === 'loading') return <Loading label="Loading rules" />;
  if (rules.state === 'failed') return <ApiErrorMessage error={rules.error} onRetry={() => void reload()} />;
  const value = rules.value;
  if (value.mode === 'visual') return <VisualRules connection={connection} />;
  if (value.mode === 'script' && value.editable) {
    return <ScriptRules key={value.version ?? 0} connection={connection} rules={value} onPublished={() => void reload()} />;
  }
  return <ReadOnlyRules rules={value} explanation={BASIC_EXPLANATION} />;
}
