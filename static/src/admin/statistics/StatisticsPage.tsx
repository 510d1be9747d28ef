// Apps → Exalate → Statistics: what every connection synced, in and out,
// with its errors and how long changes took to arrive.
import { PageHeader } from '../../components/PageHeader';
import { StatisticsView } from './StatisticsView';

export default function StatisticsPage() {
  return (
    <div className="page">
      <PageHeader title="Statistics" description="Syncs out and in, issues created, errors and the time from a change on one side to the other, per connection." />
      <StatisticsView />
    </div>
  );
}
