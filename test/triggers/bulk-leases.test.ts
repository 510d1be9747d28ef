import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { invoke } from '../integration/helpers';
import { connectedSites, createIssue, drain, stop, syncStatus } from './helpers';

// What leases cost a bulk issue in storage writes, at the runtime boundary. On
// the sending side the page's step hands its twin's lease on to the ack in the
// replica's transaction, so the worker that takes the partner's answer writes no
// lease of its own; on the receiving side a first sync applied as it arrives lets
// go of the inbox's lease in the twin's transaction. One lease write an issue a
// side, no lease deletes of their own.

const COUNT = 12;

let rt: LocalRuntime;
let blueConnectionId: string;
const keys: string[] = [];
/** Lease requests (`lock:` keys named outside a transaction) per site and operation. */
const leaseWrites: Record<string, Record<string, number>> = { blue: {}, green: {} };

beforeAll(async () => {
  ({ rt, blueConnectionId } = await connectedSites());
  for (let i = 0; i < COUNT; i++) keys.push((await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: `leased ${i}`, labels: ['leased'] })).key);
  await drain(rt);
}, 120_000);
afterAll(() => stop(rt));

describe('leases in a bulk', () => {
  it('costs one lease write an issue on each side and no deletes, and every issue is synchronized', async () => {
    const { trigger } = await invoke<{ trigger: { id: string } }>(rt, 'blue', 'saveTrigger', { connectionId: blueConnectionId, entityType: 'issue', jql: 'labels = leased', notes: 'leases', active: false });
    for (const site of ['blue', 'green']) {
      // Watches every storage request through the fault hook with a rule that never matches.
      rt.forge.kvs.refuseNext(rt.forge.installation(site).installationId, (path, body) => {
        const operation = path.replace(/^.*\/api\/v\d+\//, '');
        const key = (body as { key?: unknown } | null)?.key;
        if (typeof key === 'string' && (key.startsWith('lock:twin:') || key.startsWith('lock:in:'))) {
          leaseWrites[site]![operation] = (leaseWrites[site]![operation] ?? 0) + 1;
        }
        return false;
      });
    }
    await invoke(rt, 'blue', 'bulkExalate', { triggerId: trigger.id });
    await drain(rt);
    for (const key of keys) expect((await syncStatus(rt, 'blue', key)).twins[0]?.status).toBe('synchronized');
    // One lease taken an issue a side (the page's step on blue, the first sync on green); no deletes. Blue's
    // ack reads the lease handed to it instead of writing one.
    expect(leaseWrites.blue).toEqual({ set: COUNT, get: COUNT });
    expect(leaseWrites.green).toEqual({ set: COUNT });
    // Nothing left held.
    for (const site of ['blue', 'green']) {
      const held = rt.forge.kvs.storedKeys(rt.forge.installation(site).installationId).filter((k) => k.key.startsWith('lock:twin:') || k.key.startsWith('lock:in:'));
      expect(held).toEqual([]);
    }
  });
});
