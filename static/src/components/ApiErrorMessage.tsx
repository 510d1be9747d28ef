import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { errorTitle, type ApiError } from '../lib/rejection';

interface Props {
  error: ApiError;
  onRetry?: () => void;
  testId?: string;
}

/** A failed resolver call, in words an admin can act on. */
export function ApiErrorMessage({ error, onRetry, testId = 'api-error' }: Props) {
  const appearance = error.kind === 'NotBuiltYet' ? 'warning' : 'error';
  const actions = onRetry ? [<SectionMessageAction key="retry" onClick={onRetry}>Try again</SectionMessageAction>] : undefined;
  return (
    <SectionMessage appearance={appearance} title={errorTitle(error.kind)} actions={actions} testId={testId}>
      <p>{error.message}</p>
    </SectionMessage>
  );
}
