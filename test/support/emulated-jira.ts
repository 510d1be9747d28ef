import type { HttpResponse, JiraHttp } from '../../src/ports';
import type { JiraSite } from '../../src/local/contracts';
import { openJiraSite } from '../../src/local/jira/site';

// One emulated Jira Cloud site (src/local/jira), in memory, behind the core's
// JiraHttp port: for tests that run the engine's own steps against a real
// Jira's answers without the whole runtime.

export interface EmulatedJira {
  site: JiraSite;
  http: JiraHttp;
  close(): void;
}

export function emulatedJira(name: 'blue' | 'green' = 'green', clock = { now: () => Date.parse('2026-11-23T12:00:00.000Z') }): EmulatedJira {
  const baseUrl = `http://jira.test/${name}`;
  const site = openJiraSite({ name, dataDir: ':memory:', baseUrl, clock });
  const http: JiraHttp = {
    async request(request, options) {
      const body = typeof request.body === 'string' ? request.body : request.body ? new Uint8Array(request.body) : undefined;
      const response = await site.handle(
        new Request(`http://jira.test${request.path}`, { method: request.method, headers: request.headers, body }),
        options?.asUser ? { kind: 'user', accountId: options.asUser } : { kind: 'app' },
      );
      return answerOf(response, new Uint8Array(await response.arrayBuffer()));
    },
  };
  return { site, http, close: () => site.close() };
}

/** A fetch Response, its body already read, as the JiraHttp port answers. */
export function answerOf(response: Response, bytes: Uint8Array): HttpResponse {
  return { status: response.status, headers: response.headers, text: async () => new TextDecoder().decode(bytes), bytes: async () => bytes };
}
