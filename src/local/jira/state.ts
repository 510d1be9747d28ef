// Everything a request handler works with, and the one way to change data:
// `write` runs a change in a transaction and, once it is committed, refreshes
// JQL records and fires the product events the change produced.
import type { Clock } from '../../ports';
import type { ProductEvent } from '../contracts';
import type { Catalog } from './catalog';
import type { Db } from './db/schema';
import type { EventBus } from './events/bus';
import { Access } from './permissions/access';
import { PermissionScheme } from './permissions/scheme';
import { JqlRecords } from './search/records';
import type { Stores } from './store';
import type { ViewContext } from './views/context';
import { IssueView } from './views/issue';

export interface WriteTx {
  /** The clock's time for this change; every timestamp of one change is the same. */
  readonly now: number;
  emit(event: ProductEvent): void;
  /** Note that an issue changed, so search sees the change. */
  touch(issueId: number): void;
}

export class SiteState {
  readonly view: IssueView;
  readonly ctx: ViewContext;
  readonly records: JqlRecords;
  readonly permissions: PermissionScheme;
  /**
   * When search sees an issue written at `updated` (Jira's index lags behind writes). Unset: at once.
   * The latency profile sets it (src/local/forge/latency-profile.ts).
   */
  searchVisibleAt: ((issueId: string, updated: number) => number) | undefined;

  constructor(
    readonly db: Db,
    readonly catalog: Catalog,
    readonly stores: Stores,
    readonly clock: Clock,
    baseUrl: string,
    private readonly bus: EventBus,
  ) {
    this.ctx = { baseUrl, catalog };
    this.view = new IssueView(this.ctx, stores);
    this.records = new JqlRecords(catalog, stores);
    this.permissions = PermissionScheme.read(db, catalog);
  }

  /** What `accountId` (a person, or the app's own account) may see and do, for one request. */
  access(accountId: string): Access {
    return new Access(this.permissions, this.catalog, this.stores.issues, accountId);
  }

  write<T>(change: (tx: WriteTx) => T): T {
    const events: ProductEvent[] = [];
    const touched = new Set<number>();
    const tx: WriteTx = {
      now: this.clock.now(),
      emit: (event) => events.push(event),
      touch: (issueId) => touched.add(issueId),
    };
    const result = this.db.transaction(() => change(tx))();
    for (const id of touched) this.records.invalidate(id);
    for (const event of events) this.bus.emit(event);
    return result;
  }
}
