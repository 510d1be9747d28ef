import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UsageSnapshot } from '../../src/local/forge/usage';
import { connect, drain, invoke, jira, twoSites } from '../integration/helpers';

// What one steady-state synced edit costs each side, counted at the runtime
// boundary (src/local/forge/usage.ts): a public Script connection, one issue
// already in sync and warmed up, then N summary edits on blue, each synced to
// green before the next. The per-edit figures are printed beside the targets
// of the lean-sync-path issue and held to the budgets asserted below.

const N = 30;

/** Per steady-state synced edit and per side. */
const TARGETS = { storageCalls: 12, readUnits: 6, writeUnits: 6, invocations: 2, events: 0.5 };

type PerEdit = {
  storageCalls: number;
  byKind: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  invocations: number;
  invocationsByKind: Record<string, number>;
  events: number;
  jiraCalls: number;
  jiraByOperation: Record<string, number>;
};

function perEdit(u: UsageSnapshot): PerEdit {
  const per = (n: number) => Math.round((n / N) * 100) / 100;
  const { batch, secret, total, ...single } = u.kvs.calls;
  const byKind: Record<string, number> = {};
  for (const [kind, n] of Object.entries({ ...single, batchGet: batch.get, batchSet: batch.set, batchDelete: batch.delete, secretGet: secret.get })) {
    if (n > 0) byKind[kind] = per(n);
  }
  const { total: invocationTotal, ...invocationKinds } = u.invocations;
  const invocationsByKind: Record<string, number> = {};
  for (const [kind, n] of Object.entries(invocationKinds)) if (n > 0) invocationsByKind[kind] = per(n);
  const jiraByOperation: Record<string, number> = {};
  for (const [op, n] of Object.entries(u.jira.byOperation)) if (n > 0) jiraByOperation[op] = per(n);
  return {
    storageCalls: per(total),
    byKind,
    readUnits: per(u.kvs.readUnits),
    writeUnits: per(u.kvs.writeUnits),
    invocations: per(invocationTotal),
    invocationsByKind,
    events: per(u.events.pushed),
    jiraCalls: per(u.jira.calls),
    jiraByOperation,
  };
}

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
const cost: Record<'blue' | 'green', PerEdit> = {} as never;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId } = await connect(rt));
  const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Edit cost 0' } });
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
  await drain(rt);
  // Warm-up: a few edits, so the first sync's one-off work and caches are behind us.
  const edit = async (n: number) => {
    expect((await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: `Edit cost ${n}` } })).status).toBe(204);
    await drain(rt);
  };
  for (let n = 1; n <= 3; n++) await edit(n);
  rt.resetUsage('blue');
  rt.resetUsage('green');
  for (let n = 1; n <= N; n++) await edit(100 + n);
  cost.blue = perEdit(rt.usage('blue'));
  cost.green = perEdit(rt.usage('green'));
  // Every edit arrived.
  const status = await invoke<{ twins: { remoteKey: string; status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
  const green = await jira<{ fields: { summary: string } }>(rt, 'green', 'GET', `/issue/${status.twins[0]!.remoteKey}`);
  expect(green.body.fields.summary).toBe(`Edit cost ${100 + N}`);
}, 600_000);

afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

describe(`one steady-state synced summary edit (${N} edits, per side)`, () => {
  it('prints the cost beside the targets', () => {
    for (const side of ['blue', 'green'] as const) {
      const c = cost[side];
      console.log(
        [
          `${side} (${side === 'blue' ? 'sending' : 'receiving'}) per edit:`,
          `  storage calls ${c.storageCalls} (target ≤ ${TARGETS.storageCalls}) ${JSON.stringify(c.byKind)}`,
          `  read units ${c.readUnits} (target ≤ ${TARGETS.readUnits}), write units ${c.writeUnits} (target ≤ ${TARGETS.writeUnits})`,
          `  invocations ${c.invocations} (target ≤ ${TARGETS.invocations}) ${JSON.stringify(c.invocationsByKind)}`,
          `  async events ${c.events} (target ≤ ${TARGETS.events})`,
          `  Jira calls ${c.jiraCalls} ${JSON.stringify(c.jiraByOperation)}`,
        ].join('\n'),
      );
    }
    expect(cost.blue.storageCalls).toBeGreaterThan(0);
  });

  // Every target is reached on both sides, and the budget is the targets: a change that costs more fails
  // here. Every record is under 10 KB, so each call is about one unit. What one edit costs, per side:
  //  - sending, about 10 calls (5 reads, 5 writes): the product event's twin index query and connection
  //    list (the connection's record comes from it), the twin, the outbox page and the look for more after
  //    the delivery lease (queries); writes of the twin lease, the sequence claim, the send transaction
  //    (twin, outbox entry, kept replica, history, statistic, twin lease let go), the delivery lease and
  //    the ack's transaction (twin, outbox entry out, delivery lease let go). Held warm per installation
  //    in the container, a minute at most: the signing secrets, the last sequence number claimed, the
  //    delivery state after a success (src/connections/secrets.ts, src/transport/outbox.ts and
  //    delivery-state.ts say why a stale copy is safe).
  //  - receiving, about 8 calls (4 reads, 4 writes): the connection, the twin, the field catalogue and the
  //    rules or metadata a cold container reads; the replay record (claim, answer), the twin lease, one
  //    transaction.
  // Forge's plain KVS transactions take no conditions (only Custom Entity Store ones do,
  // storage-reference/transactions and …/transactions-entities), so a lease cannot be folded into the pair
  // record's write. Batch reads are no way round it either: 45 batch operations a minute per installation
  // (docs/forge-limits.md).
  const BUDGET = {
    blue: { storageCalls: TARGETS.storageCalls, readUnits: TARGETS.readUnits, writeUnits: TARGETS.writeUnits, invocations: 1, jiraCalls: 2 },
    green: { storageCalls: TARGETS.storageCalls, readUnits: TARGETS.readUnits, writeUnits: TARGETS.writeUnits, invocations: 1, jiraCalls: 2 },
  };

  it.each(['blue', 'green'] as const)('%s stays within the budget', (side) => {
    const c = cost[side];
    expect(c.invocations).toBeLessThanOrEqual(BUDGET[side].invocations);
    expect(c.events).toBeLessThanOrEqual(TARGETS.events);
    expect(c.jiraCalls).toBeLessThanOrEqual(BUDGET[side].jiraCalls);
    expect(c.jiraByOperation.findUsers ?? 0).toBe(0);
    expect(c.storageCalls).toBeLessThanOrEqual(BUDGET[side].storageCalls);
    expect(c.readUnits).toBeLessThanOrEqual(BUDGET[side].readUnits);
    expect(c.writeUnits).toBeLessThanOrEqual(BUDGET[side].writeUnits);
  });
});
