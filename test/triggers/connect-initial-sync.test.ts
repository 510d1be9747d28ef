import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, invoke, jira } from '../integration/helpers';
import { connectedSites, createIssue, drain, failure, searchAll, stop, syncStatus } from './helpers';

// Connect's initial sync, between blue (UD) and green (SC), through the real
// resolvers: the side that wins overwrites the other at once, whatever the
// edit times say; "none" changes nothing; a partner that does not know the
// choice makes it "none"; and the flag that carries it cannot be used later.

let rt: Awaited<ReturnType<typeof connectedSites>>['rt'];
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  ({ rt, blueConnectionId, greenConnectionId } = await connectedSites());
});
afterAll(() => stop(rt));

interface Fields {
  summary: string;
  labels: string[];
  description: unknown;
  comment: { comments: { body: unknown }[] };
  attachment: { filename: string }[];
}
const fieldsOf = async (site: string, key: string) => (await jira<{ fields: Fields }>(rt, site, 'GET', `/issue/${key}`)).body.fields;
const edit = (site: string, key: string, fields: Record<string, unknown>) => jira(rt, site, 'PUT', `/issue/${key}`, { fields });
const comment = (site: string, key: string, text: string) => jira(rt, site, 'POST', `/issue/${key}/comment`, { body: adf(text) });
const commentTexts = (fields: Fields) => fields.comment.comments.map((c) => JSON.stringify(c.body));
const later = (ms = 60_000) => vi.setSystemTime(Date.now() + ms);

interface History {
  entries: { direction: string; cause: string; outcome: string; message?: string; connectionId?: string }[];
}
const historyOf = (site: string, issueKey: string) => invoke<History>(rt, site, 'getIssueHistory', { issueKey });

async function attach(site: string, key: string, filename: string): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array([7, 7, 7])], { type: 'application/octet-stream' }), filename);
  const answer = await rt.fetch(`/${site}/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form });
  expect(answer.status).toBe(200);
}

/** A pair of unsynced issues, blue's edited first and green's a minute later (so green's edits are the newer). */
async function pair(name: string): Promise<{ blue: string; green: string }> {
  const blue = (await createIssue(rt, 'blue', { project: { key: 'UD' }, summary: `${name} (blue)`, labels: ['blue'], description: adf(`${name}: blue's description`) })).key;
  await comment('blue', blue, `${name}: said on blue`);
  later();
  const green = (await createIssue(rt, 'green', { project: { key: 'SC' }, summary: `${name} (green)`, labels: ['green'], description: adf(`${name}: green's description`) })).key;
  await comment('green', green, `${name}: said on green`);
  await drain(rt);
  later();
  // Edited again on both sides, green last: a winner by edit time would be green.
  await edit('blue', blue, { summary: `${name} (blue, edited)` });
  later();
  await edit('green', green, { summary: `${name} (green, edited)` });
  await drain(rt);
  return { blue, green };
}

const connectIssue = (issueKey: string, remoteIssueKey: string, initialSync?: string) =>
  invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey, remoteIssueKey, ...(initialSync ? { initialSync } : {}) });

/** Outbox entries of `site` whose envelope is of `type`, rewritten by `change` (as a partner on another version would have sent them). */
async function rewriteOutbox(site: string, type: string, change: (body: Record<string, unknown>) => Record<string, unknown>): Promise<number> {
  const installation = `local-${site}`;
  const kvs = rt.forge.kvs;
  let changed = 0;
  for (const { space, key } of kvs.storedKeys(installation)) {
    if (space !== 'plain' || !key.startsWith('outbox:')) continue;
    const stored = (await (await kvs.handle(installation, '/api/v1/get', { method: 'POST', body: JSON.stringify({ key }) })).json()) as {
      value: { envelope: { type: string; body: Record<string, unknown> } };
    };
    if (stored.value.envelope.type !== type) continue;
    stored.value.envelope.body = change(stored.value.envelope.body);
    const set = await kvs.handle(installation, '/api/v1/set', { method: 'POST', body: JSON.stringify({ key, value: stored.value }) });
    expect(set.ok).toBe(true);
    changed++;
  }
  return changed;
}

const setActive = (site: 'blue' | 'green', active: boolean) =>
  invoke(rt, site, 'setConnectionActive', { connectionId: site === 'blue' ? blueConnectionId : greenConnectionId, active });

describe('Connect with an initial sync', () => {
  it('"this side wins": blue\'s fields overwrite green\'s newer ones; comments and attachments are copied, green\'s own kept', async () => {
    const { blue, green } = await pair('Checkout');
    await attach('blue', blue, 'blue-plan.bin');
    await drain(rt);
    const answer = await connectIssue(blue, green, 'this-side');
    expect(answer).toMatchObject({ state: 'pending', initialSync: 'this-side' });
    // The panel shows the choice while the request waits.
    expect((await syncStatus(rt, 'blue', blue)).connects).toEqual([expect.objectContaining({ remoteIssueKey: green, initialSync: 'this-side' })]);
    await drain(rt);

    const [b, g] = [await fieldsOf('blue', blue), await fieldsOf('green', green)];
    expect(g.summary).toBe('Checkout (blue, edited)');
    expect(b.summary).toBe('Checkout (blue, edited)');
    expect(g.labels).toEqual(['blue']);
    expect(JSON.stringify(g.description)).toContain("Checkout: blue's description");
    expect(commentTexts(g).join()).toContain('Checkout: said on blue');
    expect(commentTexts(g).join()).toContain('Checkout: said on green');
    expect(g.attachment.map((a) => a.filename)).toEqual(['blue-plan.bin']);

    const blueHistory = (await historyOf('blue', blue)).entries;
    expect(blueHistory.find((e) => e.outcome === 'connected')?.message).toBe(`Connected with ${green}; this issue's fields sent to ${green}, overwriting it`);
    expect(blueHistory).toContainEqual(expect.objectContaining({ direction: 'out', cause: 'connect', outcome: 'sent' }));
    const greenHistory = (await historyOf('green', green)).entries;
    expect(greenHistory.find((e) => e.outcome === 'connected')?.message).toBe(`Connected with ${blue}; ${blue}'s fields taken, overwriting this issue's`);
    expect(greenHistory).toContainEqual(expect.objectContaining({ direction: 'in', cause: 'connect', outcome: 'applied' }));
  });

  it('"the other side wins": green sends its issue right after it grants, and it overwrites blue\'s newer edits', async () => {
    const { blue, green } = await pair('Payment');
    // Blue's edit is now the newest; green still wins.
    later();
    await edit('blue', blue, { summary: 'Payment (blue, newest)' });
    await drain(rt);
    await connectIssue(blue, green, 'other-side');
    await drain(rt);

    const [b, g] = [await fieldsOf('blue', blue), await fieldsOf('green', green)];
    expect(b.summary).toBe('Payment (green, edited)');
    expect(g.summary).toBe('Payment (green, edited)');
    expect(b.labels).toEqual(['green']);
    expect(JSON.stringify(b.description)).toContain("Payment: green's description");
    expect(commentTexts(b).join()).toContain('Payment: said on green');
    expect(commentTexts(b).join()).toContain('Payment: said on blue');
    expect((await historyOf('blue', blue)).entries.find((e) => e.outcome === 'connected')?.message).toBe(`Connected with ${green}; ${green}'s fields taken, overwriting this issue's`);
    expect((await historyOf('green', green)).entries.find((e) => e.outcome === 'connected')?.message).toBe(
      `Connected with ${blue}; this issue's fields sent to ${blue}, overwriting it`,
    );
  });

  it('"no initial sync" (and leaving the choice out) changes neither issue', async () => {
    for (const choice of ['none', undefined]) {
      const { blue, green } = await pair(`Refund ${choice ?? 'default'}`);
      await connectIssue(blue, green, choice);
      await drain(rt);
      expect((await syncStatus(rt, 'blue', blue)).twins).toEqual([expect.objectContaining({ remoteKey: green })]);
      expect((await fieldsOf('blue', blue)).summary).toBe(`Refund ${choice ?? 'default'} (blue, edited)`);
      expect((await fieldsOf('green', green)).summary).toBe(`Refund ${choice ?? 'default'} (green, edited)`);
      expect((await historyOf('blue', blue)).entries.map((e) => [e.direction, e.outcome, e.message])).toEqual([
        ['out', 'connected', `Connected with ${green}; no initial sync: nothing syncs until the next edit`],
      ]);
    }
  });

  it('a refused Connect sends nothing', async () => {
    const { blue } = await pair('Invoice');
    const greenIssues = await searchAll(rt, 'green', 'project = SC');
    await connectIssue(blue, 'SC-9999', 'this-side');
    await drain(rt);
    const status = await syncStatus(rt, 'blue', blue);
    expect(status.twins).toEqual([]);
    expect(status.connects).toEqual([expect.objectContaining({ state: 'refused', initialSync: 'this-side' })]);
    expect((await historyOf('blue', blue)).entries).toEqual([]);
    // Green has the same issues as before, unchanged.
    expect(await searchAll(rt, 'green', 'project = SC')).toEqual(greenIssues);
  });

  it('a partner that does not know the choice grants the Connect, and nothing syncs until the next edit', async () => {
    const { blue, green } = await pair('Shipping');
    // Green switched off (no drain meanwhile: deliveries retry until it is back): blue's request waits in blue's outbox, where it is made to look like an older
    // version's (no initialSync field; an older partner's schema drops it as it reads the request).
    await setActive('green', false);
    await connectIssue(blue, green, 'this-side');
    await rt.settle();
    expect(await rewriteOutbox('blue', 'connect', ({ initialSync: _dropped, ...rest }) => rest)).toBe(1);
    await setActive('green', true);
    await drain(rt);

    expect((await syncStatus(rt, 'blue', blue)).twins).toEqual([expect.objectContaining({ remoteKey: green })]);
    expect((await syncStatus(rt, 'green', green)).twins).toEqual([expect.objectContaining({ remoteKey: blue })]);
    expect((await fieldsOf('green', green)).summary).toBe('Shipping (green, edited)');
    expect((await fieldsOf('blue', blue)).summary).toBe('Shipping (blue, edited)');
    expect((await historyOf('blue', blue)).entries.find((e) => e.outcome === 'connected')?.message).toBe(
      `Connected with ${green}; no initial sync: the other side does not support choosing one, so nothing syncs until the next edit`,
    );
    // Then the pair syncs by the rules.
    later();
    await edit('blue', blue, { summary: 'Shipping, agreed' });
    await drain(rt);
    expect((await fieldsOf('green', green)).summary).toBe('Shipping, agreed');
  });

  it('a later replica carrying the initial-sync flag does not overwrite a newer edit', async () => {
    const { blue, green } = await pair('Tax');
    await connectIssue(blue, green, 'this-side');
    await drain(rt);
    expect((await fieldsOf('green', green)).summary).toBe('Tax (blue, edited)');

    // Green's older edit waits in green's outbox while blue's newer one is made; the waiting replica is
    // then flagged as if it were an initial sync.
    await setActive('green', false);
    later();
    await edit('green', green, { summary: 'Tax (green, older)' });
    await rt.settle();
    later();
    await edit('blue', blue, { summary: 'Tax (blue, newer)' });
    await rt.settle();
    expect(await rewriteOutbox('green', 'replica', (body) => ({ ...body, initialSync: true }))).toBeGreaterThanOrEqual(1);
    await setActive('green', true);
    await drain(rt);

    expect((await fieldsOf('blue', blue)).summary).toBe('Tax (blue, newer)');
    expect((await fieldsOf('green', green)).summary).toBe('Tax (blue, newer)');
  });

  it('refuses an initial sync it does not know', async () => {
    const { blue, green } = await pair('Discount');
    expect(await failure(connectIssue(blue, green, 'both-sides'))).toContain('initialSync');
    expect((await syncStatus(rt, 'blue', blue)).connects).toEqual([]);
  });
});
