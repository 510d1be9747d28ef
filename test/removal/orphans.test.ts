import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { SWEEP_EVERY_MS } from '../../src/removal/orphans';
import { connect, invoke } from '../integration/helpers';
import { createIssue, runFor, storedKeys, storedWith } from './helpers';

// Keys whose connection no longer exists, planted in every family (as an
// older version, a lost event or a racing writer could leave them): the
// scheduled trigger's sweep finds them and the purge removes them, while a
// live connection's keys and a deleted connection's tombstone stay.

let rt: LocalRuntime | undefined;
afterEach(() => {
  rt?.close();
  rt = undefined;
  vi.useRealTimers();
});

const ORPHAN = 'dead0000-0000-4000-8000-00000000beef';
const day = '2026-11-23';

const planted: Record<string, unknown> = {
  [`twin:${ORPHAN}:10100`]: { connectionId: ORPHAN, localIssueId: '10100' },
  [`twini:10100:${ORPHAN}`]: 1,
  [`twinr:${ORPHAN}:20200`]: '10100',
  [`twine:${ORPHAN}:10100`]: 1,
  [`twinc:${ORPHAN}:20200`]: { token: 't', at: 1 },
  [`replica-out:${ORPHAN}:10100`]: { summary: 'x' },
  [`replica-in:${ORPHAN}:10100`]: { summary: 'y' },
  [`hist:${ORPHAN}:10100:01`]: { n: 1 },
  [`histn:${ORPHAN}:10100`]: 1,
  [`stats:${ORPHAN}:${day}`]: { hours: {} },
  [`statd:${ORPHAN}:${day}:09:abc`]: { hour: '09' },
  [`inbox:${ORPHAN}:20200`]: { seq: 3 },
  [`attin:${ORPHAN}:30300:00000`]: { data: '' },
  [`synerr-twin:${ORPHAN}:incoming:10100`]: 'e1',
  [`outbox:${ORPHAN}:000000000001`]: { envelope: {} },
  [`outbox-dead:${ORPHAN}:000000000002`]: { envelope: {} },
  [`outbox-claim:${ORPHAN}:000000000001`]: 1,
  [`outbox-seq:${ORPHAN}`]: 1,
  [`seen:${ORPHAN}:m1`]: { state: 'done' },
  [`seen-expiry:${ORPHAN}:000000000000001:m1`]: 1,
  [`delivery:${ORPHAN}`]: { failures: 0 },
  [`kick:${ORPHAN}`]: 1,
  [`lease:${ORPHAN}`]: { holder: 'h', until: 1 },
  [`poll-chain:${ORPHAN}`]: { chainId: 'c' },
  [`poll-hop:${ORPHAN}:c:000000000001`]: 1,
  [`poll-confirms:${ORPHAN}`]: [],
  [`poll-activity:${ORPHAN}`]: 1,
  [`rules:${ORPHAN}`]: { outgoing: '', incoming: '' },
  [`visual-mapping:${ORPHAN}`]: { version: 1 },
  [`visual-partner:${ORPHAN}`]: { version: 1 },
  [`twins-recounted:${ORPHAN}`]: 1,
  [`lock:twin:${ORPHAN}:10100`]: { until: 1 },
  [`lock:in:${ORPHAN}:20200`]: { until: 1 },
  [`lock:stats:${ORPHAN}:${day}`]: { until: 1 },
  [`lock:recount:${ORPHAN}`]: { until: 1 },
  [`connection-stats:${ORPHAN}`]: { issuesUnderSync: 1 },
  [`connection-count-step:${ORPHAN}:5a1f`]: { delta: 1 },
  [`connection-last-sync:${ORPHAN}`]: { issueKey: 'UD-1', at: 1 },
  [`rotation:${ORPHAN}`]: { messageId: 'm', seq: 1, requestedAt: 1 },
  [`invitation:${ORPHAN}`]: { connectionId: ORPHAN },
  [`invitation-used:${ORPHAN}`]: { messageId: 'm' },
  // Families all connections share name the connection in the value or at the end of the key.
  ['synerr:8226876399999-orphan01']: { id: '8226876399999-orphan01', connectionId: ORPHAN, message: 'old' },
  ['job:8226876399999-orphan02']: { id: '8226876399999-orphan02', connectionId: ORPHAN, kind: 'bulk-exalate', triggerId: 'orphan-trigger' },
  ['job-running:bulk-exalate:orphan-trigger']: '8226876399999-orphan02',
  ['trigger:orphan-trigger']: { id: 'orphan-trigger', connectionId: ORPHAN },
  [`connect-pending:10100:${ORPHAN}`]: { connectionId: ORPHAN },
};

async function plant(runtime: LocalRuntime, site: string, key: string, value: unknown, space: 'plain' | 'secret' = 'plain'): Promise<void> {
  const installation = runtime.forge.installation(site).installationId;
  const path = space === 'plain' ? '/api/v1/set' : '/api/v1/secret/set';
  const response = await runtime.forge.kvs.handle(installation, path, { method: 'POST', body: JSON.stringify({ key, value }) });
  expect(response.status).toBeLessThan(300);
}

describe('the orphan sweep', () => {
  it('finds keys of a connection that no longer exists, in every family, and removes them; nothing else', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(`${day}T09:00:00Z`));
    rt = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'orphans-')), reset: true, baseUrl: 'http://orphans.test' });
    const { blueConnectionId: live } = await connect(rt);
    const key = await createIssue(rt, 'blue', 'UD', { summary: 'live and well' });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: live, issueKey: key });
    await runFor(rt, 2, 5_000);
    // A connection deleted earlier whose partner has not heard yet: its tombstone is no orphan.
    const buried = 'b0000000-0000-4000-8000-00000000cafe';
    await plant(rt, 'blue', `tombstone:${buried}`, { connectionId: buried, remoteConnectionId: buried, url: null, delivery: 'held', deletedAt: Date.now(), expiresAt: Date.now() + 86_400_000, attempts: 0, nextAttemptAt: null });

    for (const [k, v] of Object.entries(planted)) await plant(rt, 'blue', k, v);
    await plant(rt, 'blue', `connection-secret:${ORPHAN}`, { current: 'x'.repeat(43) }, 'secret');
    const isPlanted = (k: string) => k.includes(ORPHAN) || Object.keys(planted).some((p) => k === `plain ${p}`);
    const before = storedKeys(rt, 'blue').filter((k) => !isPlanted(k));
    // Every planted entry carries the id in its key or value but the job-running pointer (it names the job).
    expect(storedWith(rt, 'blue', ORPHAN)).toHaveLength(Object.keys(planted).length);

    rt.forge.fireScheduledTriggers();
    await runFor(rt, 3, 5_000);
    expect(storedWith(rt, 'blue', ORPHAN)).toEqual([]);
    expect(storedKeys(rt, 'blue').filter(isPlanted)).toEqual([]);
    // Nothing else went: the live connection, its issue's sync and the tombstone are untouched. New are only
    // the sweep's own bookkeeping and the scheduled trigger's usual upkeep of the live connection.
    const after = storedKeys(rt, 'blue');
    // (The upkeep folds the live connection's issues-under-sync steps into its counter: those go.)
    expect(before.filter((k) => !after.includes(k) && !k.startsWith(`plain connection-count-step:${live}:`))).toEqual([]);
    expect(after.filter((k) => !before.includes(k) && !k.includes(live))).toEqual(['plain removal:sweep']);
    expect(after).toContain(`plain tombstone:${buried}`);
    const status = await invoke<{ twins: { status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
    expect(status.twins.map((t) => t.status)).toEqual(['synchronized']);
  }, 60_000);

  it('reads the installation at most every few hours, and again after that', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(`${day}T09:00:00Z`));
    rt = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'orphans-')), reset: true, baseUrl: 'http://orphans.test' });
    rt.forge.fireScheduledTriggers();
    await rt.settle();
    await plant(rt, 'blue', `histn:${ORPHAN}:1`, 1);
    rt.forge.fireScheduledTriggers();
    await rt.settle();
    expect(storedWith(rt, 'blue', ORPHAN)).toHaveLength(1);
    vi.setSystemTime(Date.now() + SWEEP_EVERY_MS);
    rt.forge.fireScheduledTriggers();
    await rt.settle();
    expect(storedWith(rt, 'blue', ORPHAN)).toEqual([]);
  }, 60_000);
});
