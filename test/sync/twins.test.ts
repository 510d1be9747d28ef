import { describe, expect, it } from 'vitest';
import { KvsData, MemoryKvs } from '../support/memory-platform';
import { lastAppliedKey, lastSentKey, newTwin, twinStore } from '../../src/sync/twins';

describe('twin records', () => {
  it('go with the twin: indexes, the edit mark and the replicas kept for comparing; other twins keep theirs', async () => {
    const data = new KvsData();
    const kvs = new MemoryKvs(data);
    const twins = twinStore(kvs);
    const make = (localIssueId: string) => ({ ...newTwin({ connectionId: 'c1', localIssueId, localKey: `UD-${localIssueId}`, origin: 'local' as const, now: 1 }), remoteIssueId: `9${localIssueId}` });
    for (const id of ['1', '2']) {
      await twins.save(make(id));
      await twins.markEdited('c1', id, 5);
      await kvs.set(lastSentKey('c1', id), { summary: 'sent' });
      await kvs.set(lastAppliedKey('c1', id), { summary: 'applied' });
    }
    await twins.remove(make('1'));
    expect([...data.values.keys()].sort()).toEqual(['replica-in:c1:2', 'replica-out:c1:2', 'twin:c1:2', 'twine:c1:2', 'twini:2:c1', 'twinr:c1:92']);
    expect(await twins.findByRemote('c1', '91')).toBeUndefined();
    expect(await twins.editedAt('c1', '2')).toBe(5);
  });
});
