import type { z } from 'zod';
import type { Kvs, KvsEntry, KvsPage, Log } from '../ports';
import { AppError } from './errors';
import { describeZodError } from './zod-error';

// Every kind of record the app keeps in storage is declared once, in the
// module that owns it: its name, its schema, the version of that schema, and
// its key builder. Storage hands back `unknown` (src/ports.ts), so nothing is
// read without its schema: a value that does not parse is reported with its
// key, as an error or, where the reader can go on without it, as a log line.
//
// The version is the stored shape's: a change that older records would not
// parse under bumps it, and the kind then reads the older shape too. Keys are
// left as they are (records already stored stay where they are found).

/** A stored value that does not parse as the record its key says it is. */
export class UnreadableRecord extends AppError {
  readonly key: string;

  constructor(kind: { name: string; version: number }, key: string, error: z.ZodError) {
    super('Internal', `The stored ${kind.name} (v${kind.version}) at "${key}" is unreadable: ${describeZodError(error)}`, { key, record: kind.name });
    this.name = 'UnreadableRecord';
    this.key = key;
  }
}

type Reader = Pick<Kvs, 'get' | 'getSecret'>;
/** What a reader that can go on without an unreadable record needs: storage, and somewhere to say it skipped one. */
export interface ReadContext {
  kvs: Reader;
  log: Pick<Log, 'warn'>;
}

/** Storage with a log, for modules that read and write records skipping unreadable ones (a Platform is one). */
export interface Storage {
  kvs: Kvs;
  log: Pick<Log, 'warn'>;
}

export interface RecordKind<T, A extends unknown[]> {
  readonly name: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
  key(...args: A): string;
  /** The stored value at `key`, parsed; throws UnreadableRecord when it does not parse. */
  parse(key: string, value: unknown): T;
  /** The record, parsed; undefined when there is none; throws UnreadableRecord when it does not parse. */
  get(kvs: Reader, ...args: A): Promise<T | undefined>;
  /** The same, from secret storage. */
  getSecret(kvs: Reader, ...args: A): Promise<T | undefined>;
  /** The record, parsed; undefined when there is none or it does not parse (logged with its key). */
  find(context: ReadContext, ...args: A): Promise<T | undefined>;
  /** The same, from secret storage. */
  findSecret(context: ReadContext, ...args: A): Promise<T | undefined>;
  /**
   * A query page's entries, parsed. With a log, an entry that does not parse is logged with its key
   * and left out; without one it throws UnreadableRecord.
   */
  entries(page: KvsPage, log?: Pick<Log, 'warn'>): KvsEntry<T>[];
}

export function recordKind<T, A extends unknown[]>(spec: { name: string; version: number; schema: z.ZodType<T>; key: (...args: A) => string }): RecordKind<T, A> {
  const parse = (key: string, value: unknown): T => {
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) throw new UnreadableRecord(spec, key, parsed.error);
    return parsed.data;
  };
  const orSkip = (key: string, value: unknown, log: Pick<Log, 'warn'>): T | undefined => {
    if (value === undefined) return undefined;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    log.warn('skipping an unreadable stored record', { key, record: spec.name, version: spec.version, problem: describeZodError(parsed.error) });
    return undefined;
  };
  return {
    ...spec,
    parse,
    async get(kvs, ...args) {
      const key = spec.key(...args);
      const value = await kvs.get(key);
      return value === undefined ? undefined : parse(key, value);
    },
    async getSecret(kvs, ...args) {
      const key = spec.key(...args);
      const value = await kvs.getSecret(key);
      return value === undefined ? undefined : parse(key, value);
    },
    async find(context, ...args) {
      const key = spec.key(...args);
      return orSkip(key, await context.kvs.get(key), context.log);
    },
    async findSecret(context, ...args) {
      const key = spec.key(...args);
      return orSkip(key, await context.kvs.getSecret(key), context.log);
    },
    entries(page, log) {
      return page.results.flatMap((entry) => {
        const value = log ? orSkip(entry.key, entry.value, log) : parse(entry.key, entry.value);
        return value === undefined ? [] : [{ key: entry.key, value }];
      });
    },
  };
}
