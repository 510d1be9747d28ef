// The Jira admin page: Jira's sidebar lists the subpages (manifest `pages`),
// the route picks which one renders here.
import { Suspense, lazy, type ComponentType } from 'react';
import Button from '@atlaskit/button/default/button';
import EmptyState from '@atlaskit/empty-state';
import { Loading } from '../components/Loading';
import { routeOf, useHostRouter } from '../lib/route';
import type { AdminPageProps } from './page-props';

export const ADMIN_ROUTES = ['connections', 'triggers', 'errors', 'sync-queue', 'statistics', 'settings'] as const;
export type AdminRoute = (typeof ADMIN_ROUTES)[number];

const pages: Record<AdminRoute, ComponentType<AdminPageProps>> = {
  connections: lazy(() => import('./connections/ConnectionsPage')),
  triggers: lazy(() => import('./triggers/TriggersPage')),
  errors: lazy(() => import('./errors/ErrorsPage')),
  'sync-queue': lazy(() => import('./queue/SyncQueuePage')),
  statistics: lazy(() => import('./statistics/StatisticsPage')),
  settings: lazy(() => import('./settings/SettingsPage')),
};

function isAdminRoute(route: string): route is AdminRoute {
  return (ADMIN_ROUTES as readonly string[]).includes(route);
}

export default function AdminApp() {
  const { location, navigate } = useHostRouter();
  if (!location) return <Loading />;
  // The module's own URL, without a subpage, is its first page.
  const route = routeOf(location) || 'connections';
  if (!isAdminRoute(route)) {
    return (
      <div className="page">
        <EmptyState
          header="This page doesn't exist"
          description={`There is no "${route}" page in Exalate.`}
          primaryAction={
            <Button appearance="primary" onClick={() => navigate('/connections')}>
              Go to Connections
            </Button>
          }
        />
      </div>
    );
  }
  const Page = pages[route];
  return (
    <Suspense fallback={<Loading />}>
      <Page key={route} location={location} navigate={navigate} />
    </Suspense>
  );
}
