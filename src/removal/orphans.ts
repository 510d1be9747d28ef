import { z } from 'zod';
import type { KvsEntry, Platform } from '../ports';
import { KVS_LIMITS } from '../ports';
import { listStoredConnections } from '../connections/store';
import { jobKey } from '../operations/jobs';
import { connectionIdOfKey, FAMILIES, headOf, JOB_RUNNING_PREFIX, type PrefixFamily, type SharedFamily, type SingleFamily } from './families';
import { deleteKeys } from './purge';
import { pushRemovalWork, startPurge, type SweepWork } from './work';
import { recordKind } from '../domain/stored-record';

// Keys whose connection no longer exists (and is not being deleted): left
// by versions before the purge, by a removal whose every event was lost, or
// by a writer racing one. The scheduled trigger starts a sweep now and then;
// the sweep reads the families whose values are small, a bounded number of
// pages per queue event, and hands each connection id it finds without a
// record to the purge, which removes that id's keys from every family, the
// large ones too (those are never read here: a connection's large records
// always sit beside small ones, such as its history counters or statistics).

/** A sweep starts at most this often: it reads every small key of the installation. */
export const SWEEP_EVERY_MS = 6 * 3_600_000;
/** A sweep silent for this long lost its event: the scheduled trigger starts another. */
const STALLED_MS = 30 * 60_000;
/** Queries per queue event. */
const QUERIES_PER_EVENT = 20;
/** Ids handed to the purge in one sweep, remembered so a later family does not hand them over again. */
const MAX_REMEMBERED = 500;

const SWEEP_KEY = 'removal:sweep';
const SweepState = z.object({
  chainId: z.string(),
  startedAt: z.number(),
  touchedAt: z.number(),
  finishedAt: z.number().nullable(),
  handedOver: z.array(z.string()),
});
type SweepState = z.infer<typeof SweepState>;
const sweepRecord = recordKind({ name: 'orphan sweep', version: 1, schema: SweepState, key: () => SWEEP_KEY });

/** What the sweep reads: how each key (and value, for shared families) names its connection. */
type Probe = { prefix: string; ownerOf: (entry: KvsEntry) => string | undefined } | { prefix: string; danglingJobPointer: true };

const PROBES: readonly Probe[] = [
  ...FAMILIES.filter((f): f is SingleFamily | PrefixFamily => f.kind !== 'shared' && f.probe).map((family) => ({
    prefix: headOf(family),
    ownerOf: (entry: KvsEntry) => connectionIdOfKey(family, entry.key),
  })),
  ...FAMILIES.filter((f): f is SharedFamily => f.kind === 'shared').map((family) => ({ prefix: family.prefix, ownerOf: family.ownerOf })),
  { prefix: JOB_RUNNING_PREFIX, danglingJobPointer: true },
];

async function readState(platform: Platform): Promise<SweepState | undefined> {
  return sweepRecord.find(platform);
}

/** From the scheduled trigger: start a sweep when one is due, or again when one went silent. */
export async function maybeStartSweep(platform: Platform): Promise<void> {
  const state = await readState(platform);
  const now = platform.clock.now();
  const running = state && state.finishedAt === null;
  if (running && now - state.touchedAt < STALLED_MS) return;
  if (!running && state?.finishedAt != null && now - state.finishedAt < SWEEP_EVERY_MS) return;
  const chainId = platform.random.uuid();
  await platform.kvs.set(SWEEP_KEY, { chainId, startedAt: now, touchedAt: now, finishedAt: null, handedOver: [] } satisfies SweepState);
  await pushRemovalWork(platform, { kind: 'removal.sweep', chainId, family: 0 });
}

/** One queue event of a sweep. */
export async function runSweep(platform: Platform, work: SweepWork): Promise<void> {
  const state = await readState(platform);
  if (!state || state.chainId !== work.chainId || state.finishedAt !== null) return;
  // Read per event: a record made or removed since the last event counts as it is now.
  const known = new Set((await listStoredConnections(platform)).map((c) => c.id));
  const handedOver = new Set(state.handedOver);
  let queries = 0;
  let index = work.family;
  let cursor = work.cursor;
  while (index < PROBES.length) {
    if (queries >= QUERIES_PER_EVENT) {
      await saveState(platform, { ...state, touchedAt: platform.clock.now(), handedOver: [...handedOver].slice(-MAX_REMEMBERED) });
      await pushRemovalWork(platform, { kind: 'removal.sweep', chainId: work.chainId, family: index, ...(cursor ? { cursor } : {}) });
      return;
    }
    const probe = PROBES[index]!;
    let page;
    try {
      page = await platform.kvs.query(probe.prefix, { limit: KVS_LIMITS.maxQueryLimit, ...(cursor ? { cursor } : {}) });
    } catch (e) {
      // A cursor the store no longer takes: read this family again from its start.
      if (!cursor) throw e;
      cursor = undefined;
      continue;
    } finally {
      queries++;
    }
    if ('danglingJobPointer' in probe) await dropDanglingJobPointers(platform, page.results);
    else {
      for (const entry of page.results) {
        const owner = probe.ownerOf(entry);
        if (!owner || known.has(owner) || handedOver.has(owner)) continue;
        platform.log.warn('keys of a connection that no longer exists were found; removing them', { connectionId: owner, key: entry.key });
        handedOver.add(owner);
        await startPurge(platform, owner);
      }
    }
    if (page.nextCursor) cursor = page.nextCursor;
    else {
      index++;
      cursor = undefined;
    }
  }
  await saveState(platform, { ...state, touchedAt: platform.clock.now(), finishedAt: platform.clock.now(), handedOver: [] });
}

/** A "job running" pointer names a trigger and a job; once the job record is gone, nothing reads it. */
async function dropDanglingJobPointers(platform: Platform, entries: KvsEntry[]): Promise<void> {
  const dangling: string[] = [];
  for (const entry of entries) {
    // Only whether the job is there matters, not what it holds.
    if (typeof entry.value !== 'string' || (await platform.kvs.get(jobKey(entry.value))) === undefined) dangling.push(entry.key);
  }
  await deleteKeys(platform, dangling);
}

async function saveState(platform: Platform, state: SweepState): Promise<void> {
  await platform.kvs.set(SWEEP_KEY, state);
}
