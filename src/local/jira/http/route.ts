// A REST operation of the emulated site: method, path, the contract's
// operationId (for counters) and a handler over web-standard Request/Response.
import type { Caller } from '../../contracts';

export interface Call {
  request: Request;
  url: URL;
  params: Record<string, string>;
  /** The accountId the request acts as: a person, or the app user for the app's own calls. */
  actor: string;
  caller: Caller;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Hono path under the site, e.g. `/rest/api/3/issue/:issueIdOrKey`. */
  path: string;
  operationId: string;
  handle(call: Call): Response | Promise<Response>;
}
