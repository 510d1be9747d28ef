import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { errorTitle, type ApiError } from '../lib/rejection';

export interface ApiErrorBoxProps {
  error: ApiError;
  onRetry?: () => void;
  testId?: string;
}

export default function ApiErrorBox({ error, onRetry, testId = 'api-error' }: ApiErrorBoxProps) {
  const appearance = error.kind === 'NotBuiltYet' ? 'warning' : 'error';
  const actions = onRetry ? [<SectionMessageAction key="retry" onClick={onRetry}>Try again</SectionMessageAction>] : undefined;
  return (
    <SectionMessage appearance={appearance} title={errorTitle(error.kind)} actions={actions} testId={testId}>
      <p>{error.message}</p>
    </SectionMessage>
  );
}
