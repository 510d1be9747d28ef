import { PageHeader } from '../../components/PageHeader';
import type { AdminPageProps } from '../page-props';
import { TriggersPanel } from './TriggersPanel';

export default function TriggersPage(_: AdminPageProps) {
  return (
    <div className="page">
      <PageHeader
        title="Triggers"
        description="A trigger starts syncing every issue its JQL query matches, as soon as the issue is created or changed."
      />
      <TriggersPanel />
    </div>
  );
}
