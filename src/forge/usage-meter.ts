import type { JiraHttp, Kvs, KvsTransactionOp, MeteredUsage, UsageMeter } from '../ports';

// An invocation's storage units and Jira calls, counted in memory as the
// calls go out, so the sync statistics can say what each connection costs
// the installation. Forge bills storage in units of a started 10 KB of a
// request (a read: of its answer; an empty read: one unit; a transaction or
// a query: one operation over its whole size), per
// https://developer.atlassian.com/platform/forge/limits-kvs-ce/ and forge-platform-pricing/
// (docs/forge-limits.md); the sizes here are the JSON text's length, close
// to the bytes Forge measures for the app's ASCII keys and mostly ASCII values.
// Jira charges at least one point a call
// (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/), so
// calls are a floor of the points used.

const UNIT_CHARS = 10_000;

const unitsOf = (chars: number) => Math.max(1, Math.ceil(chars / UNIT_CHARS));
const sizeOf = (value: unknown) => (value === undefined ? 0 : JSON.stringify(value).length);

export interface MeteredPorts {
  kvs: Kvs;
  jira: JiraHttp;
  meter: UsageMeter;
}

/** Wraps the storage and Jira ports of one invocation; the meter reads what went through them. */
export function meterUsage(kvs: Kvs, jira: JiraHttp): MeteredPorts {
  let used: MeteredUsage = { readUnits: 0, writeUnits: 0, jiraCalls: 0 };
  const read = (chars: number) => (used.readUnits += unitsOf(chars));
  const write = (chars: number) => (used.writeUnits += unitsOf(chars));
  const opSize = (op: KvsTransactionOp) => op.key.length + (op.kind === 'set' ? sizeOf(op.value) : 0);
  return {
    meter: {
      take() {
        const taken = used;
        used = { readUnits: 0, writeUnits: 0, jiraCalls: 0 };
        return taken;
      },
    },
    jira: {
      request(request, options) {
        used.jiraCalls += 1;
        return jira.request(request, options);
      },
    },
    kvs: {
      async get(key) {
        const value = await kvs.get(key);
        read(sizeOf(value));
        return value;
      },
      async getSecret(key) {
        const value = await kvs.getSecret(key);
        read(sizeOf(value));
        return value;
      },
      async query(prefix, options) {
        const page = await kvs.query(prefix, options);
        read(sizeOf(page.results));
        return page;
      },
      async set(key, value, options) {
        await kvs.set(key, value, options);
        write(key.length + sizeOf(value));
      },
      async setIfAbsent(key, value, options) {
        const written = await kvs.setIfAbsent(key, value, options);
        write(key.length + sizeOf(value));
        return written;
      },
      async setSecret(key, value) {
        await kvs.setSecret(key, value);
        write(key.length + sizeOf(value));
      },
      async delete(key) {
        await kvs.delete(key);
        write(key.length);
      },
      async deleteSecret(key) {
        await kvs.deleteSecret(key);
        write(key.length);
      },
      async transact(ops) {
        await kvs.transact(ops);
        write(ops.reduce((sum, op) => sum + opSize(op), 0));
      },
    },
  };
}
