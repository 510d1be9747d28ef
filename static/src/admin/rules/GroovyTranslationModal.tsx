// The Groovy original beside its JavaScript translation, with what could not
// be translated listed by line. Accepting puts the translation into the
// editor; publishing stays a separate step.
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { api, type AnswerOf, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { CodeEditor } from '../../components/CodeEditor';

type Translation = AnswerOf<'translateGroovy'>;

interface Props {
  direction: 'outgoing' | 'incoming';
  source: string;
  onAccept(script: string): void;
  onClose(): void;
}

export function GroovyTranslationModal({ direction, source, onAccept, onClose }: Props) {
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'done'; value: Translation } | { kind: 'failed'; error: ApiError }>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    void api.translateGroovy(source, direction).then((result) => {
      if (!live) return;
      setState(result.ok ? { kind: 'done', value: result.value } : { kind: 'failed', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [source, direction]);

  const translation = state.kind === 'done' ? state.value : null;
  return (
    <ModalDialog onClose={onClose} label={`Translate the ${direction} rule to JavaScript`} width="x-large" testId="groovy-translation">
      <ModalHeader hasCloseButton>
        <ModalTitle>Translate the {direction} rule from Groovy to JavaScript</ModalTitle>
      </ModalHeader>
      <ModalBody>
        {state.kind === 'loading' ? <Spinner label="Translating" /> : null}
        {state.kind === 'failed' ? <ApiErrorMessage error={state.error} testId="groovy-translation-error" /> : null}
        {translation ? (
          <div className="groovy-translation">
            <div className="rules__editors">
              <div className="rules__editor">
                <h3 className="rules__heading">Groovy (as pasted)</h3>
                <CodeEditor id={`${direction}-groovy-original`} label="Groovy original (read-only)" value={source} readOnly testId="groovy-original" />
              </div>
              <div className="rules__editor">
                <h3 className="rules__heading">JavaScript (translation)</h3>
                <CodeEditor id={`${direction}-groovy-translation`} label="JavaScript translation (read-only)" value={translation.script} readOnly testId="groovy-translated" />
              </div>
            </div>
            {translation.unsupported.length ? (
              <SectionMessage appearance="warning" title={`${translation.unsupported.length} ${translation.unsupported.length === 1 ? 'part was' : 'parts were'} not translated`} testId="groovy-unsupported">
                <p>They stay in the translation as comments. Rewrite them before publishing:</p>
                <ul className="groovy-translation__list">
                  {translation.unsupported.map((u, i) => (
                    <li key={`${u.line}-${i}`} data-testid="groovy-unsupported-item">
                      <strong>Line {u.line}</strong>: <code>{u.construct}</code> — {u.suggestion}
                    </li>
                  ))}
                </ul>
              </SectionMessage>
            ) : (
              <SectionMessage appearance="success" testId="groovy-all-translated">
                <p>Everything was translated. Review it, then use it and publish.</p>
              </SectionMessage>
            )}
          </div>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose}>
          Keep the original
        </Button>
        <Button appearance="primary" isDisabled={!translation} onClick={() => translation && onAccept(translation.script)} testId="groovy-accept">
          Use the translation
        </Button>
      </ModalFooter>
    </ModalDialog>
  );
}
