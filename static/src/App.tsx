// One bundle for every module: the module key picks the app.
import { Suspense, lazy } from 'react';
import EmptyState from '@atlaskit/empty-state';
import { Loading } from './components/Loading';
import { useForgeContext } from './context';

const AdminApp = lazy(() => import('./admin/AdminApp'));
const ProjectSettingsPage = lazy(() => import('./project/ProjectSettingsPage'));
const IssuePanel = lazy(() => import('./issue/IssuePanel'));

export const MODULE_KEYS = {
  admin: 'exalate-admin',
  projectSettings: 'exalate-project-settings',
  issuePanel: 'exalate-issue-panel',
} as const;

function ModuleApp({ moduleKey }: { moduleKey: string }) {
  switch (moduleKey) {
    case MODULE_KEYS.admin:
      return <AdminApp />;
    case MODULE_KEYS.projectSettings:
      return <ProjectSettingsPage />;
    case MODULE_KEYS.issuePanel:
      return <IssuePanel />;
    default:
      return (
        <div className="page">
          <EmptyState header="Nothing to show here" description={`Exalate has no page for the module "${moduleKey}".`} />
        </div>
      );
  }
}

export default function App() {
  const { moduleKey } = useForgeContext();
  return (
    <Suspense fallback={<Loading />}>
      <ModuleApp moduleKey={moduleKey} />
    </Suspense>
  );
}
