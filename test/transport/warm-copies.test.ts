import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { forgetWarmSecrets, WARM_SECRETS_MS } from '../../src/connections/secrets';
import { sendMessage } from '../../src/transport/send';
import { readDeliveryState } from '../../src/transport';
import { withInlineDelivery } from '../../src/transport/inline-delivery';
import { deliveryKey, seqClaimKey, seqHintKey } from '../../src/transport/keys';
import { bodies, connectPublic } from '../connections/helpers';
import { replicaBody, World, type Site } from './world';

// What a warm container holds across invocations on the sync path, per installation (src/connections/
// secrets.ts, src/transport/outbox.ts, src/transport/delivery-state.ts): each saves a read per synced
// edit, and each must stay right when another container changed the stored record meanwhile. "Another
// container" is a write straight to the site's storage, past everything this process holds.

const secretKey = (id: string) => `connection-secret:${id}`;
const newSecret = () => randomBytes(32).toString('base64url');

async function connected() {
  const world = new World({ installations: true });
  const { blue, green, id } = await connectPublic(world);
  await send(blue, id, 'b1');
  await world.runDue();
  expect(bodies(green)).toEqual(['b1']);
  return { world, blue, green, id };
}

/** Counts this site's storage operations on keys starting with `prefix`, by kind (beside any counting already set). */
function countOps(site: Site, prefix: string) {
  const counts: Record<string, number> = {};
  const before = site.kvs.beforeOp;
  site.kvs.beforeOp = (op, key) => {
    before?.(op, key);
    if (key.startsWith(prefix)) counts[op] = (counts[op] ?? 0) + 1;
  };
  return counts;
}

/** A message sent as a synced edit sends it: delivered by the invocation that enqueued it. */
async function send(site: Site, id: string, marker: string) {
  const platform = site.platform();
  await withInlineDelivery(platform, async () => site.deps, () => sendMessage(platform, id, 'replica', replicaBody(marker)));
}

/**
 * Both sides store `rotated` behind this process's back (a rotation made in other containers); `reads` forgets
 * its warm copy and the other side keeps its own; then blue sends b2 and the world runs.
 */
async function rotatedElsewhere(c: Awaited<ReturnType<typeof connected>>, rotated: object, reads: Site) {
  await c.blue.kvs.setSecret(secretKey(c.id), rotated);
  await c.green.kvs.setSecret(secretKey(c.id), rotated);
  forgetWarmSecrets(reads.platform(), c.id);
  await send(c.blue, c.id, 'b2');
  await c.world.runDue();
}

describe('secrets held warm', () => {
  it('signs and verifies a synced edit without reading the secrets again', async () => {
    const { world, blue, green, id } = await connected();
    const blueReads = countOps(blue, secretKey(id));
    const greenReads = countOps(green, secretKey(id));
    await send(blue, id, 'b2');
    await world.runDue();
    expect(bodies(green)).toEqual(['b1', 'b2']);
    expect(blueReads.getSecret ?? 0).toBe(0);
    expect(greenReads.getSecret ?? 0).toBe(0);
  });

  it('checks a signature its warm copy does not verify against the stored secrets: a rotation made in another container', async () => {
    const { world, blue, green, id } = await connected();
    const old = (blue.snapshot().secrets[secretKey(id)] as { current: string }).current;
    const rotated = { current: newSecret(), previous: { secret: old, until: world.clock.now() + 3_600_000 } };
    // Both sides stored the rotated secret elsewhere; blue's sender reads it, green's receiver holds the old one.
    await rotatedElsewhere({ world, blue, green, id }, rotated, blue);
    // Taken at once: without the second look green would refuse it (401) and blue would back off.
    expect(bodies(green)).toEqual(['b1', 'b2']);
    expect((await readDeliveryState(blue.platform(), id)).failures).toBe(0);
  });

  it('sends again with the stored secrets when the partner does not take what a warm copy signed, and the partner takes it once', async () => {
    const { world, blue, green, id } = await connected();
    // Rotated elsewhere, and the old secret's grace is over: green no longer takes it.
    await rotatedElsewhere({ world, blue, green, id }, { current: newSecret() }, green);
    expect(bodies(green)).toEqual(['b1', 'b2']);
    expect((await readDeliveryState(blue.platform(), id)).failures).toBe(0);
    // The answer verified with the stored secret too (else blue would have counted a failure above).
    const again = countOps(blue, secretKey(id));
    await send(blue, id, 'b3');
    await world.runDue();
    expect(bodies(green)).toEqual(['b1', 'b2', 'b3']);
    expect(again.getSecret ?? 0).toBe(0);
  });

  it('holds a copy for a minute at most', async () => {
    const { world, blue, id } = await connected();
    world.clock.advance(WARM_SECRETS_MS);
    const reads = countOps(blue, secretKey(id));
    await send(blue, id, 'b2');
    await world.runDue();
    expect(reads.getSecret).toBeGreaterThan(0);
  });
});

describe('the last sequence number held warm', () => {
  it('claims the next number without reading the hint, and reads it when another container claimed since', async () => {
    const { world, blue, green, id } = await connected();
    const seqOf = (n: number) => green.received[n]!.envelope.seq;
    const first = seqOf(0);

    const hintReads = countOps(blue, seqHintKey(id));
    await send(blue, id, 'b2');
    await world.runDue();
    expect(seqOf(1)).toBe(first + 1);
    expect(hintReads.get ?? 0).toBe(0);

    // Another container sent five messages (claims and hint written, not by this process).
    for (let seq = first + 2; seq <= first + 6; seq++) await blue.kvs.setIfAbsent(seqClaimKey(id, seq), 1);
    await blue.kvs.set(seqHintKey(id), first + 6);
    const claims = countOps(blue, seqClaimKey(id, 0).slice(0, -12));
    const reads = countOps(blue, seqHintKey(id));
    await send(blue, id, 'b3');
    await world.runDue();
    expect(seqOf(2)).toBe(first + 7);
    // One claim refused, one hint read, one claim taken: not one claim per number the other container used.
    expect(claims.setIfAbsent).toBe(2);
    expect(reads.get).toBe(1);
    expect(bodies(green)).toEqual(['b1', 'b2', 'b3']);
  });
});

describe('the delivery state held warm', () => {
  it('records a success right after another without reading the state; a failure another container recorded is cleared within the minute', async () => {
    const { world, blue, id } = await connected();
    const reads = countOps(blue, deliveryKey(id));
    await send(blue, id, 'b2');
    await world.runDue();
    expect(reads.get ?? 0).toBe(0);

    // Another container met a failure and recorded it.
    const stored = await readDeliveryState(blue.platform(), id);
    await blue.kvs.set(deliveryKey(id), { ...stored, failures: 3, faulted: true, faultSince: world.clock.now(), lastError: 'partner unreachable' });
    await send(blue, id, 'b3');
    await world.runDue();
    // Within the minute of this container's last recorded success the record is not looked at…
    expect((await readDeliveryState(blue.platform(), id)).faulted).toBe(true);
    // …and after it, the next success clears the error.
    world.clock.advance(60_000);
    await send(blue, id, 'b4');
    await world.runDue();
    expect(await readDeliveryState(blue.platform(), id)).toMatchObject({ failures: 0, faulted: false, lastError: null });
  });
});
