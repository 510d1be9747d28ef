import type Database from 'better-sqlite3';
import { KVS_LIMITS } from '../../ports';

// A SQLite store that speaks the Forge KVS wire protocol (`POST /api/v1/*`),
// so the real `@forge/kvs` SDK runs against it unchanged. One table holds
// every installation's keys; plain values and secrets are separate spaces.

type Space = 'plain' | 'secret';

interface KvsError {
  status: number;
  code: string;
  message: string;
}

const fail = (status: number, code: string, message: string): KvsError => ({ status, code, message });

class KvsFailure extends Error {
  constructor(readonly error: KvsError) {
    super(error.message);
  }
}

export class LocalKvsStore {
  private readonly statements;

  constructor(private readonly db: Database.Database, private readonly now: () => number) {
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
        `SELECT key, value FROM kvs WHERE installation = ? AND space = 'plain' AND key >= ? AND key > ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY key LIMIT ?`,
      ),
      expire: db.prepare('DELETE FROM kvs WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
  }

  /** Answer one KVS API call for `installation`, as the Forge platform would. */
  async handle(installation: string, path: string, init: RequestInit | undefined): Promise<Response> {
    try {
      const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
      const result = this.dispatch(installation, path, body);
      if (result === undefined) return new Response(null, { status: 204 });
      return Response.json(result);
    } catch (e) {
      const error = e instanceof KvsFailure ? e.error : fail(500, 'INTERNAL_SERVER_ERROR', String(e));
      return Response.json({ code: error.code, message: error.message }, { status: error.status });
    }
  }

  private dispatch(installation: string, path: string, body: Record<string, unknown>): unknown {
    switch (path) {
      case '/api/v1/get':
        return this.get(installation, 'plain', body);
      case '/api/v1/secret/get':
        return this.get(installation, 'secret', body);
      case '/api/v1/set':
        return this.set(installation, 'plain', body);
      case '/api/v1/secret/set':
        return this.set(installation, 'secret', body);
      case '/api/v1/delete':
        return this.remove(installation, 'plain', body);
      case '/api/v1/secret/delete':
        return this.remove(installation, 'secret', body);
      case '/api/v1/query':
        return this.query(installation, body);
      case '/api/v1/batch/get':
        return this.batchGet(installation, body);
      case '/api/v1/batch/set':
        return this.batchSet(installation, body);
      case '/api/v1/batch/delete':
        return this.batchDelete(installation, body);
      case '/api/v1/transaction':
        return this.transaction(installation, body);
      default:
        throw new KvsFailure(fail(501, 'NOT_IMPLEMENTED', `The local KVS does not implement ${path} (custom entities are not used by this app).`));
    }
  }

  private get(installation: string, space: Space, body: Record<string, unknown>) {
    const key = validKey(body.key);
    const row = this.statements.get.get(installation, space, key, this.now()) as Row | undefined;
    if (!row) throw new KvsFailure(fail(404, 'KEY_NOT_FOUND', `Key not found: ${key}`));
    return {
      key: row.key,
      value: JSON.parse(row.value),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.expires_at ? { expireTime: new Date(row.expires_at).toISOString() } : {}),
    };
  }

  private set(installation: string, space: Space, body: Record<string, unknown>) {
    const key = validKey(body.key);
    const value = encodeValue(body.value);
    const options = (body.options ?? {}) as { keyPolicy?: string; ttl?: { value: number; unit: string }; returnValue?: string };
    const now = this.now();
    const existing = this.statements.get.get(installation, space, key, now) as Row | undefined;
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && existing) {
      throw new KvsFailure(fail(409, 'KEY_CONFLICT', `Key already exists: ${key}`));
    }
    const expiresAt = options.ttl ? now + ttlMillis(options.ttl) : null;
    this.statements.upsert.run(installation, space, key, value, existing?.created_at ?? now, now, expiresAt);
    if (options.returnValue === 'PREVIOUS') return existing ? { key, value: JSON.parse(existing.value) } : { key, value: null };
    if (options.returnValue === 'LATEST') return { key, value: JSON.parse(value) };
    return undefined;
  }

  private remove(installation: string, space: Space, body: Record<string, unknown>) {
    this.statements.remove.run(installation, space, validKey(body.key));
    return undefined;
  }

  private query(installation: string, body: Record<string, unknown>) {
    const where = (body.where as { property: string; condition: string; values: unknown[] }[] | undefined) ?? [];
    const limit = Math.min(Number(body.limit ?? 10), KVS_LIMITS.maxQueryLimit);
    if (!Number.isInteger(limit) || limit < 1) throw new KvsFailure(fail(400, 'INVALID_LIMIT', 'limit must be between 1 and 100'));
    let prefix = '';
    for (const clause of where) {
      if (clause.property !== 'key' || clause.condition !== 'BEGINS_WITH') {
        throw new KvsFailure(fail(400, 'UNSUPPORTED_CONDITION', `The local KVS supports only key BEGINS_WITH, not ${clause.property} ${clause.condition}`));
      }
      prefix = String(clause.values[0] ?? '');
    }
    const after = typeof body.after === 'string' ? decodeCursor(body.after) : '';
    const rows = this.statements.page.all(installation, prefix, after, this.now(), limit + 1) as Row[];
    const matching = rows.filter((r) => r.key.startsWith(prefix));
    const page = matching.slice(0, limit);
    const more = matching.length > limit;
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({ key: r.key, value: JSON.parse(r.value) })),
      ...(more && last ? { cursor: encodeCursor(last.key) } : {}),
    };
  }

  private batchGet(installation: string, body: Record<string, unknown>) {
    const items = batchItems(body);
    const successfulKeys = [];
    const failedKeys = [];
    for (const item of items) {
      const row = this.statements.get.get(installation, 'plain', item.key, this.now()) as Row | undefined;
      if (row) successfulKeys.push({ key: row.key, value: JSON.parse(row.value) });
      else failedKeys.push({ key: item.key, error: { code: 'KEY_NOT_FOUND', message: `Key not found: ${item.key}` } });
    }
    return { successfulKeys, failedKeys };
  }

  private batchSet(installation: string, body: Record<string, unknown>) {
    const items = batchItems(body);
    const run = this.db.transaction(() => {
      for (const item of items) this.set(installation, 'plain', item as unknown as Record<string, unknown>);
    });
    run();
    return { successfulKeys: items.map((i) => ({ key: i.key })), failedKeys: [] };
  }

  private batchDelete(installation: string, body: Record<string, unknown>) {
    const items = batchItems(body);
    for (const item of items) this.statements.remove.run(installation, 'plain', validKey(item.key));
    return { successfulKeys: items.map((i) => ({ key: i.key })), failedKeys: [] };
  }

  private transaction(installation: string, body: Record<string, unknown>) {
    const sets = (body.set as Record<string, unknown>[] | undefined) ?? [];
    const deletes = (body.delete as Record<string, unknown>[] | undefined) ?? [];
    const checks = (body.check as unknown[] | undefined) ?? [];
    if (checks.length) throw new KvsFailure(fail(400, 'UNSUPPORTED_CONDITION', 'Transaction checks apply to custom entities, which this app does not use.'));
    if (sets.length + deletes.length > KVS_LIMITS.maxTransactionOps) {
      throw new KvsFailure(fail(400, 'TOO_MANY_OPERATIONS', `A transaction takes at most ${KVS_LIMITS.maxTransactionOps} operations`));
    }
    const keys = [...sets, ...deletes].map((op) => validKey(op.key));
    if (new Set(keys).size !== keys.length) throw new KvsFailure(fail(400, 'DUPLICATE_KEYS', 'A transaction may touch each key once'));
    const run = this.db.transaction(() => {
      for (const op of sets) this.set(installation, 'plain', op);
      for (const op of deletes) this.remove(installation, 'plain', op);
    });
    run();
    return undefined;
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

function validKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new KvsFailure(fail(400, 'INVALID_KEY', 'key must be a non-empty string'));
  if (key.length > KVS_LIMITS.maxKeyLength) {
    throw new KvsFailure(fail(400, 'INVALID_KEY', `key is longer than ${KVS_LIMITS.maxKeyLength} characters`));
  }
  if (!KVS_LIMITS.keyPattern.test(key)) {
    throw new KvsFailure(fail(400, 'INVALID_KEY', `key "${key}" must match ${KVS_LIMITS.keyPattern.source}`));
  }
  return key;
}

function encodeValue(value: unknown): string {
  if (value === undefined) throw new KvsFailure(fail(400, 'INVALID_VALUE', 'value is required'));
  if (depth(value) > KVS_LIMITS.maxDepth) {
    throw new KvsFailure(fail(400, 'INVALID_VALUE', `value is nested deeper than ${KVS_LIMITS.maxDepth} levels`));
  }
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > KVS_LIMITS.maxValueBytes) {
    throw new KvsFailure(fail(413, 'VALUE_TOO_LARGE', `value is larger than ${KVS_LIMITS.maxValueBytes / 1024} KiB`));
  }
  return text;
}

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const child of Object.values(value)) max = Math.max(max, depth(child));
  return max + 1;
}

function batchItems(body: Record<string, unknown>): { key: string; value?: unknown }[] {
  const items = (Array.isArray(body) ? body : (body.items ?? body.keys ?? [])) as { key: string; value?: unknown }[];
  if (items.length > KVS_LIMITS.maxBatchKeys) {
    throw new KvsFailure(fail(400, 'TOO_MANY_KEYS', `A batch takes at most ${KVS_LIMITS.maxBatchKeys} keys`));
  }
  return items;
}

function ttlMillis(ttl: { value: number; unit: string }): number {
  const unit = { SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 }[ttl.unit] ?? 1_000;
  const ms = ttl.value * unit;
  if (!(ms > 0) || ms > 365 * 86_400_000) throw new KvsFailure(fail(400, 'INVALID_TTL', 'ttl must be positive and at most one year'));
  return ms;
}

const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
