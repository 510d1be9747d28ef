import { kvsContract } from '../support/kvs-contract';
import { openLocalKvs } from '../support/local-kvs';
import { FakeClock, MemoryKvs } from '../support/memory-platform';

// One contract, both emulations of Forge's KVS (test/support/kvs-contract.ts).

kvsContract('in-memory (test/support/memory-platform.ts)', async () => {
  const clock = new FakeClock();
  return { kvs: new MemoryKvs(undefined, () => clock.now()), advance: (ms) => clock.advance(ms), close: () => undefined };
});

kvsContract(
  'local runtime (src/local/forge/kvs-store.ts through @forge/kvs)',
  async () => {
    const clock = new FakeClock();
    const { kvs, db } = await openLocalKvs(':memory:', () => clock.now());
    return { kvs, advance: (ms) => clock.advance(ms), close: () => db.close() };
  },
);
