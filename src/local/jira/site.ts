// An emulated Jira Cloud site: its REST API, its product events, its faults.
// Each site keeps its data in its own SQLite database, seeded once when empty.
import { join } from 'node:path';
import type { Clock } from '../../ports';
import type { Caller, JiraSite, ProductEvent } from '../contracts';
import { credentialsFor, resolveCaller } from './auth';
import { Catalog } from './catalog';
import { Counters } from './counters';
import { hasPermissions, isSeeded, markSeeded, upgradeSeed, writeSeedMetadata, writeSeedPermissions } from './db/apply-seed';
import { openDatabase } from './db/schema';
import { writeSeedIssues } from './db/seed-issues';
import { EventBus } from './events/bus';
import { Faults } from './faults';
import { JiraRateLimits } from './limits/rate-limits';
import { PointsQuota } from './limits/quota';
import { rateLimitGate, type AppCall, type GateEnv } from './limits/site-gate';
import { jiraError } from './http/respond';
import { buildRouter } from './http/router';
import { assigneeRoutes } from './routes/assignee';
import { attachmentRoutes } from './routes/attachments';
import { commentRoutes } from './routes/comments';
import { componentRoutes } from './routes/components';
import { fieldRoutes } from './routes/fields';
import { issueRoutes } from './routes/issues';
import { linkRoutes } from './routes/links';
import { linkTypeRoutes } from './routes/link-types';
import { metadataRoutes } from './routes/metadata';
import { permissionRoutes } from './routes/permissions';
import { propertyRoutes } from './routes/properties';
import { searchRoutes } from './routes/search';
import { userRoutes } from './routes/users';
import { versionRoutes } from './routes/versions';
import { watcherRoutes } from './routes/watchers';
import { workflowRoutes } from './routes/workflows';
import { worklogRoutes } from './routes/worklogs';
import { seedForSite } from './seed';
import { SiteSeedSchema, type SiteSeed, type SiteSeedInput } from './seed-schema';
import { SiteState } from './state';
import { Stores } from './store';

export interface JiraSiteOptions {
  /** Short name used in URLs, e.g. `blue`. */
  name: string;
  /** Directory of the site's database (`<dataDir>/<name>-jira.sqlite`), or ':memory:'. */
  dataDir: string;
  /** Absolute base URL of the site, e.g. `http://localhost:8080/blue`. */
  baseUrl: string;
  clock: Clock;
  /** When search sees a write (the index lags; see SiteState.searchVisibleAt). Default: at once. */
  searchVisibleAt?: (issueId: string, updated: number) => number;
  /** Content for an empty database; blue and green have defaults, other names start as a copy of blue. */
  seed?: SiteSeedInput;
  /**
   * Jira's rate limits on the app's calls (./limits/): on by default, with a
   * points pool of the site's own; the runtime gives all its sites one pool
   * (Tier 1) and its clock. `false` turns them off (debugging only).
   */
  rateLimits?: false | { quota?: PointsQuota; clock?: Clock };
}

export function openJiraSite(options: JiraSiteOptions): JiraSite {
  const path = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, `${options.name}-jira.sqlite`);
  const db = openDatabase(path);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const bus = new EventBus();

  const seed = (): SiteSeed => (options.seed ? SiteSeedSchema.parse(options.seed) : seedForSite(options.name));
  if (!isSeeded(db)) {
    const content = seed();
    db.transaction(() => {
      writeSeedMetadata(db, content);
      // Nobody listens yet, so seeding fires no events anywhere.
      const seeding = new SiteState(db, new Catalog(db), new Stores(db), options.clock, baseUrl, new EventBus());
      writeSeedIssues(seeding, content);
      markSeeded(db);
    })();
  } else {
    // Data seeded by an older emulator keeps its issues and gains what the
    // seed added since: drawn workflows, field contexts, new projects, and
    // permission schemes for data from before sites had them.
    const content = seed();
    db.transaction(() => {
      upgradeSeed(db, content);
      if (!hasPermissions(db)) writeSeedPermissions(db, content);
    })();
  }

  const catalog = new Catalog(db);
  const state = new SiteState(db, catalog, new Stores(db), options.clock, baseUrl, bus);
  state.searchVisibleAt = options.searchVisibleAt;
  const faults = new Faults(options.clock);
  const counters = new Counters();
  const rateLimits =
    options.rateLimits === false ? undefined : new JiraRateLimits(options.rateLimits?.clock ?? options.clock, options.rateLimits?.quota ?? new PointsQuota('tenant'), (points) => counters.chargePoints(points));
  const router = buildRouter<GateEnv>(
    [
      ...metadataRoutes(state),
      ...fieldRoutes(state),
      ...workflowRoutes(state),
      ...componentRoutes(state),
      ...versionRoutes(state),
      ...userRoutes(state),
      ...permissionRoutes(state),
      ...issueRoutes(state),
      ...assigneeRoutes(state),
      ...watcherRoutes(state),
      ...commentRoutes(state),
      ...worklogRoutes(state),
      ...attachmentRoutes(state),
      ...linkRoutes(state),
      ...linkTypeRoutes(state),
      ...propertyRoutes(state),
      ...searchRoutes(state),
    ],
    (operationId) => counters.count(operationId),
    rateLimits ? rateLimitGate(rateLimits, state) : undefined,
  );
  let closed = false;

  return {
    name: options.name,
    cloudId: catalog.site.cloudId,
    baseUrl,
    appAccountId: catalog.site.appAccountId,
    adminAccountId: catalog.site.adminAccountId,
    faults,
    counters,
    ...(rateLimits ? { rateLimits } : {}),

    async handle(request: Request, caller: Caller, app?: AppCall): Promise<Response> {
      if (closed) throw new TypeError('fetch failed');
      const fault = faults.intercept(request.method);
      if (fault) return fault;
      const actor = caller.kind === 'app' ? catalog.site.appAccountId : caller.accountId;
      if (!catalog.user(actor)?.active) return jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
      return router.fetch(request, { actor, caller, ...(app ? { app } : {}) });
    },

    resolveCaller(authorization: string | null): Caller | null {
      return resolveCaller(catalog, authorization);
    },
    credentialsFor(accountId: string): string | null {
      return credentialsFor(catalog, accountId);
    },

    onEvent(listener: (event: ProductEvent) => void): () => void {
      return bus.subscribe(listener);
    },

    close(): void {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
