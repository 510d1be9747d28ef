// A plain table in the dynamic table's look. The Atlaskit dynamic table brings
// drag-and-drop ranking code the Connections page's first render doesn't need.
import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  title: ReactNode;
  /** CSS width, e.g. `30%`. */
  width?: string;
  render(row: Row): ReactNode;
}

interface Props<Row> {
  label: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey(row: Row): string;
  testId?: string;
}

export function DataTable<Row>({ label, columns, rows, rowKey, testId }: Props<Row>) {
  return (
    <table className="data-table" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" style={column.width ? { width: column.width } : undefined}>
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={testId ? `${testId}-row` : undefined}>
            {columns.map((column) => (
              <td key={column.key}>{column.render(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
