// A failed resolver call, in words an admin can act on. The section message
// loads on first use: most pages never fail, and it brings popup code along.
import { Suspense, lazy } from 'react';
import { errorTitle } from '../lib/rejection';
import type { ApiErrorBoxProps } from './ApiErrorBox';

const ApiErrorBox = lazy(() => import('./ApiErrorBox'));

export function ApiErrorMessage(props: ApiErrorBoxProps) {
  const { error, testId = 'api-error' } = props;
  return (
    <Suspense
      fallback={
        <div role="alert" className="error-fallback" data-testid={testId}>
          <strong>{errorTitle(error.kind)}</strong> {error.message}
        </div>
      }
    >
      <ApiErrorBox {...props} testId={testId} />
    </Suspense>
  );
}
