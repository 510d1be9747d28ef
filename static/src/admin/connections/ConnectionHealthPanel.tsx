// Connection health at a glance, under the Connections table: per connection,
// over the last 24 hours, how late the partner's changes arrive (p50 / p95),
// what waits, what an error holds, and the connection's share of what the
// app used of Forge storage and Jira, with an hour-by-hour chart.
import { token } from '@atlaskit/tokens';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Loading } from '../../components/Loading';
import { useResource } from '../../lib/use-resource';
import type { ConnectionHealth } from '../../schemas';
import { bucketLabel, formatMs, niceMax } from '../statistics/statistics-lib';
import { jiraBudget, percent, plural, storageBudget } from './health-lib';

const COLORS = {
  syncs: token('color.chart.blue.bold', '#1D7AFC'),
  errors: token('color.chart.danger', '#E2483D'),
  p95: token('color.chart.orange.bold', '#E56910'),
};

const WIDTH = 360;
const HEIGHT = 60;

/** Syncs an hour as bars (errors stacked in red) and the p95 lag as a line on its own scale. */
function HourChart({ health }: { health: ConnectionHealth }) {
  const { hours } = health;
  const slot = WIDTH / hours.length;
  const maxSyncs = niceMax(Math.max(0, ...hours.map((h) => h.syncs + h.errors)));
  const lags = hours.map((h) => h.p95Ms).filter((v): v is number => v !== null);
  const maxLag = niceMax(Math.max(0, ...lags));
  const y = (value: number, max: number) => HEIGHT - 2 - (value / max) * (HEIGHT - 6);
  const line = hours
    .map((h, i) => (h.p95Ms === null ? null : `${(i * slot + slot / 2).toFixed(1)},${y(h.p95Ms, maxLag).toFixed(1)}`))
    .filter((p): p is string => p !== null);
  const total = hours.reduce((sum, h) => sum + h.syncs, 0);
  const label = `${health.name}, last 24 hours: ${plural(total, 'sync')}${lags.length ? `, p95 lag up to ${formatMs(Math.max(...lags))}` : ''}`;
  return (
    <svg className="health__chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid={`health-chart-${health.connectionId}`}>
      <line x1={0} x2={WIDTH} y1={HEIGHT - 2} y2={HEIGHT - 2} className="chart__grid" />
      {hours.map((h, i) => {
        const x = i * slot + slot * 0.15;
        const width = slot * 0.7;
        const title = `${bucketLabel(h.start, 'hour')}: ${plural(h.syncs, 'sync')}, ${plural(h.errors, 'error')}, p50 ${formatMs(h.p50Ms)}, p95 ${formatMs(h.p95Ms)}, ${plural(h.storageUnits, 'storage unit')}, ${plural(h.jiraCalls, 'Jira call')}`;
        return (
          <g key={h.start}>
            <title>{title}</title>
            {/* A transparent full-height hit area, so every hour has its tooltip. */}
            <rect x={i * slot} y={0} width={slot} height={HEIGHT} fill="transparent" />
            {h.syncs > 0 ? <rect x={x} y={y(h.syncs, maxSyncs)} width={width} height={HEIGHT - 2 - y(h.syncs, maxSyncs)} fill={COLORS.syncs} /> : null}
            {h.errors > 0 ? (
              <rect x={x} y={y(h.syncs + h.errors, maxSyncs)} width={width} height={y(h.syncs, maxSyncs) - y(h.syncs + h.errors, maxSyncs)} fill={COLORS.errors} />
            ) : null}
          </g>
        );
      })}
      {line.length > 1 ? <polyline points={line.join(' ')} fill="none" stroke={COLORS.p95} strokeWidth={1.5} /> : null}
      {line.length === 1 ? <circle cx={Number(line[0]!.split(',')[0])} cy={Number(line[0]!.split(',')[1])} r={2.5} fill={COLORS.p95} /> : null}
    </svg>
  );
}

function HealthCard({ health }: { health: ConnectionHealth }) {
  const { lag, queue, storage, jira } = health;
  return (
    <article className="health__card" aria-labelledby={`health-title-${health.connectionId}`} data-testid={`health-${health.connectionId}`}>
      <h3 className="health__title" id={`health-title-${health.connectionId}`}>
        {health.name}
      </h3>
      <HourChart health={health} />
      <ul className="chart__legend health__legend" aria-hidden>
        <li>
          <span className="chart__swatch" style={{ background: COLORS.syncs }} />
          syncs an hour
        </li>
        <li>
          <span className="chart__swatch" style={{ background: COLORS.errors }} />
          errors
        </li>
        <li>
          <span className="chart__swatch" style={{ background: COLORS.p95 }} />
          p95 lag
        </li>
      </ul>
      <dl className="facts health__facts">
        <dt>Partner lag</dt>
        <dd data-testid="health-lag">
          {lag.count === 0 ? 'no changes arrived' : `p50 ${formatMs(lag.medianMs)} · p95 ${formatMs(lag.p95Ms)} (${plural(lag.count, 'change')})`}
        </dd>
        <dt>Queue</dt>
        <dd data-testid="health-queue">{queue.more ? `more than ${queue.depth} waiting` : `${queue.depth} waiting`}</dd>
        <dt>Paused by errors</dt>
        <dd data-testid="health-paused" className={health.pausedIssues > 0 ? 'health__alert' : undefined}>
          {plural(health.pausedIssues, 'issue')}
        </dd>
        <dt>Storage units</dt>
        <dd data-testid="health-storage" title={`${storage.readUnits.toLocaleString('en-US')} read, ${storage.writeUnits.toLocaleString('en-US')} write units counted`}>
          {percent(storage.share)} of the app's · {storageBudget(storage)}
        </dd>
        <dt>Jira calls</dt>
        <dd data-testid="health-jira">
          {percent(jira.share)} of the app's · {jiraBudget(jira)}
        </dd>
      </dl>
    </article>
  );
}

export function ConnectionHealthPanel() {
  const [health, reload] = useResource(api.getConnectionHealth);
  return (
    <section className="page-section health" aria-labelledby="health-heading" data-testid="connection-health">
      <h2 id="health-heading" className="health__heading">
        Health, last 24 hours
      </h2>
      <p className="health__note">
        Lag is the time from the partner sending a change to its arrival here. Storage units and Jira calls are those the app counted for
        each connection&apos;s syncs, against Forge&apos;s per-minute storage limit and Jira&apos;s hourly points quota.
      </p>
      {health.state === 'loading' ? <Loading label="Loading connection health" /> : null}
      {health.state === 'failed' ? <ApiErrorMessage error={health.error} onRetry={() => void reload()} /> : null}
      {health.state === 'ready' ? (
        <div className="health__cards">
          {health.value.connections.map((h) => (
            <HealthCard key={h.connectionId} health={h} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
