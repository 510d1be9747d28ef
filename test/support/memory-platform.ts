import type {
  Clock,
  HttpRequest,
  InvocationBudget,
  HttpResponse,
  JiraHttp,
  Kvs,
  KvsPage,
  KvsSetOptions,
  KvsTransactionOp,
  Log,
  PartnerHttp,
  PartnerUrlPolicy,
  Platform,
  Queue,
  QueueEvent,
  Random,
  WebTriggerUrls,
} from '../../src/ports';
import type { z } from 'zod';
import { KVS_LIMITS } from '../../src/ports';
import type { WebTriggerRequest, WebTriggerResponse } from '../../src/transport/types';

// An in-memory Platform for core tests: KVS with Forge's limits and error
// codes, a queue drained by hand, a clock that moves only when told, a seeded
// random source, a Jira that knows a few projects, and a partner network
// that routes web trigger URLs to other in-memory installations.

// ---------------------------------------------------------------- clock, random, log

export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export class SeededRandom implements Random {
  private state: number;
  constructor(seed = 1) {
    this.state = seed >>> 0;
  }
  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const n = this.next32();
      for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (n >>> (j * 8)) & 0xff;
    }
    return out;
  }
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = Buffer.from(b).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export class MemoryLog implements Log {
  readonly entries: LogEntry[] = [];
  info(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: 'error', message, fields });
  }
  /** Everything logged, as one string, for "was X ever logged" checks. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}

// ---------------------------------------------------------------- KVS

/** Forge KVS's error shape: a code and a message (see "Error handling for the Key-Value Store"). */
export class KvsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KvsError';
  }
}

/** Thrown by an armed crash switch: the invocation dies where it stands. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash at ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/** The stored data of one installation; outlives any number of MemoryKvs views ("restarts"). */
export class KvsData {
  readonly values = new Map<string, string>();
  readonly secrets = new Map<string, string>();
  /** Keys written with a TTL → when they expire (ms); absent keys never do. */
  readonly expiries = new Map<string, number>();
}

export type KvsOp = 'get' | 'set' | 'setIfAbsent' | 'delete' | 'query' | 'transact' | 'getSecret' | 'setSecret' | 'deleteSecret';

function depthOf(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length < 1) throw new KvsError('KEY_TOO_SHORT', 'The provided key is empty.');
  if (key.length > KVS_LIMITS.maxKeyLength) throw new KvsError('KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.maxKeyLength} characters.`);
  if (!KVS_LIMITS.keyPattern.test(key)) throw new KvsError('INVALID_KEY', `The provided key does not match the regex: ${KVS_LIMITS.keyPattern}`);
}

function encodeValue(value: unknown): string {
  if (value === undefined) throw new KvsError('INVALID_VALUE', 'The provided value is undefined.');
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text, 'utf8') > KVS_LIMITS.maxValueBytes) {
    throw new KvsError('MAX_SIZE', `The provided value has exceeded the maximum size limit (${KVS_LIMITS.maxValueBytes} bytes).`);
  }
  if (depthOf(value) > KVS_LIMITS.maxDepth) throw new KvsError('MAX_DEPTH', `The provided value has exceeded the maximum depth (${KVS_LIMITS.maxDepth}).`);
  return text;
}

export class MemoryKvs implements Kvs {
  /** Called before every operation; throw from it to inject a fault (e.g. a SimulatedCrash). */
  beforeOp?: (op: KvsOp, key: string) => void;
  /** Called after every successful write; throw from it to die right after something was stored. */
  afterWrite?: (op: KvsOp, key: string) => void;
  /** Operations performed through this view. */
  ops = 0;

  /** `now` decides TTL expiry: pass the test's clock so keys expire when the test moves it. */
  constructor(
    readonly data: KvsData = new KvsData(),
    private readonly now: () => number = () => Date.now(),
  ) {}

  private enter(op: KvsOp, key: string): void {
    this.ops++;
    this.beforeOp?.(op, key);
  }

  /** An expired key is gone, as the local KVS store has it (Forge may delete it later, but never brings it back). */
  private live(key: string): boolean {
    const expires = this.data.expiries.get(key);
    if (expires !== undefined && expires <= this.now()) {
      this.data.values.delete(key);
      this.data.expiries.delete(key);
    }
    return this.data.values.has(key);
  }

  private write(key: string, text: string, options?: KvsSetOptions): void {
    this.data.values.set(key, text);
    const ttl = options?.ttlSeconds;
    if (ttl === undefined) this.data.expiries.delete(key);
    else {
      if (!(ttl > 0) || ttl > 365 * 86_400) throw new KvsError('INVALID_TTL', 'The TTL must be positive and at most one year.');
      this.data.expiries.set(key, this.now() + ttl * 1000);
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.enter('get', key);
    checkKey(key);
    if (!this.live(key)) return undefined;
    return JSON.parse(this.data.values.get(key)!) as T;
  }

  async set(key: string, value: unknown, options?: KvsSetOptions): Promise<void> {
    this.enter('set', key);
    checkKey(key);
    this.write(key, encodeValue(value), options);
    this.afterWrite?.('set', key);
  }

  async setIfAbsent(key: string, value: unknown, options?: KvsSetOptions): Promise<boolean> {
    this.enter('setIfAbsent', key);
    checkKey(key);
    const text = encodeValue(value);
    if (this.live(key)) return false;
    this.write(key, text, options);
    this.afterWrite?.('setIfAbsent', key);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.enter('delete', key);
    checkKey(key);
    this.data.values.delete(key);
    this.data.expiries.delete(key);
    this.afterWrite?.('delete', key);
  }

  async query<T>(prefix: string, options: { limit?: number; cursor?: string } = {}): Promise<KvsPage<T>> {
    this.enter('query', prefix);
    const limit = options.limit ?? KVS_LIMITS.maxQueryLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > KVS_LIMITS.maxQueryLimit) {
      throw new KvsError('LIST_QUERY_LIMIT_EXCEEDED', `limit must be between 1 and ${KVS_LIMITS.maxQueryLimit}.`);
    }
    let after: string | undefined;
    if (options.cursor !== undefined) {
      try {
        const decoded = JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as { after?: unknown; prefix?: unknown };
        if (typeof decoded.after !== 'string' || decoded.prefix !== prefix) throw new Error('mismatch');
        after = decoded.after;
      } catch {
        throw new KvsError('INVALID_CURSOR', 'The cursor is not valid for this query.');
      }
    }
    const keys = [...this.data.values.keys()].filter((k) => k.startsWith(prefix) && (after === undefined || k > after) && this.live(k)).sort();
    const page = keys.slice(0, limit);
    const results = page.map((key) => ({ key, value: JSON.parse(this.data.values.get(key)!) as T }));
    const last = page[page.length - 1];
    return keys.length > limit && last !== undefined
      ? { results, nextCursor: Buffer.from(JSON.stringify({ prefix, after: last })).toString('base64url') }
      : { results };
  }

  async transact(ops: KvsTransactionOp[]): Promise<void> {
    this.enter('transact', ops[0]?.key ?? '');
    if (ops.length > KVS_LIMITS.maxTransactionOps) {
      throw new KvsError('TOO_MANY_OPERATIONS', `A transaction takes at most ${KVS_LIMITS.maxTransactionOps} operations.`);
    }
    const seen = new Set<string>();
    const prepared = ops.map((op) => {
      checkKey(op.key);
      if (seen.has(op.key)) throw new KvsError('DUPLICATE_KEY', `The key ${op.key} appears twice in one transaction.`);
      seen.add(op.key);
      return op.kind === 'set' ? { key: op.key, text: encodeValue(op.value) } : { key: op.key, text: undefined };
    });
    for (const op of prepared) {
      if (op.text === undefined) {
        this.data.values.delete(op.key);
        this.data.expiries.delete(op.key);
      } else this.write(op.key, op.text);
    }
  }

  async getSecret<T>(key: string): Promise<T | undefined> {
    this.enter('getSecret', key);
    checkKey(key);
    const text = this.data.secrets.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async setSecret(key: string, value: unknown): Promise<void> {
    this.enter('setSecret', key);
    checkKey(key);
    this.data.secrets.set(key, encodeValue(value));
  }

  async deleteSecret(key: string): Promise<void> {
    this.enter('deleteSecret', key);
    checkKey(key);
    this.data.secrets.delete(key);
  }

  /** Everything stored, values and secrets, for before/after comparisons. */
  snapshot(): { values: Record<string, unknown>; secrets: Record<string, unknown> } {
    for (const key of [...this.data.values.keys()]) this.live(key);
    const sorted = (m: Map<string, string>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, JSON.parse(v)]));
    return { values: sorted(this.data.values), secrets: sorted(this.data.secrets) };
  }

  keys(prefix = ''): string[] {
    return [...this.data.values.keys()].filter((k) => k.startsWith(prefix) && this.live(k)).sort();
  }

  /** When a key expires (ms since the epoch), or undefined when it does not. */
  expiresAt(key: string): number | undefined {
    return this.live(key) ? this.data.expiries.get(key) : undefined;
  }
}

// ---------------------------------------------------------------- queue

export interface QueuedEvent {
  id: number;
  body: Record<string, unknown>;
  availableAt: number;
  /** Deliveries so far that failed (the consumer threw). */
  attempts: number;
}

/** The events of one installation's queue; outlives restarts like KvsData. */
export class QueueData {
  events: QueuedEvent[] = [];
  nextId = 1;
  pushes = 0;
}

/** Forge's async queue, drained by hand: `takeDue()` hands out what is due at the clock's time. */
export class ManualQueue implements Queue {
  constructor(
    private readonly clock: Clock,
    readonly data: QueueData = new QueueData(),
  ) {}

  async push(events: QueueEvent[]): Promise<{ jobId: string }> {
    if (events.length === 0) throw new Error('Queue.push needs at least one event.');
    if (events.length > 50) throw new Error('Queue.push takes at most 50 events.');
    const size = Buffer.byteLength(JSON.stringify(events.map((e) => e.body)), 'utf8');
    if (size > 200 * 1024) throw new Error(`Queue.push takes at most 200 KB; this push is ${size} bytes.`);
    for (const event of events) {
      const delay = event.delayInSeconds ?? 0;
      if (delay < 0 || delay > 900) throw new Error('delayInSeconds must be between 0 and 900.');
      this.data.events.push({
        id: this.data.nextId++,
        body: JSON.parse(JSON.stringify(event.body)) as Record<string, unknown>,
        availableAt: this.clock.now() + delay * 1000,
        attempts: 0,
      });
    }
    this.data.pushes++;
    return { jobId: `job-${this.data.pushes}` };
  }

  /** The next due event (earliest first), removed from the queue. */
  takeDue(): QueuedEvent | undefined {
    const now = this.clock.now();
    let best: QueuedEvent | undefined;
    for (const e of this.data.events) {
      if (e.availableAt <= now && (!best || e.availableAt < best.availableAt || (e.availableAt === best.availableAt && e.id < best.id))) best = e;
    }
    if (best) this.data.events.splice(this.data.events.indexOf(best), 1);
    return best;
  }

  /** Put a failed event back, as Forge retries a consumer that threw. */
  retry(event: QueuedEvent, delayMs: number): void {
    this.data.events.push({ ...event, attempts: event.attempts + 1, availableAt: this.clock.now() + delayMs });
  }

  nextAvailableAt(): number | undefined {
    let min: number | undefined;
    for (const e of this.data.events) if (min === undefined || e.availableAt < min) min = e.availableAt;
    return min;
  }

  get size(): number {
    return this.data.events.length;
  }

  pending(kind?: string): QueuedEvent[] {
    return this.data.events.filter((e) => kind === undefined || e.body.kind === kind);
  }
}

// ---------------------------------------------------------------- HTTP

function httpResponse(status: number, headers: Record<string, string>, body: string | Uint8Array): HttpResponse {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    status,
    headers: new Headers(headers),
    text: async () => new TextDecoder().decode(bytes),
    bytes: async () => bytes,
  };
}

export interface MemoryProject {
  key: string;
  name: string;
  id?: string;
}

/** A Jira that knows its projects; anything else goes to `fallback` (404 by default). */
export class MemoryJira implements JiraHttp {
  readonly requests: HttpRequest[] = [];
  fallback?: (request: HttpRequest) => Promise<HttpResponse>;

  /** Who holds which permissions, for `mypermissions` asked as a person: the site admin `admin` holds all. */
  readonly permissionsOf = new Map<string, Set<string>>([['admin', new Set(['ADMINISTER', 'ADMINISTER_PROJECTS', 'BROWSE_PROJECTS', 'EDIT_ISSUES'])]]);

  constructor(readonly projects: MemoryProject[] = []) {}

  async request(request: HttpRequest, options?: { asUser?: string }): Promise<HttpResponse> {
    this.requests.push(request);
    const permissions = request.method === 'GET' ? /^\/rest\/api\/3\/mypermissions\?(.*)$/.exec(request.path) : null;
    if (permissions) {
      const held = this.permissionsOf.get(options?.asUser ?? '') ?? new Set<string>();
      const keys = (new URLSearchParams(permissions[1]).get('permissions') ?? '').split(',').filter(Boolean);
      const answer = Object.fromEntries(keys.map((key) => [key, { key, havePermission: held.has(key) }]));
      return httpResponse(200, { 'content-type': 'application/json' }, JSON.stringify({ permissions: answer }));
    }
    const match = request.method === 'GET' ? /^\/rest\/api\/3\/project\/([^/?]+)(\?.*)?$/.exec(request.path) : null;
    if (match) {
      const ref = decodeURIComponent(match[1]!);
      const project = this.projects.find((p, i) => p.key === ref || (p.id ?? String(10000 + i)) === ref);
      if (!project) {
        return httpResponse(404, { 'content-type': 'application/json' }, JSON.stringify({ errorMessages: [`No project could be found with key '${ref}'.`], errors: {} }));
      }
      const id = project.id ?? String(10000 + this.projects.indexOf(project));
      return httpResponse(200, { 'content-type': 'application/json' }, JSON.stringify({ id, key: project.key, name: project.name }));
    }
    if (this.fallback) return this.fallback(request);
    return httpResponse(404, { 'content-type': 'application/json' }, JSON.stringify({ errorMessages: ['Not found.'] }));
  }
}

/** Forge's web trigger request and response, as the handler sees them (the transport's own types). */
export type WebTriggerCall = z.output<typeof WebTriggerRequest>;
export type WebTriggerAnswer = WebTriggerResponse;
export type WebTriggerHandler = (request: WebTriggerCall) => Promise<WebTriggerAnswer>;

/** `silent`: the call is taken and never answered; it ends only when the caller aborts it. */
export type Outage = 'refused' | 'unavailable' | 'silent';

export interface NetworkRecord {
  url: string;
  method: string;
  status: number | 'refused' | 'lost';
  requestBytes: number;
}

/** Routes partner calls to installations' web trigger handlers, with switches to break things. */
export class PartnerNetwork {
  private readonly routes = new Map<string, WebTriggerHandler>();
  private readonly outages = new Map<string, Outage>();
  private readonly lostResponses = new Map<string, number>();
  readonly log: NetworkRecord[] = [];

  private static keyOf(url: string): string {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  }

  register(url: string, handler: WebTriggerHandler): void {
    this.routes.set(PartnerNetwork.keyOf(url), handler);
  }

  /** `refused`: the call throws as a dead host does; `unavailable`: 503; `silent`: no answer ever. `null` brings it back. */
  setDown(url: string, outage: Outage | null): void {
    if (outage) this.outages.set(PartnerNetwork.keyOf(url), outage);
    else this.outages.delete(PartnerNetwork.keyOf(url));
  }

  /** The next `count` requests to `url` are handled, but their answers never reach the caller. */
  loseResponses(url: string, count: number): void {
    this.lostResponses.set(PartnerNetwork.keyOf(url), count);
  }

  /** The sandbox's own sites are the web triggers registered here: only they may be called over http. */
  urlPolicy(): PartnerUrlPolicy {
    return {
      isSandboxLoopback: (url) => URL.canParse(url) && this.routes.has(PartnerNetwork.keyOf(url)),
      // A sandbox site is the one whose web triggers are registered here (`<site>/x/<key>`).
      isSandboxSite: (url) => URL.canParse(url) && [...this.routes.keys()].some((route) => route.startsWith(`${PartnerNetwork.keyOf(url).replace(/\/+$/, '')}/x/`)),
    };
  }

  client(): PartnerHttp {
    return {
      fetch: async (url, init) => {
        const key = PartnerNetwork.keyOf(url);
        const record: NetworkRecord = { url, method: init.method, status: 'refused', requestBytes: Buffer.byteLength(init.body ?? '', 'utf8') };
        this.log.push(record);
        const handler = this.routes.get(key);
        const outage = this.outages.get(key);
        if (!handler || outage === 'refused') throw new TypeError('fetch failed (connection refused)');
        if (outage === 'silent') {
          record.status = 'lost';
          const signal = init.signal;
          // Without a signal this would hang the test for ever: every partner call must carry a deadline.
          if (!signal) throw new Error('a partner call was made without a deadline (no AbortSignal)');
          return new Promise<HttpResponse>((_, reject) => {
            const abort = () => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
            if (signal.aborted) abort();
            else signal.addEventListener('abort', abort, { once: true });
          });
        }
        if (outage === 'unavailable') {
          record.status = 503;
          return httpResponse(503, { 'retry-after': '30' }, '');
        }
        const u = new URL(url);
        const queryParameters: Record<string, string[]> = {};
        u.searchParams.forEach((value, name) => {
          (queryParameters[name] ??= []).push(value);
        });
        const headers: Record<string, string[]> = {};
        for (const [name, value] of Object.entries(init.headers)) headers[name.toLowerCase()] = [value];
        const answer = await handler({ method: init.method, headers, body: init.body ?? '', path: u.pathname, queryParameters });
        const lost = this.lostResponses.get(key) ?? 0;
        if (lost > 0) {
          this.lostResponses.set(key, lost - 1);
          record.status = 'lost';
          throw new TypeError('fetch failed (connection reset before the answer arrived)');
        }
        record.status = answer.statusCode;
        const flat: Record<string, string> = {};
        for (const [name, values] of Object.entries(answer.headers ?? {})) flat[name] = values.join(', ');
        return httpResponse(answer.statusCode, flat, answer.body ?? '');
      },
    };
  }
}

// ---------------------------------------------------------------- platform

export interface MemoryPlatformOptions {
  clock?: FakeClock;
  random?: Random;
  network?: PartnerNetwork;
  kvs?: MemoryKvs;
  queue?: ManualQueue;
  jira?: JiraHttp;
  log?: MemoryLog;
  /** Where this installation's web triggers live: `<base>/x/<key>`. */
  webTriggerBase?: string;
  /** Milliseconds the invocation has left, as the platform would tell the core; absent: unknown. */
  remainingMs?: () => number | undefined;
}

export interface MemoryPlatform extends Platform {
  kvs: MemoryKvs;
  queue: ManualQueue;
  clock: FakeClock;
  log: MemoryLog;
}

export function createMemoryPlatform(options: MemoryPlatformOptions = {}): MemoryPlatform {
  const clock = options.clock ?? new FakeClock();
  const base = options.webTriggerBase ?? 'http://localhost:8080/site';
  const webTriggers: WebTriggerUrls = { getUrl: async (key) => `${base}/x/${key}` };
  const network = options.network ?? new PartnerNetwork();
  const remainingMs = options.remainingMs;
  const invocation: InvocationBudget | undefined = remainingMs && { remainingMs: () => remainingMs() };
  return {
    kvs: options.kvs ?? new MemoryKvs(undefined, () => clock.now()),
    queue: options.queue ?? new ManualQueue(clock),
    jira: options.jira ?? new MemoryJira(),
    partner: network.client(),
    partnerUrls: network.urlPolicy(),
    ...(invocation ? { invocation } : {}),
    webTriggers,
    clock,
    random: options.random ?? new SeededRandom(1),
    log: options.log ?? new MemoryLog(),
  };
}
