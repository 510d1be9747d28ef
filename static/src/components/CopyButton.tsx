import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import CopyIcon from '@atlaskit/icon/core/copy';
import { copyText } from '../lib/clipboard';

interface Props {
  text: string;
  label: string;
  appearance?: 'default' | 'primary';
  testId?: string;
}

/** Copies `text` and says so for a moment, in words a screen reader announces. */
export function CopyButton({ text, label, appearance = 'default', testId }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy-button">
      <Button
        appearance={appearance}
        iconBefore={CopyIcon}
        testId={testId}
        onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
      >
        {label}
      </Button>
      <span className="copy-button__status" role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it yourself.' : ''}
      </span>
    </span>
  );
}
