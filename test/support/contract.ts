// Holds a Jira REST exchange (request and response) to the official contract,
// `reference/jira-platform-openapi.normalized.json`, with openapi-backend.
//
// A full initialisation over this 2.5 MB document compiles a validator for
// each of its ~600 operations and takes about half a minute. In quick mode
// openapi-backend dereferences the document synchronously and compiles an
// operation's validators only when that operation is first checked, so a test
// file pays for the operations it uses (a few hundred milliseconds each) and
// nothing else. One validator is shared per process.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Document } from 'openapi-backend';

export interface ContractRequest {
  method: string;
  /** The REST path, with or without the query string, e.g. `/rest/api/3/issue/UD-1?fields=summary`. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** Parsed JSON body; leave undefined for multipart or empty bodies. */
  body?: unknown;
}

export interface ContractResponse {
  status: number;
  /** Parsed JSON body; undefined when the response had none. */
  body?: unknown;
}

export interface ContractValidator {
  /** The contract's operationId for a method and path, if the contract has one. */
  operationId(method: string, path: string): string | undefined;
  /** Every way the exchange departs from the contract; empty when it conforms. */
  check(request: ContractRequest, response: ContractResponse): string[];
  /** Like `check`, but throws an Error listing the departures. */
  assert(request: ContractRequest, response: ContractResponse): void;
}

// The official contract, vendored and pinned (contract/README.md has its origin and hashes).
const CONTRACT = resolve(dirname(fileURLToPath(import.meta.url)), '../../contract/jira-platform-openapi.normalized.json');
const API_PREFIX = '/rest/api/3';

// Statuses the platform answers on any operation without the contract
// declaring them (rate limits and outages are documented on their own pages).
const PLATFORM_STATUSES = new Set([429, 503]);

interface OperationResponses {
  [status: string]: { content?: Record<string, { schema?: unknown }> } | undefined;
}

let shared: Promise<ContractValidator> | undefined;

export function createContractValidator(): Promise<ContractValidator> {
  shared ??= build();
  return shared;
}

async function build(): Promise<ContractValidator> {
  const document = JSON.parse(readFileSync(process.env.JIRA_CONTRACT ?? CONTRACT, 'utf8')) as {
    components: { schemas: Record<string, unknown> };
  };
  const errorCollection = compileErrorCollection(document.components.schemas.ErrorCollection);
  const api = new OpenAPIBackend({
    definition: document as unknown as Document,
    quick: true,
    strict: false,
    validate: true,
    apiRoot: '/',
    // Unoptimised code compiles about twice as fast, and each schema is only used a few times.
    ajvOpts: { strict: false, allErrors: true, code: { optimize: false } },
    // The contract uses formats beyond JSON Schema's own (uri, date-time, uuid…);
    // registering them also keeps ajv from warning about unknown formats.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  // The router rebuilds its list of ~600 operations, and a regular expression
  // per path, on every lookup; the document never changes here, so operations
  // are listed once and matched against precompiled patterns, most specific
  // path first, with answers remembered per method and path.
  const operations = api.router.getOperations();
  api.router.getOperations = () => operations;
  const patterns = operations
    .map((operation) => ({
      operation,
      method: operation.method.toLowerCase(),
      pattern: new RegExp(`^${operation.path.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}/?$`),
      literal: operation.path.replace(/\{[^}]+\}/g, '').length,
    }))
    .sort((a, b) => b.literal - a.literal);
  const matched = new Map<string, (typeof operations)[number] | undefined>();

  const split = (request: ContractRequest): { path: string; query: Record<string, string | string[]> } => {
    const [rawPath = '', rawQuery = ''] = request.path.split('?', 2);
    const path = rawPath.startsWith(API_PREFIX) ? rawPath : `${API_PREFIX}${rawPath}`;
    const query: Record<string, string | string[]> = { ...(request.query ?? {}) };
    for (const [key, value] of new URLSearchParams(rawQuery)) {
      const existing = query[key];
      query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    return { path, query };
  };

  const match = (method: string, path: string): (typeof operations)[number] | undefined => {
    const key = `${method.toLowerCase()} ${path}`;
    if (!matched.has(key)) {
      if (matched.size > 10_000) matched.clear();
      matched.set(key, patterns.find((p) => p.method === method.toLowerCase() && p.pattern.test(path))?.operation);
    }
    return matched.get(key);
  };

  const check = (request: ContractRequest, response: ContractResponse): string[] => {
    const { path, query } = split(request);
    const operation = match(request.method, path);
    if (!operation?.operationId) return [`The contract has no operation ${request.method.toUpperCase()} ${path}`];
    const id = operation.operationId;
    const findings: string[] = [];
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const multipart = String(headers['content-type'] ?? '').startsWith('multipart/form-data');

    // Multipart bodies cannot be held to a JSON schema; their parameters still are.
    const requestResult = api.validator.validateRequest(
      {
        method: request.method.toLowerCase(),
        path,
        headers: multipart ? { ...headers, 'content-type': 'application/json' } : headers,
        query,
        body: multipart ? [] : withoutPrototypes(request.body),
      },
      operation,
    );
    for (const error of requestResult.errors ?? []) {
      findings.push(`${id} request ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    }

    const responses = operation.responses as OperationResponses;
    const status = String(response.status);
    const declared = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (!declared && !PLATFORM_STATUSES.has(response.status)) {
      findings.push(`${id} answered ${status}, which the contract does not declare (declared: ${Object.keys(responses).join(', ')})`);
    }
    const schema = declared?.content?.['application/json']?.schema;
    if (response.status === 204 && response.body !== undefined && response.body !== '') {
      findings.push(`${id} answered 204 with a body`);
    } else if (typeof schema === 'object' && schema !== null && Object.keys(schema).length > 0) {
      if (response.body === undefined) {
        findings.push(`${id} answered ${status} without the body the contract describes`);
      } else {
        const result = api.validator.validateResponse(withoutPrototypes(response.body), operation, response.status);
        for (const error of result.errors ?? []) {
          findings.push(`${id} response ${status} ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
        }
      }
    } else if (response.status >= 400 && response.body !== undefined && typeof response.body === 'object') {
      // Where the contract names no error body, Jira still answers an ErrorCollection.
      if (!errorCollection(withoutPrototypes(response.body))) {
        findings.push(`${id} answered ${status} with a body that is not an ErrorCollection: ${ajvText(errorCollection)}`);
      }
    }
    return findings;
  };

  return {
    operationId: (method, path) => match(method, split({ method, path }).path)?.operationId,
    check,
    assert(request, response) {
      const findings = check(request, response);
      if (findings.length > 0) {
        throw new Error(`Contract violation for ${request.method.toUpperCase()} ${request.path}:\n  ${findings.join('\n  ')}`);
      }
    },
  };
}

// ajv reads properties as `data[name] !== undefined`, so an object without its
// own `toString` (a changelog item with no new value) would be checked through
// Object.prototype.toString. Bodies are validated as prototype-free copies.
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (typeof value !== 'object' || value === null) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) copy[key] = withoutPrototypes(item);
  return copy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileErrorCollection(schema: unknown): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

function ajvText(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
