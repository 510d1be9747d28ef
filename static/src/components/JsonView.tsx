// A replica as a tree: objects and arrays fold open and closed (native
// <details>, so the keyboard works), scalars are coloured by type.
import type { ReactNode } from 'react';

function Scalar({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="json__null">null</span>;
  if (typeof value === 'string') return <span className="json__string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json__number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json__boolean">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function summary(value: object): string {
  return Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
}

function Node({ name, value, depth }: { name: ReactNode; value: unknown; depth: number }) {
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json__row">
        {name}
        <Scalar value={value} />
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  if (entries.length === 0) {
    return (
      <div className="json__row">
        {name}
        <span className="json__empty">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    );
  }
  return (
    // The top two levels start open: a replica's fields, and each field's parts.
    <details className="json__node" open={depth < 2}>
      <summary>
        {name}
        <span className="json__count">{summary(value)}</span>
      </summary>
      <div className="json__children">
        {entries.map(([key, child]) => (
          <Node key={key} name={<span className="json__key">{key}: </span>} value={child} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

export function JsonView({ value, label, testId }: { value: unknown; label: string; testId?: string }) {
  return (
    <div className="json" role="group" aria-label={label} data-testid={testId}>
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
