// Drives an emulated site the way a client does, and holds every exchange to
// the official contract: a test fails on the first request or response that
// departs from it. Also checks that each answered call is counted under the
// contract's operationId.
import type { Caller, JiraSite, ProductEvent } from '../../src/local/contracts';
import { openJiraSite, type JiraSiteOptions } from '../../src/local/jira/site';
import { createContractValidator, type ContractRequest, type ContractValidator } from '../support/contract';

export const START = Date.parse('2026-11-23T12:00:00.000Z');

export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

export function manualClock(start = START): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the response had no JSON body. */
  body: T;
  bytes: Uint8Array;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (multipart uploads, raw property values). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  as?: Caller;
  /**
   * The request departs from the contract on purpose (a fuzzer's input): only
   * the response is held to the contract.
   */
  offContract?: boolean;
}

export interface Harness {
  site: JiraSite;
  clock: ManualClock;
  events: ProductEvent[];
  validator: ContractValidator;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  close(): void;
}

export async function openHarness(
  name = 'blue',
  options: Partial<Omit<JiraSiteOptions, 'clock'>> & { clock?: ManualClock } = {},
): Promise<Harness> {
  const clock = options.clock ?? manualClock();
  const site = openJiraSite({
    name,
    dataDir: options.dataDir ?? ':memory:',
    baseUrl: options.baseUrl ?? `http://jira.test/${name}`,
    clock,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const validator = await createContractValidator();
  const events: ProductEvent[] = [];
  site.onEvent((event) => events.push(event));

  const call = async <T>(method: string, path: string, callOptions: CallOptions = {}): Promise<Answer<T>> => {
    const headers: Record<string, string> = { ...(callOptions.headers ?? {}) };
    let body: BodyInit | undefined = callOptions.rawBody;
    if (callOptions.body !== undefined) {
      body = JSON.stringify(callOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const request = new Request(`http://jira.test${path}`, { method, headers, body });
    const contentType = request.headers.get('content-type') ?? undefined;
    const operationId = validator.operationId(method, path);
    const before = operationId ? site.counters.byOperation[operationId] ?? 0 : 0;

    const response = await site.handle(request, callOptions.as ?? { kind: 'app' });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json') && bytes.byteLength > 0;
    const parsed = isJson ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : (undefined as T);

    const sentJson =
      callOptions.body ??
      (typeof callOptions.rawBody === 'string' && contentType?.includes('application/json')
        ? (JSON.parse(callOptions.rawBody) as unknown)
        : undefined);
    const exchange: ContractRequest = {
      method,
      path,
      headers: contentType ? { 'content-type': contentType } : {},
      // The validator reads a string body as JSON text, so a JSON string (a watcher's account id) goes as its text.
      body: typeof sentJson === 'string' ? JSON.stringify(sentJson) : sentJson,
    };
    if (callOptions.offContract) {
      const findings = validator.check(exchange, { status: response.status, body: parsed }).filter((f) => !/^\S+ request /.test(f));
      if (findings.length > 0) throw new Error(`Contract violation for ${method} ${path}:\n  ${findings.join('\n  ')}`);
    } else {
      validator.assert(exchange, { status: response.status, body: parsed });
    }
    // Calls turned away before reaching an operation (faults, unknown callers) are not counted.
    if (operationId && ![401, 429, 503].includes(response.status)) {
      const after = site.counters.byOperation[operationId] ?? 0;
      if (after !== before + 1) throw new Error(`${method} ${path} was not counted as ${operationId}`);
    }
    return { status: response.status, headers: response.headers, body: parsed, bytes };
  };

  return { site, clock, events, validator, call, close: () => site.close() };
}

/** A one-paragraph ADF document. */
export function adf(text: string): Record<string, unknown> {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** `Authorization: Basic` for a person, as `resolveCaller` reads it. */
export function basic(email: string): string {
  return `Basic ${Buffer.from(`${email}:any-token`).toString('base64')}`;
}
