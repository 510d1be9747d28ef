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

  // Reached: the targets for invocations and async events, and Jira calls at the minimum + 1 on the sending
  // side (the person's own edit and the app's read of the issue) and the minimum on the receiving side (read,
  // then edit: the partner's people are mapped once and kept on the twin, test/sync/account-mapping.test.ts).
  //
  // Storage calls and units are held at the measured floor of this layout, above the targets. What holds
  // them there, per side (one read or write unit each: every record here is under 10 KB):
  //  - sending, 34 calls: reads of the twin under its lease, the edit mark, the rules, the field catalogue,
  //    the replica last sent and the one last applied, the sequence hint, the history counter, the
  //    connection, the identity, the secret twice (sending, then verifying the ack), the trigger and Visual
  //    scope queries of the product event, the twin index query, the outbox page and the look for more after
  //    the lease; writes of the twin lease (set and delete), the sequence claim, the twin's transaction, the
  //    delivery lease (set and delete), the outbox entry's delete, the replay record twice and the ack's
  //    twin transaction with its own lease.
  //  - receiving, 29.5 calls: the same shape from the other end (replay record, inbox and twin leases, the
  //    twin, its index, the open-error index, the edit mark, the rules, three metadata caches, the delivery state twice, the replica
  //    last applied, the sequence hint and history counter, one transaction, the delivery of the ack).
  // The design change that moves them to the targets is one record per synced pair holding the twin, its
  // edit mark, both replicas kept for comparing, its history head and its lease, with the sequence hint
  // and metadata folded per connection: about 8 reads and 4 writes per side, with a migration from this
  // layout. Forge's batch get is no way round it: batches are held to 45 a minute per installation
  // (docs/forge-limits.md), far below the edit rate this must carry.
  const BUDGET = {
    blue: { storageCalls: 36, readUnits: 23, writeUnits: 13, jiraCalls: 2 },
    green: { storageCalls: 30, readUnits: 19, writeUnits: 12, jiraCalls: 2 },
  };

  it.each(['blue', 'green'] as const)('%s stays within the budget', (side) => {
    const c = cost[side];
    expect(c.invocations).toBeLessThanOrEqual(TARGETS.invocations);
    expect(c.events).toBeLessThanOrEqual(TARGETS.events);
    expect(c.jiraCalls).toBeLessThanOrEqual(BUDGET[side].jiraCalls);
    expect(c.jiraByOperation.findUsers ?? 0).toBe(0);
    expect(c.storageCalls).toBeLessThanOrEqual(BUDGET[side].storageCalls);
    expect(c.readUnits).toBeLessThanOrEqual(BUDGET[side].readUnits);
    expect(c.writeUnits).toBeLessThanOrEqual(BUDGET[side].writeUnits);
  });
});
