// jira.js (the widely used typed Jira client) pointed at an emulated site in
// the in-process runtime: its axios requests go through the fetch adapter to
// `rt.fetch`, and every exchange is held to the official contract on the way,
// the findings kept for the test to assert on.
import { Version3Client } from 'jira.js';
import type { LocalRuntime } from '../../src/local/runtime';
import { createContractValidator, type ContractValidator } from './contract';

export interface ContractedClient {
  client: Version3Client;
  /** Every departure from the contract seen so far, one line per exchange. */
  findings: string[];
  /** `METHOD /rest/api/3/…` of every exchange, in order. */
  calls: string[];
}

/** `email` acts as that person (the sandbox takes any token); without one, as the site admin. */
export async function jiraJs(rt: LocalRuntime, site: string, email?: string): Promise<ContractedClient> {
  const validator = await createContractValidator();
  const findings: string[] = [];
  const calls: string[] = [];
  const host = `${rt.baseUrl}/${site}`;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await rt.fetch(request.clone());
    await check(validator, host, request, response.clone(), findings, calls);
    return response;
  };
  const client = new Version3Client({
    host,
    ...(email ? { authentication: { basic: { email, apiToken: 'sandbox' } } } : {}),
    baseRequestConfig: { adapter: 'fetch', env: { fetch } },
  });
  return { client, findings, calls };
}

async function check(
  validator: ContractValidator,
  host: string,
  request: Request,
  response: Response,
  findings: string[],
  calls: string[],
): Promise<void> {
  const url = new URL(request.url);
  const path = `${url.pathname.slice(new URL(host).pathname.length)}${url.search}`;
  calls.push(`${request.method} ${url.pathname.slice(new URL(host).pathname.length)}`);
  const contentType = request.headers.get('content-type') ?? '';
  const sent = contentType.includes('application/json') ? await request.text() : '';
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json') && text.length > 0;
  let body: unknown = sent === '' ? undefined : JSON.parse(sent);
  // The validator reads a string body as JSON text (a watcher's account id).
  if (typeof body === 'string') body = JSON.stringify(body);
  findings.push(...validator.check(
    { method: request.method, path, headers: contentType ? { 'content-type': contentType } : {}, body },
    { status: response.status, body: isJson ? JSON.parse(text) : undefined },
  ));
}
