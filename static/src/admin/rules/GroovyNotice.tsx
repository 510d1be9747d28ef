// Shown above a rule editor whose text is Exalate's Groovy: rules here are
// JavaScript, and the translation is one click away.
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import type { GroovyCheck } from './groovy-check';

export function GroovyNotice({ check, onTranslate, testId }: { check: GroovyCheck; onTranslate(): void; testId: string }) {
  return (
    <SectionMessage
      appearance="warning"
      title="Rules are JavaScript; this looks like Exalate's Groovy"
      actions={[
        <SectionMessageAction key="translate" onClick={onTranslate} testId={`${testId}-translate`}>
          Translate to JavaScript
        </SectionMessageAction>,
      ]}
      testId={testId}
    >
      <p>
        It does not run as it is ({check.signs.slice(0, 3).join(', ')}). The translation is shown beside the original before anything changes; nothing is
        published until you publish.
      </p>
    </SectionMessage>
  );
}
