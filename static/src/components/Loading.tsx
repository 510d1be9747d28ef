import Spinner from '@atlaskit/spinner';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <Spinner size="large" label={label} />
    </div>
  );
}
