import type Database from 'better-sqlite3';
import { KVS_LIMITS } from '../../ports';
import { KvsQuota, unitsFor, type KvsCharge } from './kvs-quota';
import { FORGE_LIMITS, limitEntries, type LimitName } from './limits';
import type { KvsCallKind, SiteUsage } from './usage';

// A SQLite store that speaks the Forge KVS wire protocol (`POST /api/v1/*`),
// so the real `@forge/kvs` SDK runs against it unchanged. One table holds
// every installation's keys; plain values and secrets are separate spaces.
// Every request is metered per installation (src/local/forge/kvs-quota.ts)
// and counted (usage.ts) here, below the SDK, where nothing can go around it;
// errors carry the codes Forge's KVS documents, so the SDK raises the same
// ForgeKvsAPIError a Forge app would see.

type Space = 'plain' | 'secret';

const L = FORGE_LIMITS.kvs;
const LIMIT_VALUES = new Map(limitEntries());

interface KvsError {
  status: number;
  code: string;
  message: string;
  /** The limit this refusal enforces, for the usage counters. */
  limit?: LimitName;
}

const fail = (status: number, code: string, message: string, limit?: LimitName): KvsError => ({ status, code, message, limit });

class KvsFailure extends Error {
  constructor(readonly error: KvsError) {
    super(error.message);
  }
}

/** Each path the SDK calls: what it is for the counters and whether it reads or writes. */
const OPERATIONS: Record<string, { kind: KvsCallKind; access: 'read' | 'write'; batch: boolean; space: Space }> = {
  '/api/v1/get': { kind: 'get', access: 'read', batch: false, space: 'plain' },
  '/api/v1/set': { kind: 'set', access: 'write', batch: false, space: 'plain' },
  '/api/v1/delete': { kind: 'delete', access: 'write', batch: false, space: 'plain' },
  '/api/v1/query': { kind: 'query', access: 'read', batch: false, space: 'plain' },
  '/api/v1/batch/get': { kind: 'batchGet', access: 'read', batch: true, space: 'plain' },
  '/api/v1/batch/set': { kind: 'batchSet', access: 'write', batch: true, space: 'plain' },
  '/api/v1/batch/delete': { kind: 'batchDelete', access: 'write', batch: true, space: 'plain' },
  '/api/v1/transaction': { kind: 'transaction', access: 'write', batch: false, space: 'plain' },
  '/api/v1/secret/get': { kind: 'secretGet', access: 'read', batch: false, space: 'secret' },
  '/api/v1/secret/set': { kind: 'secretSet', access: 'write', batch: false, space: 'secret' },
  '/api/v1/secret/delete': { kind: 'secretDelete', access: 'write', batch: false, space: 'secret' },
};

export interface LocalKvsStoreOptions {
  /** The clock TTLs and the limit windows read. */
  now: () => number;
  /** Enforce Forge's rate limits (requests, units, batches, per-key throughput); sizes and shapes always hold. */
  enforceRates?: boolean;
  /** The usage counters of an installation, if it has any. */
  usage?: (installation: string) => SiteUsage | undefined;
}

interface Outcome {
  result: unknown;
  /** Bytes of values written, for `kvs.bytesWritten`. */
  written: number;
  /** Bytes read per key, for the per-key read limit. */
  keyReads: [string, number][];
}

/** A fault switch for tests: refuse the next requests that match, as Forge refuses one over a rate limit. */
interface RefusalFault {
  installation: string;
  match: (path: string, body: unknown) => boolean;
  times: number;
}

export class LocalKvsStore {
  private readonly statements;
  private readonly faults: RefusalFault[] = [];
  private readonly now: () => number;
  private readonly quota: KvsQuota | undefined;
  private readonly usage: (installation: string) => SiteUsage | undefined;

  constructor(
    private readonly db: Database.Database,
    options: LocalKvsStoreOptions | (() => number),
  ) {
    const opts = typeof options === 'function' ? { now: options } : options;
    this.now = opts.now;
    this.quota = opts.enforceRates === false ? undefined : new KvsQuota();
    this.usage = opts.usage ?? (() => undefined);
    db.exec(`
      CREATE TABLE IF NOT EXISTS kvs (
        installation TEXT NOT NULL,
        space TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (installation, space, key)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      get: db.prepare(
        'SELECT key, value, created_at, updated_at, expires_at FROM kvs WHERE installation = ? AND space = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)',
      ),
      upsert: db.prepare(
        `INSERT INTO kvs (installation, space, key, value, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (installation, space, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
      ),
      remove: db.prepare('DELETE FROM kvs WHERE installation = ? AND space = ? AND key = ?'),
      page: db.prepare(
        `SELECT key, value, expires_at FROM kvs WHERE installation = ? AND space = 'plain' AND key >= ? AND key > ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY key LIMIT ?`,
      ),
      expire: db.prepare('DELETE FROM kvs WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
  }

  /** Answer one KVS API call for `installation`, as the Forge platform would. */
  async handle(installation: string, path: string, init: RequestInit | undefined): Promise<Response> {
    const operation = OPERATIONS[path];
    const usage = this.usage(installation);
    if (!operation) {
      return errorResponse(fail(501, 'NOT_IMPLEMENTED', `The local KVS does not implement ${path} (custom entities are not used by this app).`));
    }
    const requestText = typeof init?.body === 'string' ? init.body : '{}';
    const requestBytes = Buffer.byteLength(requestText);
    const now = this.now();
    // Everything below runs synchronously: no other request can come between the check and the charge.
    const charge: KvsCharge = {
      readUnits: 0,
      writeUnits: operation.access === 'write' ? unitsFor(requestBytes) : 0,
      batch: operation.batch,
      keyReads: [],
      keyWrites: [],
    };
    let answer: unknown;
    let written = 0;
    let read = 0;
    try {
      let body: unknown;
      try {
        body = JSON.parse(requestText);
      } catch {
        throw new KvsFailure(fail(400, 'INVALID_REQUEST', 'The request body is not JSON.'));
      }
      if (operation.access === 'write') charge.keyWrites = plannedWrites(path, operation.space, body);
      this.injectedRefusal(installation, path, body);
      this.admit(installation, now, charge);
      let outcome: Outcome;
      try {
        outcome = this.dispatch(installation, path, body, now);
      } catch (e) {
        if (!(e instanceof KvsFailure) || operation.access !== 'read') throw e;
        // A read that finds nothing (404) or is refused still costs a unit: Forge counts empty reads, so one
        // past the minute's read units is refused like any other.
        charge.readUnits = 1;
        if (e.error.status !== 429) this.admit(installation, now, charge);
        throw e;
      }
      answer = outcome.result;
      written = outcome.written;
      if (operation.access === 'read') {
        read = answer === undefined ? 0 : Buffer.byteLength(JSON.stringify(answer));
        charge.readUnits = unitsFor(read);
        charge.keyReads = outcome.keyReads;
        // A read has no side effects, so one over the limit is refused after it ran and nothing is undone.
        this.admit(installation, now, charge);
      }
    } catch (e) {
      const error = e instanceof KvsFailure ? e.error : fail(500, 'INTERNAL_SERVER_ERROR', String(e));
      const refused = error.status === 429;
      if (error.limit) usage?.limitHit(error.limit);
      if (!refused) this.quota?.commit(installation, now, charge);
      usage?.kvsCall(operation.kind, refused ? { readUnits: 0, writeUnits: 0, bytesWritten: 0 } : { readUnits: charge.readUnits, writeUnits: charge.writeUnits, bytesWritten: 0 });
      return errorResponse(error);
    }
    this.quota?.commit(installation, now, charge);
    usage?.kvsCall(operation.kind, { readUnits: charge.readUnits, writeUnits: charge.writeUnits, bytesWritten: written, bytesRead: read });
    if (answer === undefined) return new Response(null, { status: 204 });
    return Response.json(answer);
  }

  /**
   * Tests: answer the next `times` requests of `installation` that `match` with Forge's 429, as if a rate
   * limit struck at exactly that point (like the Jira sites' `faults`). They charge nothing.
   */
  refuseNext(installation: string, match: (path: string, body: unknown) => boolean, times = 1): void {
    this.faults.push({ installation, match, times });
  }

  private injectedRefusal(installation: string, path: string, body: unknown): void {
    const fault = this.faults.find((f) => f.installation === installation && f.times > 0 && f.match(path, body));
    if (!fault) return;
    fault.times--;
    throw new KvsFailure(fail(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded (injected by a test).'));
  }

  /** Refuse the request with Forge's 429 when it would go over a rate limit. */
  private admit(installation: string, now: number, charge: KvsCharge): void {
    const refusal = this.quota?.check(installation, now, charge);
    if (!refusal) return;
    const value = LIMIT_VALUES.get(refusal.limit);
    const message = `Rate limit exceeded: this installation is over ${refusal.limit} (${value}); try again in ${Math.ceil(refusal.waitMs / 1000)} s.`;
    throw new KvsFailure(fail(429, 'RATE_LIMIT_EXCEEDED', message, refusal.limit));
  }

  private dispatch(installation: string, path: string, body: unknown, now: number): Outcome {
    const record = (body ?? {}) as Record<string, unknown>;
    switch (path) {
      case '/api/v1/get':
        return this.get(installation, 'plain', record, now);
      case '/api/v1/secret/get':
        return this.get(installation, 'secret', record, now);
      case '/api/v1/set':
        return this.set(installation, 'plain', record, now);
      case '/api/v1/secret/set':
        return this.set(installation, 'secret', record, now);
      case '/api/v1/delete':
        return this.remove(installation, 'plain', record);
      case '/api/v1/secret/delete':
        return this.remove(installation, 'secret', record);
      case '/api/v1/query':
        return this.query(installation, record, now);
      case '/api/v1/batch/get':
        return this.batchGet(installation, body, now);
      case '/api/v1/batch/set':
        return this.batchSet(installation, body, now);
      case '/api/v1/batch/delete':
        return this.batchDelete(installation, body);
      case '/api/v1/transaction':
        return this.transaction(installation, record, now);
      default:
        throw new KvsFailure(fail(501, 'NOT_IMPLEMENTED', `The local KVS does not implement ${path}.`));
    }
  }

  private get(installation: string, space: Space, body: Record<string, unknown>, now: number): Outcome {
    const key = validKey(body.key);
    const row = this.statements.get.get(installation, space, key, now) as Row | undefined;
    if (!row) throw new KvsFailure(fail(404, 'KEY_NOT_FOUND', `Key not found: ${key}`));
    return {
      result: {
        key: row.key,
        value: JSON.parse(row.value),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        ...(row.expires_at ? { expireTime: new Date(row.expires_at).toISOString() } : {}),
      },
      written: 0,
      keyReads: [[`${space}:${key}`, Buffer.byteLength(row.value)]],
    };
  }

  private set(installation: string, space: Space, body: Record<string, unknown>, now: number): Outcome {
    const key = validKey(body.key);
    const value = encodeValue(body.value, space);
    const options = (body.options ?? {}) as { keyPolicy?: string; ttl?: { value: number; unit: string }; returnValue?: string };
    const existing = this.statements.get.get(installation, space, key, now) as Row | undefined;
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && existing) {
      throw new KvsFailure(fail(409, 'KEY_CONFLICT', `Key already exists: ${key}`));
    }
    const expiresAt = options.ttl ? now + ttlMillis(options.ttl) : null;
    this.statements.upsert.run(installation, space, key, value, existing?.created_at ?? now, now, expiresAt);
    const written = Buffer.byteLength(key) + Buffer.byteLength(value);
    const expireTime = expiresAt ? { expireTime: new Date(expiresAt).toISOString() } : {};
    if (options.returnValue === 'PREVIOUS') {
      return { result: existing ? { key, value: JSON.parse(existing.value), createdAt: existing.created_at, updatedAt: existing.updated_at } : { key, value: null }, written, keyReads: [] };
    }
    if (options.returnValue === 'LATEST') {
      return { result: { key, value: JSON.parse(value), createdAt: existing?.created_at ?? now, updatedAt: now, ...expireTime }, written, keyReads: [] };
    }
    return { result: undefined, written, keyReads: [] };
  }

  private remove(installation: string, space: Space, body: Record<string, unknown>): Outcome {
    this.statements.remove.run(installation, space, validKey(body.key));
    return { result: undefined, written: 0, keyReads: [] };
  }

  private query(installation: string, body: Record<string, unknown>, now: number): Outcome {
    const where = (body.where as { property: string; condition: string; values: unknown[] }[] | undefined) ?? [];
    const limit = body.limit === undefined ? L.queryDefaultLimit : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > L.queryMaxLimit) {
      throw new KvsFailure(fail(400, 'LIST_QUERY_LIMIT_EXCEEDED', `Limit for list query should be between 1 and ${L.queryMaxLimit}.`, 'kvs.queryMaxLimit'));
    }
    if (where.length > 1) throw new KvsFailure(fail(400, 'QUERY_WHERE_INVALID', 'KVS queries should contain only a single "where" clause.'));
    let prefix = '';
    for (const clause of where) {
      if (clause.property !== 'key') throw new KvsFailure(fail(400, 'QUERY_WHERE_FIELD_INVALID', `The field "${clause.property}" is not supported for filters.`));
      if (clause.condition !== 'BEGINS_WITH') throw new KvsFailure(fail(400, 'INVALID_FILTER_CONDITION', `The condition ${clause.condition} is not supported for filters.`));
      prefix = String(clause.values[0] ?? '');
    }
    const after = typeof body.after === 'string' ? decodeCursor(body.after) : '';
    const rows = this.statements.page.all(installation, prefix, after, now, limit + 1) as Row[];
    const matching = rows.filter((r) => r.key.startsWith(prefix));
    const page = matching.slice(0, limit);
    const more = matching.length > limit;
    const last = page[page.length - 1];
    return {
      result: {
        data: page.map((r) => ({ key: r.key, value: JSON.parse(r.value), ...(r.expires_at ? { expireTime: new Date(r.expires_at).toISOString() } : {}) })),
        ...(more && last ? { cursor: encodeCursor(last.key) } : {}),
      },
      written: 0,
      keyReads: [],
    };
  }

  private batchGet(installation: string, body: unknown, now: number): Outcome {
    const items = batchItems(body);
    const successfulKeys = [];
    const failedKeys = [];
    const keyReads: [string, number][] = [];
    for (const item of items) {
      try {
        const key = validKey(item.key);
        const row = this.statements.get.get(installation, 'plain', key, now) as Row | undefined;
        if (row) {
          successfulKeys.push({ key: row.key, value: JSON.parse(row.value), createdAt: row.created_at, updatedAt: row.updated_at });
          keyReads.push([`plain:${key}`, Buffer.byteLength(row.value)]);
        } else failedKeys.push({ key, error: { code: 'KEY_NOT_FOUND', message: `Key not found: ${key}` } });
      } catch (e) {
        failedKeys.push(itemFailure(item.key, e));
      }
    }
    return { result: { successfulKeys, failedKeys }, written: 0, keyReads };
  }

  // Batches complete as many items as they can and name the others (Forge's "best effort"), unlike transactions.
  private batchSet(installation: string, body: unknown, now: number): Outcome {
    const items = batchItems(body);
    const successfulKeys: { key: string }[] = [];
    const failedKeys: ReturnType<typeof itemFailure>[] = [];
    let written = 0;
    this.db.transaction(() => {
      for (const item of items) {
        try {
          written += this.set(installation, 'plain', item as unknown as Record<string, unknown>, now).written;
          successfulKeys.push({ key: item.key });
        } catch (e) {
          failedKeys.push(itemFailure(item.key, e));
        }
      }
    })();
    return { result: { successfulKeys, failedKeys }, written, keyReads: [] };
  }

  private batchDelete(installation: string, body: unknown): Outcome {
    const items = batchItems(body);
    const successfulKeys: { key: string }[] = [];
    const failedKeys: ReturnType<typeof itemFailure>[] = [];
    for (const item of items) {
      try {
        this.statements.remove.run(installation, 'plain', validKey(item.key));
        successfulKeys.push({ key: item.key });
      } catch (e) {
        failedKeys.push(itemFailure(item.key, e));
      }
    }
    return { result: { successfulKeys, failedKeys }, written: 0, keyReads: [] };
  }

  private transaction(installation: string, body: Record<string, unknown>, now: number): Outcome {
    const sets = (body.set as Record<string, unknown>[] | undefined) ?? [];
    const deletes = (body.delete as Record<string, unknown>[] | undefined) ?? [];
    const checks = (body.check as unknown[] | undefined) ?? [];
    if (checks.length) throw new KvsFailure(fail(400, 'UNSUPPORTED_CONDITION', 'Transaction checks apply to custom entities, which this app does not use.'));
    if (sets.length + deletes.length > L.transactionMaxOps) {
      throw new KvsFailure(fail(400, 'TOO_MANY_OPERATIONS', `A transaction can contain a maximum of ${L.transactionMaxOps} operations.`, 'kvs.transactionMaxOps'));
    }
    const keys = [...sets, ...deletes].map((op) => validKey(op.key));
    if (new Set(keys).size !== keys.length) throw new KvsFailure(fail(400, 'DUPLICATE_KEYS', 'Each key can only be used once in a transaction.'));
    let written = 0;
    this.db.transaction(() => {
      for (const op of sets) written += this.set(installation, 'plain', op, now).written;
      for (const op of deletes) this.remove(installation, 'plain', op);
    })();
    return { result: undefined, written, keyReads: [] };
  }

  /**
   * Every key an installation holds, values and secrets alike: for tests and inspection (an app
   * cannot list its secrets through the SDK, which is why this is not part of the protocol).
   */
  storedKeys(installation: string): { space: Space; key: string }[] {
    return this.db
      .prepare('SELECT space, key FROM kvs WHERE installation = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY space, key')
      .all(installation, this.now()) as { space: Space; key: string }[];
  }

  /** The value an installation holds at `key` (not a secret), as the app stored it; for tests and inspection. */
  storedValue(installation: string, key: string): unknown {
    const row = this.statements.get.get(installation, 'plain', key, this.now()) as Row | undefined;
    return row ? JSON.parse(row.value) : undefined;
  }

  /**
   * Entries of an installation whose key or stored value contains `text` (a connection id, say), secrets
   * included. A key past its TTL is gone for every reader, so for this one too.
   */
  storedEntriesContaining(installation: string, text: string): { space: Space; key: string }[] {
    return this.db
      .prepare(
        'SELECT space, key FROM kvs WHERE installation = ? AND (instr(key, ?) > 0 OR instr(value, ?) > 0) AND (expires_at IS NULL OR expires_at > ?) ORDER BY space, key',
      )
      .all(installation, text, text, this.now()) as { space: Space; key: string }[];
  }

  /** Drop expired keys; called by the runtime now and then. */
  sweepExpired(): void {
    this.statements.expire.run(this.now());
  }
}

interface Row {
  key: string;
  value: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
}

function errorResponse(error: KvsError): Response {
  return Response.json({ code: error.code, message: error.message }, { status: error.status });
}

/** Key and value bytes each write request will put on each key, known before it runs. */
function plannedWrites(path: string, space: Space, body: unknown): [string, number][] {
  const bytes = (op: { key?: unknown; value?: unknown }) => Buffer.byteLength(String(op.key ?? '')) + (op.value === undefined ? 0 : Buffer.byteLength(JSON.stringify(op.value) ?? ''));
  const ops = (list: unknown) => (Array.isArray(list) ? (list as { key?: unknown; value?: unknown }[]) : []);
  const record = (body ?? {}) as Record<string, unknown>;
  let list: { key?: unknown; value?: unknown }[];
  if (path === '/api/v1/transaction') list = [...ops(record.set), ...ops(record.delete)];
  else if (path.startsWith('/api/v1/batch/')) list = ops(Array.isArray(body) ? body : (record.items ?? record.keys));
  else list = [record];
  const sized = list.map((op) => [`${space}:${String(op.key ?? '')}`, bytes(op)] as [string, number]);
  // Payload limits of the many-key writes, checked on what is sent, before anything is written.
  const total = list.reduce((sum, op) => sum + bytes(op), 0);
  if (path === '/api/v1/transaction' && total > L.transactionMaxBytes) {
    throw new KvsFailure(fail(400, 'MAX_SIZE', `Each transaction is limited to a payload size of ${L.transactionMaxBytes} bytes.`, 'kvs.transactionMaxBytes'));
  }
  if (path === '/api/v1/batch/set' && total > L.batchMaxBytes) {
    throw new KvsFailure(fail(400, 'MAX_SIZE', `A batch operation is limited to a payload size of ${L.batchMaxBytes} bytes.`, 'kvs.batchMaxBytes'));
  }
  return sized;
}

function validKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new KvsFailure(fail(400, 'KEY_TOO_SHORT', 'The provided key needs to be at least one character.'));
  if (key.length > L.keyMaxLength) {
    throw new KvsFailure(fail(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${L.keyMaxLength} characters.`, 'kvs.keyMaxLength'));
  }
  if (!KVS_LIMITS.keyPattern.test(key)) {
    throw new KvsFailure(fail(400, 'INVALID_KEY', `The provided key "${key}" does not match the regex: ${KVS_LIMITS.keyPattern.source}`));
  }
  return key;
}

function encodeValue(value: unknown, space: Space): string {
  if (value === undefined) throw new KvsFailure(fail(400, 'INVALID_VALUE', 'The provided value is undefined.'));
  if (depth(value) > L.maxDepth) {
    throw new KvsFailure(fail(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${L.maxDepth}).`, 'kvs.maxDepth'));
  }
  const text = JSON.stringify(value);
  const max = space === 'secret' ? L.secretValueMaxBytes : L.valueMaxBytes;
  if (Buffer.byteLength(text) > max) {
    const limit: LimitName = space === 'secret' ? 'kvs.secretValueMaxBytes' : 'kvs.valueMaxBytes';
    throw new KvsFailure(fail(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${max} bytes, ${max / 1024} KiB).`, limit));
  }
  return text;
}

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const child of Object.values(value)) max = Math.max(max, depth(child));
  return max + 1;
}

function batchItems(body: unknown): { key: string; value?: unknown; options?: unknown }[] {
  const record = (body ?? {}) as Record<string, unknown>;
  const items = (Array.isArray(body) ? body : (record.items ?? record.keys ?? [])) as { key: string; value?: unknown }[];
  if (items.length === 0) throw new KvsFailure(fail(400, 'EMPTY_BATCH', 'A batch operation must contain at least one key.'));
  if (items.length > L.batchMaxKeys) {
    throw new KvsFailure(fail(400, 'TOO_MANY_KEYS', `Each batch operation can contain a maximum of ${L.batchMaxKeys} keys.`, 'kvs.batchMaxKeys'));
  }
  const keys = items.map((i) => i.key);
  if (new Set(keys).size !== keys.length) throw new KvsFailure(fail(400, 'DUPLICATE_KEYS', 'A batch operation may name each key once.'));
  return items;
}

function itemFailure(key: unknown, e: unknown): { key: string; error: { code: string; message: string } } {
  const error = e instanceof KvsFailure ? e.error : fail(500, 'INTERNAL_SERVER_ERROR', String(e));
  return { key: String(key), error: { code: error.code, message: error.message } };
}

function ttlMillis(ttl: { value: number; unit: string }): number {
  const unit = { SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 }[ttl.unit];
  const ms = ttl.value * (unit ?? NaN);
  const over = ms > L.ttlMaxSeconds * 1_000;
  if (!(ms > 0) || over) {
    const message = `ttl must be a positive number of SECONDS, MINUTES, HOURS or DAYS, at most ${L.ttlMaxSeconds / 86_400} days.`;
    throw new KvsFailure(fail(400, 'INVALID_TTL', message, over ? 'kvs.ttlMaxSeconds' : undefined));
  }
  return ms;
}

const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
