// Sync statistics per period: syncs out and in, errors, and latency (median
// and 95th percentile), for one connection or every connection together.
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Select from '@atlaskit/select';
import { token } from '@atlaskit/tokens';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Loading } from '../../components/Loading';
import { useResource } from '../../lib/use-resource';
import type { ConnectionStatistics, StatisticsPeriod } from '../../schemas';
import { TimeChart } from './charts';
import { bucketLabel, formatMs, sumBuckets } from './statistics-lib';

const PERIODS: { value: StatisticsPeriod; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
  { value: 'quarter', label: 'Quarter' },
];

const COLORS = {
  out: token('color.chart.blue.bold', '#1D7AFC'),
  in: token('color.chart.teal.bold', '#1D9AAA'),
  errors: token('color.chart.danger', '#E2483D'),
  median: token('color.chart.purple.bold', '#8F7EE7'),
  p95: token('color.chart.orange.bold', '#E56910'),
};

interface Option {
  label: string;
  value: string;
}

function Charts({ connections, selected }: { connections: ConnectionStatistics[]; selected: ConnectionStatistics | null }) {
  const shown = selected ? [selected] : connections;
  const first = shown[0];
  if (!first) return <p className="field-help">No connections yet: statistics appear once issues sync.</p>;
  const buckets = sumBuckets(shown);
  const labels = buckets.map((b) => bucketLabel(b.start, first.bucket));
  const totals = buckets.reduce((t, b) => ({ out: t.out + b.out, in: t.in + b.in, errors: t.errors + b.errors }), { out: 0, in: 0, errors: 0 });
  const latency = selected ?? (connections.length === 1 ? first : null);
  return (
    <div className="statistics__charts">
      <dl className="statistics__totals" data-testid="statistics-totals">
        <div>
          <dt>Synced out</dt>
          <dd>{totals.out}</dd>
        </div>
        <div>
          <dt>Synced in</dt>
          <dd>{totals.in}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>{totals.errors}</dd>
        </div>
        {latency ? (
          <>
            <div>
              <dt>Median latency</dt>
              <dd>{formatMs(latency.totals.latency.medianMs)}</dd>
            </div>
            <div>
              <dt>p95 latency</dt>
              <dd>{formatMs(latency.totals.latency.p95Ms)}</dd>
            </div>
          </>
        ) : null}
      </dl>
      <TimeChart
        title="Syncs"
        kind="bars"
        labels={labels}
        testId="chart-syncs"
        series={[
          { key: 'out', label: 'Out', color: COLORS.out, values: buckets.map((b) => b.out) },
          { key: 'in', label: 'In', color: COLORS.in, values: buckets.map((b) => b.in) },
        ]}
      />
      <TimeChart
        title="Errors"
        kind="bars"
        labels={labels}
        testId="chart-errors"
        series={[{ key: 'errors', label: 'Errors', color: COLORS.errors, values: buckets.map((b) => b.errors) }]}
      />
      {latency ? (
        <TimeChart
          title="Latency, from sent to applied"
          kind="lines"
          unit=" ms"
          labels={labels}
          testId="chart-latency"
          series={[
            { key: 'median', label: 'Median', color: COLORS.median, values: latency.buckets.map((b) => b.latency.medianMs) },
            { key: 'p95', label: '95th percentile', color: COLORS.p95, values: latency.buckets.map((b) => b.latency.p95Ms) },
          ]}
        />
      ) : (
        <p className="field-help">Latency is measured per connection: choose one to see it.</p>
      )}
    </div>
  );
}

export function StatisticsView({ connectionId }: { connectionId?: string }) {
  const [period, setPeriod] = useState<StatisticsPeriod>('week');
  const [choice, setChoice] = useState<Option | null>(null);
  const [statistics, reload] = useResource(() => api.getStatistics(period, connectionId));
  const connections = statistics.state === 'ready' ? statistics.value.connections : [];
  const selected = connectionId ? (connections[0] ?? null) : (connections.find((c) => c.connectionId === choice?.value) ?? null);

  // The first period loads with the page; later ones when chosen.
  const loadedPeriod = useRef(period);
  useEffect(() => {
    if (loadedPeriod.current === period) return;
    loadedPeriod.current = period;
    void reload();
  }, [period, reload]);

  return (
    <section className="statistics" aria-label="Statistics" data-testid="statistics">
      <div className="statistics__controls">
        <div role="group" aria-label="Period" className="statistics__periods">
          {PERIODS.map((p) => (
            <Button key={p.value} isSelected={period === p.value} aria-pressed={period === p.value} onClick={() => setPeriod(p.value)} spacing="compact">
              {p.label}
            </Button>
          ))}
        </div>
        {connectionId ? null : (
          <div className="statistics__connection">
            <Select<Option>
              inputId="statistics-connection"
              aria-label="Connection"
              options={[{ label: 'All connections', value: '' }, ...connections.map((c) => ({ label: c.name, value: c.connectionId }))]}
              value={choice ?? { label: 'All connections', value: '' }}
              onChange={(option) => setChoice(option && option.value ? option : null)}
              spacing="compact"
            />
          </div>
        )}
      </div>
      {statistics.state === 'loading' ? <Loading label="Loading statistics" /> : null}
      {statistics.state === 'failed' ? <ApiErrorMessage error={statistics.error} onRetry={() => void reload()} /> : null}
      {statistics.state === 'ready' ? <Charts connections={connections} selected={selected} /> : null}
    </section>
  );
}
