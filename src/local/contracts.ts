// How the parts of the local runtime meet: the emulated Jira site, its JQL
// engine and the Forge emulation. Production code never imports this file.

/** Who is making a Jira request. */
export type Caller =
  | { kind: 'app' }
  | { kind: 'user'; accountId: string };

/** A Jira product event as the site emits it; the Forge emulation delivers it to triggers. */
export interface ProductEvent {
  /** Forge event name, e.g. `avi:jira:created:issue`. */
  eventType: string;
  /** The payload a Forge trigger handler receives (Forge's documented shape, without `selfGenerated`). */
  payload: Record<string, unknown>;
  /** The accountId of whoever made the change; the app user's id for the app's own changes. */
  actorAccountId: string;
}

export type OutageMode = 'refused' | 'unavailable';

/** Fault switches for tests and benchmarks. */
export interface SiteFaults {
  /** Answer 429 with Retry-After to this share (0..1) of REST requests, chosen by a seeded generator. */
  setRateLimit(share: number, options?: { retryAfterSeconds?: number; seed?: number }): void;
  /** `refused`: the connection fails (fetch throws); `unavailable`: 503. `null` brings the site back. */
  setDown(mode: OutageMode | null): void;
  readonly down: OutageMode | null;
  /** How many requests the rate-limit switch has answered with 429 so far. */
  readonly rateLimited: number;
}

/** REST calls answered, for benchmarks ("Jira REST calls per synced issue"). */
export interface SiteCounters {
  total: number;
  byOperation: Record<string, number>;
  /** Points of Jira's quota the app's calls were charged (./jira/limits/points.ts); people's own calls cost none. */
  points: number;
  reset(): void;
}

export interface JiraSite {
  /** Short name used in URLs, e.g. `blue`. */
  readonly name: string;
  readonly cloudId: string;
  /** Absolute base URL of the site, e.g. `http://localhost:8080/blue`. */
  readonly baseUrl: string;
  /** The app's own user on this site (accountType `app`). */
  readonly appAccountId: string;
  /** The site admin person, used for requests that carry no credentials. */
  readonly adminAccountId: string;
  /**
   * Answer a REST request. `request.url` is absolute; its path starts with
   * `/rest/api/3/` relative to the site (the site prefix already stripped).
   * `app` marks a call the app made through the Forge platform: only those
   * are held to Jira's rate limits, and `onLimitHit` learns which one refused it.
   */
  handle(request: Request, caller: Caller, app?: { onLimitHit(limit: import('./forge/limits').LimitName): void }): Promise<Response>;
  /**
   * Who an incoming HTTP request acts as: `Authorization: Basic` with a seeded
   * user's email (any token) is that person; no credentials is the admin person.
   * `null` means the credentials name nobody (answer 401).
   */
  resolveCaller(authorization: string | null): Caller | null;
  /** The `Authorization` header that acts as this person (what the host page sends for the person using it). */
  credentialsFor(accountId: string): string | null;
  /** Subscribe to product events; returns an unsubscribe function. */
  onEvent(listener: (event: ProductEvent) => void): () => void;
  readonly faults: SiteFaults;
  readonly counters: SiteCounters;
  /** Jira's rate limits on the app's calls, when on (tests spend the points pool from outside the app). */
  readonly rateLimits?: import('./jira/limits/rate-limits').JiraRateLimits;
  close(): void;
}

/** The subset of an issue that JQL looks at, as the emulator stores it. */
export interface JqlIssueRecord {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  issueType: string;
  status: string;
  statusCategory: 'To Do' | 'In Progress' | 'Done';
  priority: string | null;
  resolution: string | null;
  labels: string[];
  assigneeAccountId: string | null;
  reporterAccountId: string | null;
  summary: string;
  /** Plain text of the ADF description. */
  descriptionText: string;
  /** Plain text of each comment body. */
  commentTexts: string[];
  /** Epoch milliseconds. */
  created: number;
  updated: number;
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  parentId: string | null;
  parentKey: string | null;
  /** Issue entity properties by key. */
  properties: Record<string, unknown>;
  /** Custom field values by field name and by `cf[NNNNN]` id. */
  customFields: Record<string, unknown>;
  /** Components, fix versions and affects versions by id and name; none when absent. */
  components?: JqlNamedRef[];
  fixVersions?: JqlNamedRef[];
  affectedVersions?: JqlNamedRef[];
  /** How many attachments the issue has. */
  attachmentCount?: number;
  /** accountIds of the people watching the issue. */
  watchers?: string[];
  /** Seconds, or null when not set (as Jira's time tracking fields). */
  timeSpent?: number | null;
  originalEstimate?: number | null;
  remainingEstimate?: number | null;
  /** The issue's history, oldest first, for `CHANGED` and `WAS`. */
  history?: JqlHistoryItem[];
}

export interface JqlNamedRef {
  id: string;
  name: string;
}

/** One changed field of one change, as the issue history keeps it. */
export interface JqlHistoryItem {
  /** The changelog's `fieldId`: `status`, `assignee`, `fixVersions`… */
  fieldId: string;
  /** Epoch milliseconds. */
  at: number;
  /** accountId of who made the change. */
  author: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface JqlContext {
  /** accountId of the caller, for `currentUser()`; null for the app user calling with no user context. */
  currentAccountId: string | null;
  /** Epoch ms used for relative dates and `startOfDay()`. */
  now: number;
  /** Map a user reference in a query (accountId, email or display name) to accountIds; empty if none. */
  resolveUsers(reference: string): string[];
  /** Known project keys, ids and names, so `project = NOPE` can be rejected as Jira does. */
  projectExists(reference: string): boolean;
}

export type JqlSortKey = { field: string; direction: 'ASC' | 'DESC' };

export type CompiledJql =
  | {
      ok: true;
      matches(issue: JqlIssueRecord): boolean;
      /** Compare two issues by the ORDER BY clause, or by Jira's default order when there is none. */
      compare(a: JqlIssueRecord, b: JqlIssueRecord): number;
      /** When the query pins issues by key or id (`key = X`, `key in (…)`), the keys, so callers can index. */
      pinnedKeys?: string[];
    }
  | {
      ok: false;
      /** Jira's messages, e.g. `Field 'foo' does not exist or you do not have permission to view it.` */
      errorMessages: string[];
    };
